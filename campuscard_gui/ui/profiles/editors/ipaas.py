"""The profile dialog's editor for an iPaaS 集成流 profile (the seed's own route): writes go to
a school's integration flow through its HTTP gateway; students and cards are read through a
saved 神笔 profile, chosen here from the saved ones (its field mapping applies, so this editor
has none). The gateway may take a secret in a header: the token is asked for only when a
header name is set. The header's and studentID's rows are as ``IpaasOptions`` declares them.

测试连接 tests the 神笔 profile first (its headings are the 神笔 editor's), then the gateway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit

from ....config.settings import Profile
from ..editor_parts import NONE, EditorTexts, named, parse_problem
from ..profile_editor import ProfileEditor
from .shenbi import SHENBI, shenbi_failures

IPAAS = "ipaas"


class IpaasEditor(ProfileEditor):
    KIND = IPAAS
    NAME_EXAMPLE = "ipaas-flow"
    DEFAULT_BASE_URL = ""
    URL_KEY = "gateway_url"
    FIELDS = NONE
    OWN_TEXT_ROWS = ("read_profile",)  # a saved 神笔 profile, chosen from a list

    _readers: list[str]
    token_header_edit: QLineEdit  # declared (``ProfileForm._text_input``)

    def _texts(self) -> EditorTexts:
        return EditorTexts(
            connection_title=self.tr("iPaaS integration flow"),
            connected=self.tr("Connected: the Shenbi profile reads and the gateway answers."),
            concurrency_label=self.tr("C&oncurrent calls:"),
            concurrency_accessible=self.tr("Gateway calls in flight at once"),
            failures={
                **shenbi_failures(),
                "gateway_auth": self.tr("The gateway refused the token"),
            },
            url_label=self.tr("Gate&way URL:"),
            url_name=self.tr("gateway URL"),
        )

    def _base_url_placeholder(self) -> str:
        return self.tr("The flow's HTTP trigger address, https://…")

    def _add_connection_rows(self, form: QFormLayout) -> None:
        self._readers = []
        spec = self.text_options["read_profile"]  # its own field: a saved 神笔 profile chosen
        self.read_profile_combo = named(QComboBox(self), "readProfileCombo", str(spec.label))
        self.read_profile_combo.currentIndexChanged.connect(self.changed)
        self.read_note = named(QLabel(self), "readProfileNote",
                               self.tr("About reading through a Shenbi profile"))
        # one line: a wrapped label in a form row reserves the height of a narrow layout
        self.read_note.setText(self.tr("Students and cards are read through this Shenbi profile "
                                       "(its AK/SK and field mapping); the actions go to the "
                                       "flow."))
        self.token_header_edit.textChanged.connect(self._show_token_row)
        self.gateway_token_edit = self._secret("gateway_token", "gatewayTokenEdit",
                                               self.tr("Gateway token"))
        form.addRow(spec.row_label(), self.read_profile_combo)
        form.addRow("", self.read_note)
        self._add_text_rows(form, "token_header")
        form.addRow(self.tr("&Gateway token:"), self.gateway_token_edit)
        self._add_text_rows(form, "student_id")

    def _add_advanced_rows(self, form: QFormLayout) -> None:
        self.chunk_spin = self._spin("chunk_size", "chunkSizeSpin",
                                     self.tr("Students per gateway call"))
        caption = QLabel(self.tr("Students &per call:"), self)
        caption.setBuddy(self.chunk_spin)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.chunk_spin)
        row.addStretch(1)
        form.addRow("", row)

    @Slot()
    def _show_token_row(self) -> None:
        self.connection_form.setRowVisible(self.gateway_token_edit,
                                           bool(self.token_header_edit.text().strip()))

    def set_profiles(self, profiles: Mapping[str, Profile]) -> None:
        self._readers = sorted(n for n, p in profiles.items() if p.kind == SHENBI)
        self._fill_readers(self.read_profile_combo.currentData())

    def _fill_readers(self, wanted: object) -> None:
        """The saved 神笔 profiles, ``wanted`` chosen; a profile the options name that is not
        (any longer) a saved 神笔 profile is listed as such, so the form can say so."""
        combo = self.read_profile_combo
        combo.blockSignals(True)
        combo.clear()
        for name in self._readers:
            combo.addItem(name, name)
        if isinstance(wanted, str) and wanted and wanted not in self._readers:
            combo.addItem(self.tr("%1 (not a saved Shenbi profile)").replace("%1", wanted), wanted)
        combo.setCurrentIndex(max(0, combo.findData(wanted)))
        combo.blockSignals(False)

    def _show_options(self, options: Mapping[str, Any]) -> None:
        self._fill_readers(options.get("read_profile"))
        self._show_token_row()

    def _form_options(self) -> dict[str, Any]:
        reader = self.read_profile_combo.currentData()
        return {"read_profile": reader if isinstance(reader, str) else ""}

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        reader = str(options["read_profile"])
        if not reader:
            return [self.tr("Choose the Shenbi profile to read through (save one first).")]
        if reader not in self._readers:
            return [self.tr("“%1” is not a saved Shenbi profile: choose another.")
                    .replace("%1", reader)]
        from ....backends.ipaas.options import IpaasOptions

        return parse_problem(IpaasOptions.parse, options)

    def _secret_name(self, key: str) -> str:
        return self.tr("gateway token")

    def _secret_hint(self, key: str) -> str:
        return self.tr("The secret the flow's HTTP trigger expects in that header")
