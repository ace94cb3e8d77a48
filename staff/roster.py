"""Reading and validating a staff roster (CSV or XLSX). Pure: no database access.

A roster is checked whole before anything is written, so that one bad row means nothing is
imported and every problem is reported with its line number at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from academy import limits
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .contact import normalize_mobile, userid_problem
from .models import Position, StaffProfile

# Accepted column headers (English and the Chinese an HR export would use).
HEADER_ALIASES = {
    "employee_number": {"employee_number", "工号", "员工编号"},
    "name": {"name", "姓名"},
    "position": {"position", "岗位", "职位"},
    "site": {"site", "项目", "服务中心"},
    "team": {"team", "班组", "团队"},
    "hire_date": {"hire_date", "入职日期"},
    "active": {"active", "在职"},
    "email": {"email", "邮箱"},
    "mobile": {"mobile", "手机", "手机号", "手机号码"},
    "wecom_userid": {"wecom_userid", "企业微信", "企业微信账号", "企业微信userid"},
    "dingtalk_userid": {"dingtalk_userid", "钉钉", "钉钉账号", "钉钉userid"},
}
CHANNEL_IDS = ("wecom_userid", "dingtalk_userid")
# HR rosters use the Chinese job titles whatever language the importing user has chosen.
POSITION_NAMES_ZH = {
    Position.FRONT_DESK: "前台",
    Position.SERVICE_SPECIALIST: "客服专员",
    Position.SUPERVISOR: "客服主管",
    Position.MANAGER: "客服经理",
}
REQUIRED_COLUMNS = ("employee_number", "name", "position", "site")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "在职", ""}
FALSE_WORDS = {"0", "false", "no", "n", "否", "离职"}
NAME_MAX = StaffProfile._meta.get_field("name").max_length
NUMBER_MAX = StaffProfile._meta.get_field("employee_number").max_length
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


class RosterError(Exception):
    """The roster cannot be imported; `problems` lists each one with its line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RosterRow:
    line: int
    employee_number: str
    name: str
    position: str
    site_code: str
    team_name: str
    hire_date: dt.date | None
    active: bool
    email: str
    # None where the roster has no such column: the import then leaves the value alone.
    mobile: str | None = None
    wecom_userid: str | None = None
    dingtalk_userid: str | None = None


@dataclass
class SiteDirectory:
    """The sites and teams a roster may refer to: site code or name → code, and teams."""

    site_codes_by_label: dict[str, str]
    team_names_by_site: dict[str, set[str]] = field(default_factory=dict)

    def site_code(self, label: str) -> str | None:
        return self.site_codes_by_label.get(label)


def read_table(path: Path) -> list[tuple[int, dict[str, object]]]:
    """Rows of a CSV or XLSX file as (line number, {column: value}), header on line 1."""
    suffix = path.suffix.lower()
    if path.stat().st_size > limits.ROSTER_FILE_BYTES:
        raise RosterError(
            [
                _("The file is too large: at most %(size)s.")
                % {"size": limits.file_size_label(limits.ROSTER_FILE_BYTES)}
            ]
        )
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path.read_bytes())
    raise RosterError(
        [_("Unsupported file type %(suffix)s: use .csv or .xlsx.") % {"suffix": suffix or "?"}]
    )


def _decode(data: bytes) -> str:
    # Excel on a Chinese Windows saves CSV as GB18030/GBK; everything else uses UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError([_("The file is neither UTF-8 nor GB18030 text.")])


def _read_csv(data: bytes) -> list[tuple[int, dict[str, object]]]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    header = next(reader, None)
    if header is None:
        raise RosterError([_("The file is empty.")])
    columns = _map_header(header)
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        rows.append((reader.line_num, _row_dict(columns, values)))
    return rows


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, object]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise RosterError([_("Cannot read the workbook: %(error)s") % {"error": error}]) from error
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = next(rows_iter, None)
    if header is None:
        raise RosterError([_("The file is empty.")])
    columns = _map_header(["" if h is None else str(h) for h in header])
    rows = []
    for line, values in enumerate(rows_iter, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((line, _row_dict(columns, list(values))))
    workbook.close()
    return rows


def _map_header(header: list[str]) -> list[str | None]:
    columns: list[str | None] = []
    for raw in header:
        label = raw.strip().lower()
        columns.append(next((k for k, names in HEADER_ALIASES.items() if label in names), None))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise RosterError(
            [_("Line 1: missing column(s) %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    return columns


def _row_dict(columns: list[str | None], values: list[object]) -> dict[str, object]:
    return {col: val for col, val in zip(columns, values, strict=False) if col is not None}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores employee numbers typed as digits as floats
    return str(value).strip()


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _position(value: str) -> str | None:
    for choice in Position:
        if value in (choice.value, str(choice.label), POSITION_NAMES_ZH[choice]):
            return choice.value
    return None


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def validate_rows(
    rows: list[tuple[int, dict[str, object]]], directory: SiteDirectory
) -> list[RosterRow]:
    """Check every row; return them all, or raise RosterError listing every problem."""
    problems: list[str] = []
    valid: list[RosterRow] = []
    first_line_of: dict[str, int] = {}
    first_line_of_id: dict[tuple[str, str], int] = {}
    if not rows:
        raise RosterError([_("The file has a header but no staff rows.")])
    for line, raw in rows:
        row, row_problems = _read_row(line, raw, directory, first_line_of)
        contact, contact_problems = _contact(line, raw, first_line_of_id)
        row_problems += contact_problems
        if row is not None and not row_problems:
            row = replace(row, **contact)
        if row_problems:
            problems.append(
                _("Line %(line)s: %(problems)s")
                % {"line": line, "problems": "; ".join(row_problems)}
            )
            continue
        valid.append(row)
    if problems:
        raise RosterError(problems)
    return valid


def _read_row(
    line: int, raw: dict[str, object], directory: SiteDirectory, first_line_of: dict[str, int]
) -> tuple[RosterRow | None, list[str]]:
    """One row as a RosterRow, or None and everything wrong with it, field by field.
    `first_line_of` (employee number → its first line) learns this row's number."""
    problems: list[str] = []
    number = _text(raw.get("employee_number"))
    problems += _number_problems(number, line, first_line_of)
    name = _text(raw.get("name"))
    problems += _name_problems(name)
    position_text = _text(raw.get("position"))
    position = _position(position_text)
    if position is None:
        problems.append(_("unknown position “%(value)s”") % {"value": position_text})
    site_label = _text(raw.get("site"))
    site_code = directory.site_code(site_label)
    team_name = _text(raw.get("team"))
    problems += _place_problems(directory, site_label, site_code, team_name)
    hire_date, date_problems = _hire_date(raw.get("hire_date"))
    problems += date_problems
    active_text = _text(raw.get("active")).lower()
    if active_text not in TRUE_WORDS | FALSE_WORDS:
        problems.append(_("active must be 是 or 否, not “%(value)s”") % {"value": active_text})
    email = _text(raw.get("email"))
    if email and not _is_email(email):
        problems.append(_("“%(value)s” is not an e-mail address") % {"value": email})
    if problems:
        return None, problems
    return RosterRow(
        line=line,
        employee_number=number,
        name=name,
        position=position,
        site_code=site_code,
        team_name=team_name,
        hire_date=hire_date,
        active=active_text not in FALSE_WORDS,
        email=email,
    ), []


def _contact(
    line: int, raw: dict[str, object], first_line_of_id: dict[tuple[str, str], int]
) -> tuple[dict[str, str], list[str]]:
    """The mobile number and WeCom / DingTalk ids the row gives (only for columns the file
    has), and what is wrong with them. An id may belong to one person only: `first_line_of_id`
    ((column, id) → its first line) learns this row's ids."""
    contact: dict[str, str] = {}
    problems: list[str] = []
    if "mobile" in raw:
        text = _text(raw["mobile"])
        mobile = normalize_mobile(text) if text else ""
        if mobile is None:
            problems.append(_("“%(value)s” is not a mainland mobile number") % {"value": text})
        contact["mobile"] = mobile or ""
    for column in CHANNEL_IDS:
        if column not in raw:
            continue
        userid = _text(raw[column])
        contact[column] = userid
        if not userid:
            continue
        label = _("WeCom user ID") if column == "wecom_userid" else _("DingTalk user ID")
        problem = userid_problem(userid)
        if problem:
            problems.append(f"{label} “{userid}”: {problem}")
        elif (column, userid) in first_line_of_id:
            problems.append(
                _("%(label)s %(value)s already appears on line %(line)s")
                % {"label": label, "value": userid, "line": first_line_of_id[column, userid]}
            )
        else:
            first_line_of_id[column, userid] = line
    return contact, problems


def _number_problems(number: str, line: int, first_line_of: dict[str, int]) -> list[str]:
    """An employee number must be given, fit the field, and appear on one line only."""
    problems = []
    if not number:
        problems.append(_("employee number is empty"))
    elif number in first_line_of:
        problems.append(
            _("employee number %(number)s already appears on line %(line)s")
            % {"number": number, "line": first_line_of[number]}
        )
    else:
        first_line_of[number] = line
    if len(number) > NUMBER_MAX:
        problems.append(
            _("employee number is longer than %(count)s characters") % {"count": NUMBER_MAX}
        )
    return problems


def _name_problems(name: str) -> list[str]:
    if not name:
        return [_("name is empty")]
    if len(name) > NAME_MAX:
        return [_("name is longer than %(count)s characters") % {"count": NAME_MAX}]
    return []


def _place_problems(
    directory: SiteDirectory, site_label: str, site_code: str | None, team_name: str
) -> list[str]:
    """The site must be known; a team, if given, must exist at that site."""
    if site_code is None:
        return [_("unknown site “%(value)s”") % {"value": site_label}]
    if (
        site_code
        and team_name
        and team_name not in directory.team_names_by_site.get(site_code, set())
    ):
        return [
            _("team “%(team)s” does not exist at site “%(site)s”")
            % {"team": team_name, "site": site_label}
        ]
    return []


def _hire_date(value: object) -> tuple[dt.date | None, list[str]]:
    """The hire date (None if the cell is empty), or the problem with it."""
    if not _text(value):
        return None, []
    try:
        return _date(value), []
    except ValueError:
        return None, [
            _("hire date “%(value)s” is not a date (use YYYY-MM-DD)") % {"value": _text(value)}
        ]
