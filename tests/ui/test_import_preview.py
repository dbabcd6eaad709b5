"""The import's preview (new students apart from existing students that change, field by field,
nothing written before 导入), the messages for missing columns and values not accepted, and the
import template (a button in the dialog and 文件 → 导出导入模板…)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.core.model import StudentStatus
from campuscard_gui.core.text import has_cjk
from campuscard_gui.importing import guess_mapping, map_rows, read_table
from campuscard_gui.ui.importing.import_dialog import ImportDialog
from campuscard_gui.ui.importing.template import template_texts, write_template


@pytest.fixture
def connector(paths):
    path = paths.local_db_path("local")
    init_demo(path, students=50)
    c = LocalConnector(path)
    yield c
    c.close()


def open_dialog(qtbot, connector, tmp_path, text: str, name: str = "in.csv") -> ImportDialog:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    dialog = ImportDialog(connector)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.tableLoaded):
        dialog.load_file(path)
    return dialog


def _file_with_changes(connector) -> tuple[str, list]:
    """Two existing students changed (one's class, the other's status and name), one
    existing unchanged, two new."""
    existing = sorted(connector.list_rows(), key=lambda r: r.student_no)
    a, b, c = (r.student for r in existing[:3])
    other = next(s for s in StudentStatus if s is not b.status)
    lines = ["学号,姓名,学院,班级,学籍状态",
             f"{a.student_no},{a.name},{a.college},新班级,{a.status.value}",
             f"{b.student_no},改名,{b.college},{b.class_name},{other.value}",
             f"{c.student_no},{c.name},{c.college},{c.class_name},{c.status.value}",
             "2099000001,新生甲,理学院,数学9901,在读",
             "2099000002,新生乙,理学院,数学9901,休学"]
    return "\n".join(lines) + "\n", [a, b, c, other]


def test_preview_separates_new_and_updated_and_writes_nothing(qtbot, qtmodeltester,
                                                             connector, tmp_path):
    text, (a, b, c, other) = _file_with_changes(connector)
    before = {r.student_no: r.student for r in connector.list_rows()}
    dialog = open_dialog(qtbot, connector, tmp_path, text)
    assert not dialog.confirm_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.previewReady, timeout=10_000) as ready:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    preview = ready.args[0]
    assert [s.student_no for s in preview.new] == ["2099000001", "2099000002"]
    assert preview.updated == 2 and preview.unchanged == 1
    # nothing written: the database is exactly as before
    assert {r.student_no: r.student for r in connector.list_rows()} == before
    assert dialog.steps.currentIndex() == 1
    assert dialog.confirm_button.isVisibleTo(dialog) and dialog.confirm_button.isEnabled()
    assert dialog.confirm_button.isDefault()
    assert dialog.summary_label.text() == (
        "2 new students will be added and 2 existing students updated (3 field changes); "
        "1 are already as the file says.")
    tabs = dialog.preview_tabs
    assert [tabs.tabText(i) for i in range(2)] == ["New students (2)", "Updated students (2)"]
    new_model, changes = dialog.new_view.model(), dialog.changes_view.model()
    qtmodeltester.check(new_model)
    qtmodeltester.check(changes)
    assert [new_model.index(1, col).data() for col in range(5)] == [
        "2099000002", "新生乙", "理学院", "数学9901", "Suspended"]
    rows = {tuple(changes.index(r, col).data() for col in range(5))
            for r in range(changes.rowCount())}
    from campuscard_gui.ui.labels import student_status_label

    assert rows == {
        (a.student_no, a.name, "Class", a.class_name, "新班级"),
        (b.student_no, "改名", "Name", b.name, "改名"),
        (b.student_no, "改名", "Student status", student_status_label(b.status),
         student_status_label(other)),
    }
    assert [changes.headerData(i, Qt.Orientation.Horizontal) for i in range(5)] == [
        "Student No.", "Name (after import)", "Field", "Now", "After import"]
    # Back: the columns again, still nothing written
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.steps.currentIndex() == 0 and dialog.import_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.previewReady, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as done:
        qtbot.keyClick(dialog.confirm_button, Qt.Key.Key_Return)
    assert (done.args[0].added, done.args[0].updated) == (2, 2)
    after = {r.student_no: r.student for r in connector.list_rows()}
    assert after[a.student_no].class_name == "新班级" and after[b.student_no].name == "改名"
    assert after[b.student_no].status is other


def test_nothing_changes_nothing_to_import(qtbot, connector, tmp_path):
    existing = sorted(connector.list_rows(), key=lambda r: r.student_no)[0].student
    text = ("学号,姓名,学院,班级,学籍状态\n"
            f"{existing.student_no},{existing.name},{existing.college},{existing.class_name},"
            f"{existing.status.value}\n")
    dialog = open_dialog(qtbot, connector, tmp_path, text)
    with qtbot.waitSignal(dialog.previewReady, timeout=10_000):
        dialog.start_preview()
    assert not dialog.confirm_button.isEnabled()
    assert "Nothing to import" in dialog.status_label.text()


def test_missing_columns_are_named_with_the_headers_accepted(qtbot, connector, tmp_path):
    dialog = open_dialog(qtbot, connector, tmp_path,
                         "编号,姓名,备注\n2099000001,甲,在读\n")
    assert dialog.missing_fields() == ["student_no", "status"]
    label = dialog.missing_label
    assert label.isVisibleTo(dialog)
    text = label.text()
    assert "Student No." in text and "Student status" in text
    for header in ("学号", "学生学号", "studentid", "学籍状态", "status"):
        assert header in text, header
    assert not dialog.import_button.isEnabled()
    dialog.mapping_combos["student_no"].setCurrentIndex(1)  # 编号
    assert "Student No." not in label.text() and "Student status" in label.text()
    dialog.mapping_combos["status"].setCurrentIndex(3)  # 备注
    assert not label.isVisibleTo(dialog) and dialog.import_button.isEnabled()


def test_values_not_accepted_name_the_accepted_ones(qtbot, connector, tmp_path):
    text = ("学号,姓名,学籍状态\n2099000001,甲,放假\n2099000002,乙,放假\n"
            "2099000003,丙,在读\n2099000004,丁,Enrolled\n2099000005,戊,gone\n")
    dialog = open_dialog(qtbot, connector, tmp_path, text)
    with qtbot.waitSignal(dialog.rowErrors, timeout=10_000) as errors:
        dialog.start_preview()
    assert errors.args == [3]
    label = dialog.values_label
    assert label.isVisibleTo(dialog)
    # (the untranslated source; the English catalogue says "2 rows", "1 row")
    assert label.text().startswith("Student status does not accept: “放假” (2 row(s)), “gone” "
                                   "(1 row(s)).")
    accepted = label.text().split("Accepted values: ", 1)[1]
    assert accepted.startswith("enrolled, suspended")  # English first in English
    for value in ("在读", "休学", "退学", "毕业", "graduated"):
        assert value in accepted
    assert dialog.steps.currentIndex() == 0 and len(connector.list_rows()) == 50


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_imports_as_it_is(qtbot, connector, tmp_path, suffix):
    dialog = ImportDialog(connector)
    qtbot.addWidget(dialog)
    path = tmp_path / f"template{suffix}"
    with qtbot.waitSignal(dialog.templateSaved, timeout=10_000) as saved:
        dialog.template_saver.save_to(path)
    assert saved.args == [str(path)] and str(path) in dialog.status_label.text()
    table = read_table(path)
    assert table.headers == ["Student No.", "Name", "College", "Class", "Student status"]
    assert len(table.rows) == 1
    mapping = guess_mapping(table.headers)
    assert None not in mapping.values()
    result = map_rows(table, mapping)
    assert not result.errors and result.students[0].student_no == "2024000001"
    assert result.students[0].status is StudentStatus.ENROLLED


def test_template_in_chinese_imports_too(tmp_path, chinese):
    texts = template_texts()
    assert texts.headers == ("学号", "姓名", "学院", "班级", "学籍状态")
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"模板{suffix}"
        write_template(path, texts)
        table = read_table(path)
        result = map_rows(table, guess_mapping(table.headers))
        assert not result.errors and result.students[0].status is StudentStatus.ENROLLED
    assert (tmp_path / "模板.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_template_from_the_file_menu(qtbot, paths, connector, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from campuscard_gui.backends.factory import open_connector
    from campuscard_gui.batch import Journal
    from campuscard_gui.config import ConfigStore
    from campuscard_gui.ui.window.main_window import MainWindow

    journal = Journal(paths.journal_path)
    window = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                        connector=connector, offer_resume=False)
    qtbot.addWidget(window)
    try:
        action = window.template_action
        assert action.objectName() == "saveImportTemplateAction"
        assert action.text() == "Save import template…"
        file_menu = window.menuBar().findChild(type(window.menuBar().addMenu("x")), "fileMenu")
        assert action in file_menu.actions()
        target = tmp_path / "from-menu.xlsx"
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(target), "")))
        with qtbot.waitSignal(window.template_saver.saved, timeout=10_000):
            action.trigger()
        assert read_table(target).headers[0] == "Student No."
    finally:
        window.close()
        journal.close()


_LATIN = re.compile(r"[A-Za-z]")


def _without_accelerator(text: str) -> str:
    return re.sub(r"\(&[A-Z]\)", "", text)


def test_english_has_no_chinese(qtbot, connector, tmp_path):
    text, _ = _file_with_changes(connector)
    dialog = open_dialog(qtbot, connector, tmp_path, text)
    with qtbot.waitSignal(dialog.previewReady, timeout=10_000):
        dialog.start_preview()
    shown = [dialog.summary_label.text(), dialog.status_label.text(),
             dialog.confirm_button.text(), dialog.back_button.text(),
             dialog.template_button.text(), dialog.preview_tabs.tabText(0),
             dialog.preview_tabs.tabText(1)]
    assert not [t for t in shown if has_cjk(t)]


def test_chinese_texts(qtbot, connector, tmp_path, chinese):
    text, _ = _file_with_changes(connector)
    dialog = open_dialog(qtbot, connector, tmp_path, text)
    with qtbot.waitSignal(dialog.previewReady, timeout=10_000):
        dialog.start_preview()
    shown = [dialog.summary_label.text(), dialog.status_label.text(),
             dialog.confirm_button.text(), dialog.back_button.text(),
             dialog.template_button.text(), dialog.preview_tabs.tabText(0),
             dialog.preview_tabs.tabText(1), dialog.windowTitle()]
    shown += [dialog.changes_view.model().headerData(i, Qt.Orientation.Horizontal)
              for i in range(5)]
    assert not [t for t in shown if _LATIN.search(_without_accelerator(t))], shown
    dialog.back_to_columns()
    dialog.mapping_combos["student_no"].setCurrentIndex(0)
    missing = dialog.missing_label.text()
    assert missing.startswith("缺少必需的列")
    assert "学号" in missing
