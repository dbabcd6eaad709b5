"""The field-mapping part of the profile dialog: which backend field holds 学号, 姓名 … and which
option label means 在读, 冻结 …

Before the fields were read from the backend, each combo holds only the field name the profile
maps today. ``set_fields`` fills every combo with the form's fields, shown by label
("学号 (student_no)"), and preselects: the profile's saved choice when that field still exists,
else the field whose label matches (学号 → the field labelled 学号), else the field with the
default name — ``config.field_discovery``, which ``campuscard-cli profiles add`` uses too. The
option combos list the chosen select field's options and preselect the profile's label or the
canonical one (在读, 正常 …); they are editable so a label can be typed when the field lists no
options.

Where the backend has no public field list (神笔), the box is ``typed``: each field is a text
box holding the field's key (the profile's, else the default), and the option labels are typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ...config.field_discovery import LABEL_HINTS, FieldLike, guess_field
from ...config.fieldmap import CARD_KEYS, STUDENT_KEYS, FieldMap
from ...core.model import CardStatus, StudentStatus
from ..labels import card_status_label, student_status_label

__all__ = ["CARD_STATUSES", "LABEL_HINTS", "FieldLike", "FieldMappingBox", "guess_field"]

CARD_STATUSES = (CardStatus.ACTIVE, CardStatus.FROZEN, CardStatus.CANCELLED)


class FieldMappingBox(QWidget):
    """Two groups (students form, cards form) of field combos (text boxes when ``typed``) plus
    the option-label combos. ``changed`` whenever the operator picks or types something."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *,
                 forms: tuple[str, str] | None = None, typed: bool = False) -> None:
        """``forms``: the titles of the students and the cards group (default: the forms)."""
        super().__init__(parent)
        self.setObjectName("fieldMappingBox")
        self._typed = typed
        self._fields: dict[str, list[FieldLike]] = {"students": [], "cards": []}
        self._saved: FieldMap | None = None
        self._filling = False
        titles = {
            "student_no": self.tr("Student No."),
            "name": self.tr("Name"),
            "college": self.tr("College"),
            "class_name": self.tr("Class"),
            "student_status": self.tr("Student status"),
            "card_student": self.tr("Card's student"),  # 学号 or a link, per backend
            "card_open_time": self.tr("Opened at"),
            "card_amount": self.tr("Balance"),
            "card_status": self.tr("Card status"),
        }
        self.field_combos: dict[str, QComboBox] = {}
        self.field_edits: dict[str, QLineEdit] = {}  # when typed: the field keys
        self.student_option_combos: dict[StudentStatus, QComboBox] = {}
        self.card_option_combos: dict[CardStatus, QComboBox] = {}

        students_title, cards_title = forms or (self.tr("Students form"), self.tr("Cards form"))
        self.students_box = QGroupBox(students_title, self)
        self.students_box.setObjectName("studentsFieldsBox")
        self.cards_box = QGroupBox(cards_title, self)
        self.cards_box.setObjectName("cardsFieldsBox")
        for box, keys in ((self.students_box, STUDENT_KEYS), (self.cards_box, CARD_KEYS)):
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for key in keys:
                accessible = self.tr("Field for %1").replace("%1", titles[key])
                if typed:
                    edit = QLineEdit(box)
                    edit.setObjectName(f"fieldEdit_{key}")
                    edit.setAccessibleName(accessible)
                    edit.setToolTip(self.tr("The field's key (its ID in the object)"))
                    edit.textEdited.connect(self._on_user_change)
                    form.addRow(self._buddy(titles[key], edit, box), edit)
                    self.field_edits[key] = edit
                    continue
                combo = self._combo(box, f"fieldCombo_{key}", accessible)
                combo.currentIndexChanged.connect(self._on_field_changed)
                form.addRow(self._buddy(titles[key], combo, box), combo)
                self.field_combos[key] = combo
            if box is self.students_box:
                for s in StudentStatus:
                    combo = self._option_combo(box, f"studentOption_{s.name.lower()}",
                                               student_status_label(s))
                    form.addRow(self._buddy(self.tr("Option for “%1”")
                                            .replace("%1", student_status_label(s)), combo, box),
                                combo)
                    self.student_option_combos[s] = combo
            else:
                for c in CARD_STATUSES:
                    combo = self._option_combo(box, f"cardOption_{c.name.lower()}",
                                               card_status_label(c))
                    form.addRow(self._buddy(self.tr("Option for “%1”")
                                            .replace("%1", card_status_label(c)), combo, box),
                                combo)
                    self.card_option_combos[c] = combo
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.students_box, 1)
        layout.addWidget(self.cards_box, 1)
        self.set_field_map(FieldMap(), saved=False)

    # ---- construction ----------------------------------------------------------------------

    @staticmethod
    def _buddy(text: str, widget: QWidget, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setBuddy(widget)
        return label

    def _combo(self, parent: QWidget, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(parent)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(18)
        return combo

    def _option_combo(self, parent: QWidget, name: str, status_label: str) -> QComboBox:
        combo = self._combo(parent, name,
                            self.tr("Option label meaning “%1”").replace("%1", status_label))
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setToolTip(self.tr("The option of the select field that means this status"))
        combo.currentTextChanged.connect(self._on_user_change)
        return combo

    # ---- filling ---------------------------------------------------------------------------

    def set_field_map(self, fm: FieldMap, *, saved: bool = True) -> None:
        """Show ``fm`` (the profile's mapping). ``saved`` says whether the profile stored it,
        so that reading the fields later keeps these choices rather than guessing."""
        self._saved = fm if saved else None
        self._fields = {"students": [], "cards": []}
        self._filling = True
        try:
            for key, combo in self.field_combos.items():
                name = getattr(fm, key)
                combo.clear()
                combo.addItem(name, name)
                combo.setToolTip(self.tr("Read the fields from the forms to choose another"))
            for key, edit in self.field_edits.items():
                edit.setText(getattr(fm, key))
            for s, combo in self.student_option_combos.items():
                self._set_options(combo, [], fm.student_status_labels.get(s, s.value))
            for c, combo in self.card_option_combos.items():
                self._set_options(combo, [], fm.card_status_labels.get(c, c.value))
        finally:
            self._filling = False

    def set_fields(self, students: Sequence[FieldLike], cards: Sequence[FieldLike]) -> None:
        """Fill the combos with the forms' fields and preselect (see the module doc)."""
        if self._typed:
            return  # nothing to choose from: the keys are typed
        self._fields = {"students": list(students), "cards": list(cards)}
        saved = self._saved
        self._filling = True
        try:
            for keys, fields in ((STUDENT_KEYS, students), (CARD_KEYS, cards)):
                for key in keys:
                    combo = self.field_combos[key]
                    combo.clear()
                    combo.setToolTip("")
                    combo.addItem(self.tr("(choose a field)"), None)
                    for f in fields:
                        text = f"{f.label} ({f.name})" if f.label and f.label != f.name \
                            else f.name
                        combo.addItem(text, f.name)
                    pick = guess_field(key, fields, getattr(saved, key) if saved else None)
                    combo.setCurrentIndex(max(0, combo.findData(pick)) if pick else 0)
        finally:
            self._filling = False
        self._refresh_options()
        self.changed.emit()

    def has_fields(self) -> bool:
        """Whether the fields are known: read from the backend, or typed."""
        return self._typed or bool(self._fields["students"] or self._fields["cards"])

    def _field(self, key: str) -> FieldLike | None:
        name = self.field_combos[key].currentData()
        form = "students" if key in STUDENT_KEYS else "cards"
        for f in self._fields[form]:
            if f.name == name:
                return f
        return None

    def _set_options(self, combo: QComboBox, options: Sequence[str], wanted: str) -> None:
        combo.blockSignals(True)
        combo.clear()
        for option in options:
            combo.addItem(option, option)
        index = combo.findText(wanted)
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(wanted)
        combo.blockSignals(False)

    def _refresh_options(self) -> None:
        saved = self._saved
        student_field = self._field("student_status")
        card_field = self._field("card_status")
        for s, combo in self.student_option_combos.items():
            current = saved.student_status_labels.get(s, s.value) if saved else s.value
            options = list(student_field.options) if student_field else []
            self._set_options(combo, options, current if current in options or not options
                              else s.value)
        for c, combo in self.card_option_combos.items():
            current = saved.card_status_labels.get(c, c.value) if saved else c.value
            options = list(card_field.options) if card_field else []
            self._set_options(combo, options, current if current in options or not options
                              else c.value)

    @Slot()
    def _on_field_changed(self) -> None:
        if self._filling:
            return
        sender = self.sender()
        if sender in (self.field_combos["student_status"], self.field_combos["card_status"]):
            self._refresh_options()
        self.changed.emit()

    @Slot()
    def _on_user_change(self) -> None:
        if not self._filling:
            self.changed.emit()

    # ---- reading ---------------------------------------------------------------------------

    def missing(self) -> list[str]:
        """Accessible names of the combos with nothing chosen (empty when complete)."""
        out = [c.accessibleName() for c in self.field_combos.values() if not c.currentData()]
        out += [e.accessibleName() for e in self.field_edits.values() if not e.text().strip()]
        out += [c.accessibleName()
                for c in (*self.student_option_combos.values(), *self.card_option_combos.values())
                if not c.currentText().strip()]
        return out

    def field_map(self) -> FieldMap:
        """The mapping as chosen (keys with nothing chosen keep the defaults)."""
        fm = FieldMap()
        for key, combo in self.field_combos.items():
            name = combo.currentData()
            if isinstance(name, str) and name:
                setattr(fm, key, name)
        for key, edit in self.field_edits.items():
            if edit.text().strip():
                setattr(fm, key, edit.text().strip())
        for s, combo in self.student_option_combos.items():
            if combo.currentText().strip():
                fm.student_status_labels[s] = combo.currentText().strip()
        for c, combo in self.card_option_combos.items():
            if combo.currentText().strip():
                fm.card_status_labels[c] = combo.currentText().strip()
        return fm
