"""The profile dialog's editor for a kintone profile: the domain's address, the guest space, the
students app and the cards app, and the sign-in — an API token per app (both are sent) or a
login name and password — plus what every remote kind shares (``profile_editor``).

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

from ..editor_parts import EditorTexts, named
from ..profile_editor import ProfileEditor

KINTONE = "kintone"
TOKEN, PASSWORD = "token", "password"
_ID = re.compile(r"^[1-9]\d{0,18}$")  # app and guest space ids: positive integers


class KintoneEditor(ProfileEditor):
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
        self.guest_space_edit = self._line("guestSpaceEdit", self.tr("Guest space ID"),
                                           self.tr("Only when the apps are in a guest space"))
        self.students_app_edit = self._line("studentsAppEdit", self.tr("Students app ID"),
                                            self.tr("The number in the app's address: /k/12/"))
        self.cards_app_edit = self._line("cardsAppEdit", self.tr("Cards app ID"),
                                         self.tr("The number in the app's address: /k/13/"))
        self.auth_combo = named(QComboBox(self), "authModeCombo", self.tr("Sign-in method"))
        self.auth_combo.addItem(self.tr("API token of each app"), TOKEN)
        self.auth_combo.addItem(self.tr("Login name and password"), PASSWORD)
        self.auth_combo.currentIndexChanged.connect(self._on_auth_chosen)
        self.user_edit = self._line("userEdit", self.tr("Login name"),
                                    self.tr("The kintone user to act as"))
        self.students_token_edit = self._secret("students_token", "studentsTokenEdit",
                                                self.tr("API token of the students app"))
        self.cards_token_edit = self._secret("cards_token", "cardsTokenEdit",
                                             self.tr("API token of the cards app"))
        self.password_edit = self._secret("password", "passwordEdit", self.tr("Password"))
        rows: tuple[tuple[str, QWidget], ...] = (
            (self.tr("&Guest space:"), self.guest_space_edit),
            (self.tr("Students &app:"), self.students_app_edit),
            (self.tr("Car&ds app:"), self.cards_app_edit),
            (self.tr("Sign-in &method:"), self.auth_combo),
            (self.tr("&Login name:"), self.user_edit),
            (self.tr("Students app to&ken:"), self.students_token_edit),
            (self.tr("Cards app tok&en:"), self.cards_token_edit),
            (self.tr("&Password:"), self.password_edit),
        )
        for label, widget in rows:
            form.addRow(label, widget)

    def auth_mode(self) -> str:
        return str(self.auth_combo.currentData())

    @Slot()
    def _on_auth_chosen(self) -> None:
        self._show_auth_rows()
        self.changed.emit()

    def _show_auth_rows(self) -> None:
        password = self.auth_mode() == PASSWORD
        form = self.connection_form
        for widget, visible in ((self.user_edit, password), (self.password_edit, password),
                                (self.students_token_edit, not password),
                                (self.cards_token_edit, not password)):
            form.setRowVisible(widget, visible)

    def _show_options(self, options: Mapping[str, Any]) -> None:
        self.guest_space_edit.setText(str(options.get("guest_space") or ""))
        self.students_app_edit.setText(str(options.get("students_app", "")))
        self.cards_app_edit.setText(str(options.get("cards_app", "")))
        mode = PASSWORD if options.get("auth") == PASSWORD else TOKEN
        self.auth_combo.blockSignals(True)
        self.auth_combo.setCurrentIndex(self.auth_combo.findData(mode))
        self.auth_combo.blockSignals(False)
        self.user_edit.setText(str(options.get("user") or ""))
        self._show_auth_rows()

    def _form_options(self) -> dict[str, Any]:
        return {"students_app": self.students_app_edit.text().strip(),
                "cards_app": self.cards_app_edit.text().strip(),
                "guest_space": self.guest_space_edit.text().strip(),
                "auth": self.auth_mode(),
                "user": self.user_edit.text().strip()}

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        out = []
        if urlsplit(str(options["base_url"])).path not in ("", "/"):
            out.append(self.tr("Write only the domain's address (e.g. "
                               "https://example.cybozu.com), without a path."))
        apps = (str(options["students_app"]), str(options["cards_app"]))
        if not all(_ID.match(app) for app in apps):
            out.append(self.tr("Enter the IDs of both apps: the number in each app's address "
                               "(…/k/12/)."))
        elif apps[0] == apps[1]:
            out.append(self.tr("The students app and the cards app must be two apps."))
        guest = str(options["guest_space"])
        if guest and not _ID.match(guest):
            out.append(self.tr("The guest space ID is a number (…/k/guest/5/…); leave it empty "
                               "when the apps are not in a guest space."))
        if options["auth"] == PASSWORD and not options["user"]:
            out.append(self.tr("Enter the login name."))
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
