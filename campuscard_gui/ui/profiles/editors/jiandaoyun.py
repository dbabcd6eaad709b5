"""The profile dialog's editor for a 简道云 profile: the app and the two forms (entry ids, their
rows as ``JdyOptions`` declares them), the API key, and what every remote kind shares
(``profile_editor``: 测试连接, the field mapping read from the forms, the checks before saving).
"""

from __future__ import annotations

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
        super()._add_connection_rows(form)  # the app and both forms, as JdyOptions declares
        self.api_key_edit = self._secret("api_key", "apiKeyEdit", self.tr("API key"))
        form.addRow(self.tr("API &key:"), self.api_key_edit)

    def _secret_name(self, key: str) -> str:
        return self.tr("API key")

    def _secret_hint(self, key: str) -> str:
        return self.tr("Open platform (开放平台) → Key management (密钥管理) → Create API KEY")
