"""The small pieces the profile dialog's editors are built from: a kind's own words
(``EditorTexts``), a numeric option's spin box, a text option's line edit or choice box, the
three kinds of field mapping, and the
helpers for naming a control, choosing a combo's item and asking a connector's options class
whether it accepts the form's options."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from ...config.options import Number, Text
from ...core.errors import ConfigError

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str) -> W:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


READ, TYPED, NONE = "read", "typed", "none"  # ProfileForm.FIELDS


@dataclass(frozen=True, slots=True)
class EditorTexts:
    """An editor's own words (each already through tr() in the kind's editor, where lupdate
    finds the literal). An empty text is the base's."""

    connection_title: str  # the group box around the connection rows
    connected: str  # after a successful 测试连接
    concurrency_label: str
    concurrency_accessible: str
    read_fields: str = ""  # the button, with its mnemonic (FIELDS == READ)
    read_fields_accessible: str = ""
    fields_read: str = ""  # after reading: %1 student fields, %2 card fields
    fields_hint: str = ""  # under the mapping before anything was read ("Read the fields …")
    # 测试连接's heading for a failure, by the error's code (the common ones are the base's)
    failures: Mapping[str, str] = field(default_factory=dict)
    forms: tuple[str, str] | None = None  # the mapping's group titles (None: the forms)
    url_label: str = ""  # the address row's label ("Base &URL:")
    url_name: str = ""  # the address in a sentence and its accessible name ("base URL")


class TrimmedSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox that shows 15 and 2.5 rather than 15.00 and 2.50 (the decimals are
    there for 0.05 s, not for every value)."""

    def textFromValue(self, value: float) -> str:
        text = self.locale().toString(value, "f", self.decimals())
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text


def number_spin(parent: QWidget, spec: Number, name: str, accessible: str
                ) -> QSpinBox | QDoubleSpinBox:
    """A spin box for a numeric option as its connector declares it (``config.options``): the
    same range, whole numbers in a QSpinBox, the rest with ``spec.decimals`` places."""
    spin: QSpinBox | QDoubleSpinBox
    if spec.integer:
        spin = QSpinBox(parent)
        spin.setRange(int(spec.low), int(spec.high))
    else:
        spin = TrimmedSpinBox(parent)
        spin.setDecimals(spec.decimals)
        spin.setRange(spec.low, spec.high)
    return named(spin, name, accessible)


def show_number(spin: QSpinBox | QDoubleSpinBox, spec: Number, value: object) -> None:
    """Show a stored value (the default when it is missing or not one the connector takes),
    without a signal."""
    try:
        shown = spec.check(value, "")
    except ConfigError:
        shown = spec.default
    spin.blockSignals(True)
    if isinstance(spin, QSpinBox):
        spin.setValue(int(shown))
    else:
        spin.setValue(float(shown))
    spin.blockSignals(False)


def spin_number(spin: QSpinBox | QDoubleSpinBox) -> int | float:
    """The value to store: a whole number as an int (15, not 15.0), any other as it is."""
    value = spin.value()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def text_input(parent: QWidget, spec: Text) -> QLineEdit | QComboBox:
    """The field of a text option as its connector declares it (``config.options.text``): a
    choice box of its choices, else a line edit with its hint as the placeholder; named after
    the declaration, its label the accessible name. The texts are said in the language
    installed when the editor is built."""
    widget: QLineEdit | QComboBox
    if spec.choices:
        widget = QComboBox(parent)
        for value, label in spec.choices:
            widget.addItem(str(label), value)
    else:
        widget = QLineEdit(parent)
        widget.setPlaceholderText(str(spec.hint))
    return named(widget, spec.widget_name, str(spec.label))


def show_text(widget: QLineEdit | QComboBox, value: object) -> None:
    """Show a stored value, without a signal (a choice not offered: the first)."""
    if isinstance(widget, QComboBox):
        show_choice(widget, value)
    else:
        widget.blockSignals(True)
        widget.setText("" if value is None else str(value))
        widget.blockSignals(False)


def text_value(widget: QLineEdit | QComboBox) -> str:
    """The value to store: the text stripped, or the chosen value."""
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return "" if data is None else str(data)
    return widget.text().strip()


def show_choice(combo: QComboBox, value: object) -> None:
    """Select the item whose data is ``value`` (the first when none is), without a signal."""
    combo.blockSignals(True)
    combo.setCurrentIndex(max(0, combo.findData(value)))
    combo.blockSignals(False)


def parse_problem(parse: Callable[[Mapping[str, Any]], object],
                  options: Mapping[str, Any]) -> list[str]:
    """The connector's own check of the options (its options class's ``parse``) as a last
    word on what the form does not check itself (a value it does not show, a format): its
    message, or nothing."""
    try:
        parse(options)
    except ConfigError as exc:
        return [exc.message]
    return []
