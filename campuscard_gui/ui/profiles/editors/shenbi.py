"""The profile dialog's editor for a 神笔 (千帆神笔 aPaaS) profile: the OpenAPI address, the 应用
code, the students object and the cards object, how a card links to its student, the tenant's
AK (SecretId) and SK (SecretKey), and under 高级 the signing service name and API version —
the two wire settings a real tenant is likeliest to need changed (the others stay as saved,
``campuscard-cli profiles add --set``).

神笔 has no public field-list API, so the field keys are typed (the seed's card fields by
default) and there is no button to read them. 测试连接 says in its heading whether the key, the
signature, the clock or an object is wrong (``shenbi_failures``, shared with the iPaaS editor,
which reads through a 神笔 profile).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from ..editor_parts import TYPED, EditorTexts, named, parse_problem, show_choice
from ..profile_editor import ProfileEditor

SHENBI = "shenbi"
RECORD_ID, STUDENT_NO = "record_id", "student_no"  # what links a card (an iPaaS call) to a student


def shenbi_failures() -> dict[str, str]:
    """测试连接's headings for what 神笔 says is wrong (ShenbiConnector.check_connection's
    codes, and the AK's format refused before sending)."""
    translate = QCoreApplication.translate
    key = translate("ShenbiEditor", "The AK (SecretId) was rejected")
    return {
        "key": key,
        "AuthFailure.InvalidSecretId": key,
        "signature": translate("ShenbiEditor", "The signature was rejected: check the SK "
                                               "(SecretKey) and the signing settings"),
        "clock": translate("ShenbiEditor", "This computer's clock is off"),
        "permission": translate("ShenbiEditor", "The AK/SK may not do this"),
        "app": translate("ShenbiEditor", "The app code is wrong"),
        "object": translate("ShenbiEditor", "An object key is wrong"),
    }


def link_combo(parent: QWidget, name: str, accessible: str, record_id: str,
               student_no: str) -> QComboBox:
    """A choice between the student's record Id and the 学号, the texts given."""
    combo = named(QComboBox(parent), name, accessible)
    combo.addItem(record_id, RECORD_ID)
    combo.addItem(student_no, STUDENT_NO)
    return combo


class ShenbiEditor(ProfileEditor):
    KIND = SHENBI
    NAME_EXAMPLE = "shenbi-school"
    DEFAULT_BASE_URL = ""  # the real host is not public: the tenant's 接入准备 page gives it
    FIELDS = TYPED

    def _texts(self) -> EditorTexts:
        return EditorTexts(
            connection_title=self.tr("Shenbi connection"),
            connected=self.tr("Connected: the AK/SK, the app, both objects and the mapped "
                              "fields were accepted."),
            concurrency_label=self.tr("C&oncurrent writes:"),
            concurrency_accessible=self.tr("Write requests in flight at once"),
            fields_hint=self.tr("Shenbi has no public field list: type each field's ID "
                                "(对象建模 → 字段) and the option labels."),
            failures=shenbi_failures(),
            forms=(self.tr("Students object"), self.tr("Cards object")),
            url_label=self.tr("OpenAPI &URL:"),
            url_name=self.tr("OpenAPI URL"),
        )

    def _base_url_placeholder(self) -> str:
        return self.tr("The address on Shenbi's access preparation (接入准备) page, https://…")

    def _add_connection_rows(self, form: QFormLayout) -> None:
        self.app_code_edit = self._line("appCodeEdit", self.tr("App code"),
                                        self.tr("Design mode (设计态) → App settings (应用设置) → "
                                                "App code (应用 code)"))
        self.students_object_edit = self._line("studentsObjectEdit",
                                               self.tr("Students object key"),
                                               self.tr("The students object's key (object ID)"))
        self.cards_object_edit = self._line("cardsObjectEdit", self.tr("Cards object key"),
                                            self.tr("The cards object's key (object ID)"))
        self.student_link_combo = link_combo(
            self, "studentLinkCombo", self.tr("What a card's student field holds"),
            self.tr("The student's record Id (a relation field)"),
            self.tr("The student No. (a text field)"))
        self.student_link_combo.currentIndexChanged.connect(self.changed)
        self.secret_id_edit = self._secret("secret_id", "secretIdEdit", self.tr("AK (SecretId)"))
        self.secret_key_edit = self._secret("secret_key", "secretKeyEdit",
                                            self.tr("SK (SecretKey)"))
        for label, widget in (
            (self.tr("A&pp code:"), self.app_code_edit),
            (self.tr("Students o&bject:"), self.students_object_edit),
            (self.tr("Cards ob&ject:"), self.cards_object_edit),
            (self.tr("Card → student:"), self.student_link_combo),
            (self.tr("&AK (SecretId):"), self.secret_id_edit),
            (self.tr("SK (SecretK&ey):"), self.secret_key_edit),
        ):
            form.addRow(label, widget)

    def _add_advanced_rows(self, form: QFormLayout) -> None:
        self.service_edit = self._line("serviceEdit", self.tr("Signing service name"))
        self.service_edit.setToolTip(self.tr("The service in the signature's credential scope"))
        self.version_edit = self._line("versionEdit", self.tr("API version"))
        self.version_edit.setToolTip(self.tr("Sent as X-TC-Version"))
        row = QHBoxLayout()
        for text, edit in ((self.tr("Si&gning service:"), self.service_edit),
                           (self.tr("API &version:"), self.version_edit)):
            caption = QLabel(text, self)
            caption.setBuddy(edit)
            row.addWidget(caption)
            row.addWidget(edit, 1)
            row.addSpacing(16)
        form.addRow("", row)

    def _show_options(self, options: Mapping[str, Any]) -> None:
        self.app_code_edit.setText(str(options.get("app_code", "")))
        self.students_object_edit.setText(str(options.get("students_object", "")))
        self.cards_object_edit.setText(str(options.get("cards_object", "")))
        show_choice(self.student_link_combo, options.get("student_link"))
        self.service_edit.setText(str(options.get("service", "")))
        self.version_edit.setText(str(options.get("version", "")))

    def _form_options(self) -> dict[str, Any]:
        return {"app_code": self.app_code_edit.text().strip(),
                "students_object": self.students_object_edit.text().strip(),
                "cards_object": self.cards_object_edit.text().strip(),
                "student_link": str(self.student_link_combo.currentData()),
                "service": self.service_edit.text().strip(),
                "version": self.version_edit.text().strip()}

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        out = []
        if not options["app_code"]:
            out.append(self.tr("Enter the app code."))
        objects = (options["students_object"], options["cards_object"])
        if not all(objects):
            out.append(self.tr("Enter the keys of both objects."))
        elif objects[0] == objects[1]:
            out.append(self.tr("The students object and the cards object must be two "
                               "objects."))
        if not options["service"] or not options["version"]:
            out.append(self.tr("Enter the signing service and the API version (Advanced)."))
        if out:
            return out
        from ....backends.shenbi.records import ShenbiOptions

        return parse_problem(ShenbiOptions.parse, options)

    def _secret_name(self, key: str) -> str:
        return self.tr("AK (SecretId)") if key == "secret_id" else self.tr("SK (SecretKey)")

    def _secret_hint(self, key: str) -> str:
        if key == "secret_id":
            return self.tr("Issued by Shenbi for the tenant (OpenAPI access preparation)")
        return self.tr("The SecretKey issued with the AK")
