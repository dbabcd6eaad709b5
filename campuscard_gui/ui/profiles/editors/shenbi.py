"""The profile dialog's editor for a 神笔 (千帆神笔 aPaaS) profile: the OpenAPI address, the 应用
code, the students object and the cards object, how a card links to its student, the tenant's
AK (SecretId) and SK (SecretKey), and under 高级 the signing service name and API version —
the two wire settings a real tenant is likeliest to need changed (the others stay as saved,
``campuscard-cli profiles add --set``). The options' rows are as ``ShenbiOptions`` declares
them; the secrets' rows are this editor's.

神笔 has no public field-list API, so the field keys are typed (the seed's card fields by
default) and there is no button to read them. 测试连接 says in its heading whether the key, the
signature, the clock or an object is wrong (``shenbi_failures``, shared with the iPaaS editor,
which reads through a 神笔 profile).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout

from ..editor_parts import TYPED, EditorTexts, parse_problem
from ..profile_editor import ProfileEditor

SHENBI = "shenbi"


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


class ShenbiEditor(ProfileEditor):
    KIND = SHENBI
    NAME_EXAMPLE = "shenbi-school"
    DEFAULT_BASE_URL = ""  # the real host is not public: the tenant's 接入准备 page gives it
    FIELDS = TYPED
    ADVANCED_TEXTS = ("service", "version")  # the wire settings likeliest to need a change

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
        # the app, both objects and the card's link, as ShenbiOptions declares them
        super()._add_connection_rows(form)
        self.secret_id_edit = self._secret("secret_id", "secretIdEdit", self.tr("AK (SecretId)"))
        self.secret_key_edit = self._secret("secret_key", "secretKeyEdit",
                                            self.tr("SK (SecretKey)"))
        form.addRow(self.tr("&AK (SecretId):"), self.secret_id_edit)
        form.addRow(self.tr("SK (SecretK&ey):"), self.secret_key_edit)

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        objects = (options["students_object"], options["cards_object"])
        if all(objects) and objects[0] == objects[1]:
            return [self.tr("The students object and the cards object must be two objects.")]
        if not all(options[key] for key in self.text_inputs):
            return []  # what is empty is said already
        from ....backends.shenbi.records import ShenbiOptions

        return parse_problem(ShenbiOptions.parse, options)

    def _secret_name(self, key: str) -> str:
        return self.tr("AK (SecretId)") if key == "secret_id" else self.tr("SK (SecretKey)")

    def _secret_hint(self, key: str) -> str:
        if key == "secret_id":
            return self.tr("Issued by Shenbi for the tenant (OpenAPI access preparation)")
        return self.tr("The SecretKey issued with the AK")
