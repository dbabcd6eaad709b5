"""The profile dialog's editor for a 简道云 profile: the app and the two forms (entry ids), the
API key, and what every remote kind shares (``profile_editor``: 测试连接, the field mapping read
from the forms, the checks before saving).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QFormLayout

from ....backends.jiandaoyun import DEFAULT_BASE_URL
from ..editor_parts import EditorTexts
from ..profile_editor import ProfileEditor

JIANDAOYUN = "jiandaoyun"


class JiandaoyunEditor(ProfileEditor):
    KIND = JIANDAOYUN
    NAME_EXAMPLE = "jdy-school"
    DEFAULT_BASE_URL = DEFAULT_BASE_URL

    def _texts(self) -> EditorTexts:
        return EditorTexts(
            connection_title=self.tr("Jiandaoyun connection"),
            read_fields=self.tr("&Read fields from the forms"),
            read_fields_accessible=self.tr("Read the fields of both forms from Jiandaoyun"),
            fields_read=self.tr("Read %1 fields of the students form and %2 of the cards form; "
                                "check the choices."),
            connected=self.tr("Connected: the app, both forms and the mapped fields were "
                              "found."),
            concurrency_label=self.tr("C&oncurrent writes:"),
            concurrency_accessible=self.tr("Write requests in flight at once"),
            failures={
                "auth": self.tr("The API key was rejected"),
                "permission": self.tr("The API key may not use this app or form"),
                "app": self.tr("The app ID is wrong"),
                "form": self.tr("A form (entry) ID is wrong"),
            },
        )

    def _add_connection_rows(self, form: QFormLayout) -> None:
        self.app_id_edit = self._line("appIdEdit", self.tr("App ID"),
                                      self.tr("From the form's URL or Open platform (开放平台) → "
                                              "API debugging (API 调试)"))
        self.students_entry_edit = self._line("studentsEntryEdit",
                                              self.tr("Students form entry ID"),
                                              self.tr("entry_id of the students form"))
        self.cards_entry_edit = self._line("cardsEntryEdit", self.tr("Cards form entry ID"),
                                           self.tr("entry_id of the cards form"))
        self.api_key_edit = self._secret("api_key", "apiKeyEdit", self.tr("API key"))
        for label, edit in (
            (self.tr("&App ID:"), self.app_id_edit),
            (self.tr("S&tudents form:"), self.students_entry_edit),
            (self.tr("Car&ds form:"), self.cards_entry_edit),
            (self.tr("API &key:"), self.api_key_edit),
        ):
            form.addRow(label, edit)

    def _show_options(self, options: Mapping[str, Any]) -> None:
        self.app_id_edit.setText(str(options.get("app_id", "")))
        self.students_entry_edit.setText(str(options.get("students_entry", "")))
        self.cards_entry_edit.setText(str(options.get("cards_entry", "")))

    def _form_options(self) -> dict[str, Any]:
        return {"app_id": self.app_id_edit.text().strip(),
                "students_entry": self.students_entry_edit.text().strip(),
                "cards_entry": self.cards_entry_edit.text().strip()}

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        out = []
        if not options["app_id"]:
            out.append(self.tr("Enter the app ID."))
        if not options["students_entry"] or not options["cards_entry"]:
            out.append(self.tr("Enter the entry IDs of both forms."))
        return out

    def _secret_name(self, key: str) -> str:
        return self.tr("API key")

    def _secret_hint(self, key: str) -> str:
        return self.tr("Open platform (开放平台) → Key management (密钥管理) → Create API KEY")
