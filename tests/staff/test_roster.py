"""Roster validation rules, without a database."""

import pytest

from staff.contact import normalize_mobile
from staff.roster import RosterError, SiteDirectory, _read_csv, validate_rows

DIRECTORY = SiteDirectory(
    site_codes_by_label={"bh": "bh", "滨河花园服务中心": "bh", "lt": "lt"},
    team_names_by_site={"bh": {"前台一组"}, "lt": {"前台组"}},
)
HEADER = "工号,姓名,岗位,项目,班组,入职日期,在职\n"


def rows(text: str):
    return _read_csv((HEADER + text).encode("utf-8"))


def test_good_rows_are_normalised():
    valid = validate_rows(
        rows(
            "A1,林晓雯,前台,滨河花园服务中心,前台一组,2026/9/1,是\nA2,王建国,supervisor,lt,,,否\n"
        ),
        DIRECTORY,
    )
    assert [r.employee_number for r in valid] == ["A1", "A2"]
    assert valid[0].site_code == "bh" and valid[0].position == "front_desk"
    assert str(valid[0].hire_date) == "2026-09-01" and valid[0].active is True
    assert valid[1].position == "supervisor" and valid[1].active is False
    assert valid[1].team_name == "" and valid[1].hire_date is None


def test_every_bad_row_is_reported_with_its_line():
    with pytest.raises(RosterError) as caught:
        validate_rows(
            rows(
                "A1,林晓雯,前台,bh,前台一组,,\n"
                "A1,张伟,前台,bh,,,\n"  # duplicate of line 2
                "A3,李娜,前台,nowhere,,,\n"  # unknown site
                "A4,赵磊,保安,bh,前台九组,2026-13-01,也许\n"
            ),
            DIRECTORY,
        )
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0] == "第 3 行：工号 A1 与第 2 行重复"
    assert "nowhere" in problems[1]
    # one line can have several problems; all are named
    assert "保安" in problems[2] and "前台九组" in problems[2] and "2026-13-01" in problems[2]
    assert "也许" in problems[2]


def test_missing_required_column_is_reported_on_line_1():
    with pytest.raises(RosterError) as caught:
        _read_csv("工号,姓名\nA1,林晓雯\n".encode())
    assert "1" in caught.value.problems[0]
    assert "position" in caught.value.problems[0] and "site" in caught.value.problems[0]


def test_gbk_csv_from_excel_is_read():
    data = (HEADER + "A1,林晓雯,前台,bh,前台一组,,\n").encode("gbk")
    [(line, row)] = _read_csv(data)
    assert line == 2 and row["name"] == "林晓雯"


def test_header_only_file_is_refused():
    with pytest.raises(RosterError):
        validate_rows(rows(""), DIRECTORY)


def test_a_bad_email_and_over_long_values_are_listed_with_their_line():
    header = "工号,姓名,岗位,项目,班组,入职日期,在职,邮箱\n"
    table = _read_csv(
        (
            header
            + "A1,林晓雯,前台,bh,前台一组,,是,xiaolin@example.com\n"
            + "A2,张伟,前台,bh,,,是,not-an-email\n"
            + "A3,李娜,前台,bh,,,是,li na@example.com\n"
            + f"A4,{'长' * 81},前台,bh,,,是,\n"
            + f"{'9' * 33},赵磊,前台,bh,,,是,\n"
        ).encode()
    )
    with pytest.raises(RosterError) as caught:
        validate_rows(table, DIRECTORY)
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("第 3 行") and "not-an-email" in problems[0]
    assert problems[1].startswith("第 4 行") and "li na@example.com" in problems[1]
    assert problems[2].startswith("第 5 行") and "80" in problems[2]
    assert problems[3].startswith("第 6 行") and "32" in problems[3]


def test_a_roster_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    from staff import roster

    monkeypatch.setattr(roster.limits, "ROSTER_FILE_BYTES", 1000)
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "A1,林晓雯,前台,bh,前台一组,,\n" * 40, encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        roster.read_table(path)
    assert caught.value.problems == ["文件太大：最多 1 KB。"]  # 1,000 bytes, as people say it


CONTACT_HEADER = "工号,姓名,岗位,项目,手机,企业微信,钉钉\n"


def contact_rows(text: str):
    return _read_csv((CONTACT_HEADER + text).encode("utf-8"))


def test_mobile_numbers_are_stored_as_eleven_digits():
    assert normalize_mobile("138 0013 8000") == "13800138000"
    assert normalize_mobile("+86 139-0000-1111") == "13900001111"
    assert normalize_mobile("008615912345678") == "15912345678"
    for not_mobile in ("12800138000", "1380013800", "021-6234 5678", "138001380001", "abc"):
        assert normalize_mobile(not_mobile) is None, not_mobile


def test_contact_columns_are_read_and_checked():
    valid = validate_rows(
        contact_rows("A1,林晓雯,前台,bh,+86 138-0013-8000,linxw,ding_01\nA2,王建国,前台,lt,,,\n"),
        DIRECTORY,
    )
    assert (valid[0].mobile, valid[0].wecom_userid, valid[0].dingtalk_userid) == (
        "13800138000",
        "linxw",
        "ding_01",
    )
    assert (valid[1].mobile, valid[1].wecom_userid) == ("", "")  # blank: cleared on import
    # A roster without the columns leaves what is stored alone.
    assert validate_rows(rows("A1,林晓雯,前台,bh,,,\n"), DIRECTORY)[0].mobile is None


def test_bad_contacts_and_a_wecom_id_given_twice_are_reported_by_line():
    with pytest.raises(RosterError) as caught:
        validate_rows(
            contact_rows(
                "A1,林晓雯,前台,bh,1380013800,linxw,\nA2,王建国,前台,bh,13900001111,linxw,林 晓雯\n"
            ),
            DIRECTORY,
        )
    first, second = caught.value.problems
    assert first.startswith("第 2 行") and "1380013800" in first and "手机号" in first
    assert second.startswith("第 3 行") and "linxw" in second and "第 2 行" in second
    assert "林 晓雯" in second  # a DingTalk id with a space cannot be one
