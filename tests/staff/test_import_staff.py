"""`manage.py import_staff` end to end: files in, staff out, or nothing at all."""

import pytest
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
