"""The student import dialog: a good file imports everything; a file with bad rows lists every
problem (row number + reason) and imports nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.batch import Journal
from campuscard_gui.config import ConfigStore
from campuscard_gui.core.model import StudentStatus
from campuscard_gui.ui.importing.import_dialog import ImportDialog
from campuscard_gui.ui.window.main_window import MainWindow

GOOD = (
    "学号,姓名,学院,班级,学籍状态\n"
    "2099000001,新生甲,理学院,数学9901,在读\n"
    "2099000002,新生乙,理学院,数学9901,在读\n"
    "2099000003,新生丙,外国语学院,英语9902,休学\n"
)
BAD = (
    "Student ID,Name,College,Class,Status\n"
    "2099000011,Ann,Science,M1,在读\n"
    "2099000012,,Science,M1,在读\n"  # row 3: no name
    "2099000013,Bob,Science,M1,放假\n"  # row 4: unknown status
    "2099000011,Cat,Science,M1,在读\n"  # row 5: duplicate 学号
)


@pytest.fixture
def connector(paths):
    path = paths.local_db_path("local")
    init_demo(path, students=50)
    c = LocalConnector(path)
    yield c
    c.close()


def open_dialog(qtbot, connector, tmp_path, name: str, text: str) -> ImportDialog:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    dialog = ImportDialog(connector)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.tableLoaded) as loaded:
        dialog.load_file(path)
    assert loaded.args == [len(text.strip().splitlines()) - 1]
    return dialog


def test_good_csv_imports_all_rows(qtbot, connector, tmp_path):
    dialog = open_dialog(qtbot, connector, tmp_path, "good.csv", GOOD)
    assert dialog.mapping() == {"student_no": 0, "name": 1, "college": 2, "class_name": 3,
                                "status": 4}
    assert dialog.preview.rowCount() == 3 and dialog.preview.columnCount() == 5
    assert dialog.preview.item(0, 1).text() == "新生甲"
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.previewReady, timeout=10_000) as previewed:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert len(previewed.args[0].new) == 3 and previewed.args[0].updated == 0
    assert len(connector.list_rows()) == 50  # nothing written before 导入
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as done:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert done.args[0].added == 3
    rows = {r.student_no: r for r in connector.list_rows()}
    assert len(rows) == 53
    assert rows["2099000003"].student.status is StudentStatus.SUSPENDED
    assert rows["2099000001"].student.class_name == "数学9901"


def test_bad_rows_are_listed_and_nothing_is_imported(qtbot, connector, tmp_path):
    dialog = open_dialog(qtbot, connector, tmp_path, "bad.csv", BAD)
    assert dialog.mapping()["student_no"] == 0 and dialog.mapping()["status"] == 4
    imported = []
    dialog.imported.connect(imported.append)
    with qtbot.waitSignal(dialog.rowErrors, timeout=10_000) as errors:
        dialog.start_preview()
    assert errors.args == [3]
    assert dialog.errors.isVisibleTo(dialog) and dialog.errors.rowCount() == 3
    listed = {dialog.errors.item(r, 0).text(): dialog.errors.item(r, 1).text()
              for r in range(3)}
    assert set(listed) == {"3", "4", "5"}
    assert "姓名" in listed["3"] and "放假" in listed["4"] and "重复" in listed["5"]
    assert imported == []
    assert len(connector.list_rows()) == 50
    assert "Nothing was imported" in dialog.status_label.text()


def test_unmapped_required_field_disables_import(qtbot, connector, tmp_path):
    dialog = open_dialog(qtbot, connector, tmp_path, "good.csv", GOOD)
    dialog.mapping_combos["status"].setCurrentIndex(0)  # (none)
    assert not dialog.import_button.isEnabled()
    dialog.mapping_combos["status"].setCurrentIndex(5)
    assert dialog.import_button.isEnabled()


def test_unreadable_file_reports_the_reason(qtbot, connector, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    dialog = ImportDialog(connector)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed) as failed:
        dialog.load_file(path)
    assert ".xls" in failed.args[0]
    assert not dialog.import_button.isEnabled()


def test_import_from_the_main_window_reloads(qtbot, paths, connector, tmp_path):
    journal = Journal(paths.journal_path)
    window = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                        connector=connector, offer_resume=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.total_count == 50 and window.import_action.isEnabled())
    with qtbot.waitSignal(window.flow.importDialogOpened) as opened:
        window.import_action.trigger()
    dialog = opened.args[0]
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    with qtbot.waitSignal(dialog.tableLoaded):
        dialog.load_file(path)
    with qtbot.waitSignal(dialog.previewReady, timeout=10_000):
        dialog.start_preview()
    with qtbot.waitSignal(window.rowsLoaded, timeout=10_000) as loaded:
        dialog.confirm_import()
    assert loaded.args == [53]
    assert window.model.row_for("2099000002") is not None
    window.close()
    journal.close()


def broken_xlsx(tmp_path, name: str = "broken.xlsx"):
    import io
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["学号", "姓名", "学籍状态"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut off in the middle of the sheet
            zf.writestr(info.filename, data)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def test_malformed_xlsx_shows_the_reason(qtbot, connector, tmp_path):
    dialog = ImportDialog(connector)
    qtbot.addWidget(dialog)
    for path, expected in (
            (broken_xlsx(tmp_path), "XLSX 文件内容有误：broken.xlsx"),
            (tmp_path / "text.xlsx", "不是有效的 XLSX 文件：text.xlsx")):
        if not path.exists():
            path.write_text("not a workbook", encoding="utf-8")
        with qtbot.waitSignal(dialog.failed) as failed:
            dialog.load_file(path)
        assert failed.args[0].startswith(expected)
        assert dialog.status_label.text() == failed.args[0]
        assert "unexpected" not in failed.args[0]
        assert not dialog.import_button.isEnabled() and dialog.browse_button.isEnabled()
    assert len(connector.list_rows()) == 50


def test_compression_bomb_and_row_cap_are_refused(qtbot, connector, tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(64):
                part.write(b"<row/>" * (1 << 18))
    dialog = ImportDialog(connector)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed) as failed:
        dialog.load_file(bomb)
    assert "疑似压缩炸弹" in failed.args[0] and "bomb.xlsx" in failed.args[0]

    rows = "".join(f"{2099000000 + i},某,在读\n" for i in range(200_001))
    big = tmp_path / "big.csv"
    big.write_text("学号,姓名,学籍状态\n" + rows, encoding="utf-8")
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        dialog.load_file(big)
    assert "big.csv" in failed.args[0] and "200,000" in failed.args[0]
    assert dialog.status_label.text() == failed.args[0]
