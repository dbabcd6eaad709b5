"""The profile dialog's editor for a kintone profile: the domain's address, the students app and
the cards app, the guest space, and the sign-in — an API token per app (both are sent) or a
login name and password — plus what every remote kind shares (``profile_editor``). The rows of
the options are as ``KintoneOptions`` declares them; the secrets' rows are this editor's.

Only the secrets of the chosen sign-in are shown; switching it on a saved profile asks for the
new secrets, and saving removes the old ones from the keyring.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from ..editor_parts import EditorTexts
from ..profile_editor import ProfileEditor

KINTONE = "kintone"
TOKEN, PASSWORD = "token", "password"
_ID = re.compile(r"^[1-9]\d{0,18}$")  # app and guest space ids: positive integers


class KintoneEditor(ProfileEditor):
    auth_combo: QComboBox  # the declared sign-in (``ProfileForm._text_input``)

    KIND = KINTONE
    NAME_EXAMPLE = "kintone-school"
    DEFAULT_BASE_URL = ""  # every school has its own domain

    def _texts(self) -> EditorTexts:
        return EditorTexts(
            connection_title=self.tr("kintone connection"),
            read_fields=self.tr("&Read fields from the apps"),
            read_fields_accessible=self.tr("Read the fields of both apps from kintone"),
            fields_read=self.tr("Read %1 fields of the students app and %2 of the cards app; "
                                "check the choices."),
            connected=self.tr("Connected: both apps and the mapped fields were found."),
            concurrency_label=self.tr("C&oncurrent requests:"),
            concurrency_accessible=self.tr("Requests in flight at once"),
            failures={
                "auth": self.tr("The API token or the password was rejected"),
                "permission": self.tr("The API token or the user may not do this in the app"),
                "app": self.tr("An app ID is wrong"),
                "space": self.tr("The guest space ID is wrong"),
            },
            forms=(self.tr("Students app"), self.tr("Cards app")),
        )

    def _base_url_placeholder(self) -> str:
        return "https://example.cybozu.com"

    def _add_connection_rows(self, form: QFormLayout) -> None:
        # the apps, the guest space, the sign-in and its login name, as KintoneOptions declares
        super()._add_connection_rows(form)
        self.auth_combo.currentIndexChanged.connect(self._show_auth_rows)
        self.students_token_edit = self._secret("students_token", "studentsTokenEdit",
                                                self.tr("API token of the students app"))
        self.cards_token_edit = self._secret("cards_token", "cardsTokenEdit",
                                             self.tr("API token of the cards app"))
        self.password_edit = self._secret("password", "passwordEdit", self.tr("Password"))
        rows: tuple[tuple[str, QWidget], ...] = (
            (self.tr("Students app to&ken:"), self.students_token_edit),
            (self.tr("Cards app tok&en:"), self.cards_token_edit),
            (self.tr("&Password:"), self.password_edit),
        )
        for label, widget in rows:
            form.addRow(label, widget)

    def auth_mode(self) -> str:
        return str(self.auth_combo.currentData())

    @Slot()
    def _show_auth_rows(self) -> None:
        """The secrets of the chosen sign-in (the login name's row follows its declaration)."""
        password = self.auth_mode() == PASSWORD
        form = self.connection_form
        for widget, visible in ((self.password_edit, password),
                                (self.students_token_edit, not password),
                                (self.cards_token_edit, not password)):
            form.setRowVisible(widget, visible)

    def _show_options(self, options: Mapping[str, Any]) -> None:
        self._show_auth_rows()

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        out = []
        if urlsplit(str(options["base_url"])).path not in ("", "/"):
            out.append(self.tr("Write only the domain's address (e.g. "
                               "https://example.cybozu.com), without a path."))
        apps = (str(options["students_app"]), str(options["cards_app"]))
        if not all(_ID.match(app) for app in apps if app):  # empty: said already
            out.append(self.tr("Enter the IDs of both apps: the number in each app's address "
                               "(…/k/12/)."))
        elif all(apps) and apps[0] == apps[1]:
            out.append(self.tr("The students app and the cards app must be two apps."))
        guest = str(options["guest_space"])
        if guest and not _ID.match(guest):
            out.append(self.tr("The guest space ID is a number (…/k/guest/5/…); leave it empty "
                               "when the apps are not in a guest space."))
        return out

    def _secret_name(self, key: str) -> str:
        return {"students_token": self.tr("API token of the students app"),
                "cards_token": self.tr("API token of the cards app"),
                }.get(key, self.tr("password"))

    def _secret_hint(self, key: str) -> str:
        return {"students_token": self.tr("App settings → API token, with “view records”"),
                "cards_token": self.tr("App settings → API token, with “view, add and edit "
                                       "records”"),
                }.get(key, self.tr("The login name's kintone password"))
