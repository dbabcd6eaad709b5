"""The profile dialog's editor of the tests' "memo" backend (``plugin_backend``): a school
name under the address; no secrets, no field mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QFormLayout

from campuscard_gui.ui.profiles.editor_parts import NONE, EditorTexts
from campuscard_gui.ui.profiles.profile_editor import ProfileEditor


class MemoEditor(ProfileEditor):
    KIND = "memo"
    NAME_EXAMPLE = "memo-school"
    DEFAULT_BASE_URL = "https://memo.invalid"
    FIELDS = NONE

    def _texts(self) -> EditorTexts:
        return EditorTexts(connection_title="In-memory school", connected="Connected.",
                           concurrency_label="C&oncurrent reads:",
                           concurrency_accessible="Reads in flight at once")

    def _add_connection_rows(self, form: QFormLayout) -> None:
        self.school_edit = self._line("schoolEdit", "School")
        form.addRow("&School:", self.school_edit)

    def _show_options(self, options: Mapping[str, Any]) -> None:
        self.school_edit.setText(str(options.get("school", "")))

    def _form_options(self) -> dict[str, Any]:
        return {"school": self.school_edit.text().strip()}

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        return [] if options["school"] else ["Enter the school."]

    def _secret_name(self, key: str) -> str:
        return key

    def _secret_hint(self, key: str) -> str:
        return ""
