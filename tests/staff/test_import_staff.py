"""`manage.py import_staff` end to end: files in, staff out, or nothing at all."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from staff.models import StaffProfile
from tests.factories import SiteFactory, StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    binhe = SiteFactory(code="bh", name="滨河花园服务中心")
    TeamFactory(site=binhe, name="前台一组")
    SiteFactory(code="lt", name="兰亭苑服务中心")
    return binhe


def write_csv(tmp_path, body: str, encoding="utf-8-sig"):
    path = tmp_path / "roster.csv"
    path.write_text("工号,姓名,岗位,项目,班组,入职日期,在职\n" + body, encoding=encoding)
    return path


def test_csv_creates_staff_with_logins(sites, tmp_path, capsys):
    path = write_csv(
        tmp_path,
        "A1,林晓雯,前台,滨河花园服务中心,前台一组,2026-09-01,是\n"
        "A2,王建国,客服主管,lt,,2019-03-15,是\n",
    )
    call_command("import_staff", str(path))
    assert "2" in capsys.readouterr().out
    staff = StaffProfile.objects.get(employee_number="A1")
    assert staff.name == "林晓雯" and staff.team.name == "前台一组"
    assert staff.user.username == "A1" and not staff.user.has_usable_password()
    assert staff.user.groups.filter(name="learner").exists()


def test_reimport_updates_and_keeps_history(sites, tmp_path):
    call_command("import_staff", str(write_csv(tmp_path, "A1,林晓雯,前台,bh,,,是\n")))
    call_command("import_staff", str(write_csv(tmp_path, "A1,林晓雯,客服专员,bh,,,否\n")))
    staff = StaffProfile.objects.get(employee_number="A1")
    assert staff.position == "specialist" and staff.active is False
    assert staff.user.is_active is False  # a leaver can no longer log in
    assert staff.history.count() == 2
    assert StaffProfile.objects.count() == 1


def test_bad_roster_imports_nothing_and_names_lines(sites, tmp_path, capsys):
    StaffFactory(employee_number="OLD1", name="老员工")
    path = write_csv(
        tmp_path, "A1,林晓雯,前台,bh,,,\nA1,张伟,前台,bh,,,\nA3,李娜,前台,nowhere,,,\n"
    )
    with pytest.raises(CommandError, match="2"):
        call_command("import_staff", str(path))
    err = capsys.readouterr().err
    assert "3" in err and "A1" in err  # the duplicate on line 3
    assert "4" in err and "nowhere" in err  # the unknown site on line 4
    assert list(StaffProfile.objects.values_list("employee_number", flat=True)) == ["OLD1"]


def test_xlsx_roster(sites, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["employee_number", "name", "position", "site", "team", "hire_date"])
    sheet.append([10023, "𠮷田明", "前台", "bh", "前台一组", "2026-10-30"])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    call_command("import_staff", str(path))
    staff = StaffProfile.objects.get(employee_number="10023")  # not "10023.0"
    assert staff.name == "𠮷田明"  # a GB18030 supplementary-plane character survives


def test_unsupported_file_type(tmp_path):
    path = tmp_path / "roster.txt"
    path.write_text("x")
    with pytest.raises(CommandError):
        call_command("import_staff", str(path))


def write_contacts(tmp_path, body: str):
    path = tmp_path / "contacts.csv"
    path.write_text("工号,姓名,岗位,项目,手机,企业微信,钉钉\n" + body, encoding="utf-8")
    return path


def test_contact_columns_are_imported_and_a_taken_wecom_id_refused(sites, tmp_path, capsys):
    call_command(
        "import_staff", str(write_contacts(tmp_path, "A1,林晓雯,前台,bh,138 0013 8000,linxw,\n"))
    )
    staff = StaffProfile.objects.get(employee_number="A1")
    assert (staff.mobile, staff.wecom_userid, staff.dingtalk_userid) == (
        "13800138000",
        "linxw",
        "",
    )
    # Another person may not take the same WeCom id: a WeCom login would lead to two people.
    with pytest.raises(CommandError):
        call_command("import_staff", str(write_contacts(tmp_path, "A2,王建国,前台,bh,,linxw,\n")))
    err = capsys.readouterr().err
    assert "第 2 行" in err and "linxw" in err and "A1" in err
    assert not StaffProfile.objects.filter(employee_number="A2").exists()
    # The same person keeps theirs on re-import; a roster without the columns changes nothing.
    call_command("import_staff", str(write_contacts(tmp_path, "A1,林晓雯,前台,bh,,linxw,ding01\n")))
    call_command("import_staff", str(write_csv(tmp_path, "A1,林晓雯,前台,bh,,,是\n")))
    staff.refresh_from_db()
    assert (staff.mobile, staff.wecom_userid, staff.dingtalk_userid) == ("", "linxw", "ding01")


def test_the_admin_form_refuses_a_wecom_id_another_person_has():
    StaffFactory(wecom_userid="linxw")
    other = StaffFactory()
    other.wecom_userid, other.mobile = "linxw", "12345"
    with pytest.raises(ValidationError) as caught:
        other.full_clean()  # what the Wagtail snippet form runs
    errors = caught.value.message_dict
    assert errors["__all__"] == ["已有其他员工使用这个账号。"]
    assert "不是有效的手机号" in errors["mobile"][0]
    other.wecom_userid = other.mobile = ""
    other.full_clean()  # any number of people may have none
