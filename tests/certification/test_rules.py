"""Certification rules as plain Python."""

import math
from datetime import date

from certification import rules


def test_verification_codes_are_long_random_and_readable():
    codes = {rules.new_verification_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(rules.CODE_RE.match(c) for c in codes)
    # 26,000 characters drawn: each of the 32 symbols shows up (5 bits a character), and no
    # look-alike (0 O 1 I) is among them.
    symbols = set("".join(codes))
    assert len(symbols) == 32 and not symbols & set("0O1I")
    assert min(len(c) for c in codes) * math.log2(len(symbols)) >= 128  # 26 × 5 = 130 bits


def test_codes_are_read_as_typed_and_forged_ones_refused():
    code = rules.new_verification_code()
    spaced = " ".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    assert rules.normalise_code(spaced) == code
    assert rules.normalise_code(code[:-1]) is None  # truncated
    assert rules.normalise_code(code[:-1] + "0") is None  # 0 is not in the alphabet
    assert rules.normalise_code("") is None


def test_serial_numbers():
    assert rules.serial_number(2026, 123) == "KF-2026-000123"


def test_serials_are_read_as_people_type_them_from_the_certificate():
    for typed in [
        "KF-2026-000005",
        "kf-2026-000005",  # any case
        "  KF 2026 000005 ",  # spaces, at the ends and between
        "ＫＦ－２０２６－０００００５",  # full-width, from a Chinese input method
        "KF\u30002026\u3000000005",  # ideographic spaces
        "KF—2026—000005",  # em dashes
        "KF——2026——000005",  # the doubled em dash a Chinese input method gives for "_"
        "KF–2026–000005",  # en dashes
        "KF\u22122026\u2212000005",  # minus signs
        "KF2026000005",  # no dashes at all
        "KF-2026-5",  # without the leading zeros
    ]:
        assert rules.normalise_serial(typed) == "KF-2026-000005", typed


def test_anything_else_is_no_serial():
    code = rules.new_verification_code()
    for typed in [
        "",
        code,  # a verification code is answered as a code
        "KF-2026-000001/",
        "KF-26-000005",  # a two-digit year
        "AB-2026-000005",
        "KF-2026-",
        "KF-2026-0000000005",  # ten digits: no sequence is that long
        "KF-\u0662\u0660\u0662\u0666-000005",  # Arabic-Indic digits are no year of ours
        "KF-2026-000005 x",
        "证书编号：KF-2026-000005",
    ]:
        assert rules.normalise_serial(typed) is None, typed
    assert rules.normalise_code("KF-2026-000005") is None  # and a serial is no code


def test_status():
    today = date(2026, 11, 23)
    assert (
        rules.status(expires_on=date(2026, 12, 1), revoked=False, superseded=False, today=today)
        == "valid"
    )
    assert (
        rules.status(expires_on=date(2026, 11, 22), revoked=False, superseded=False, today=today)
        == "expired"
    )
    assert rules.status(expires_on=None, revoked=True, superseded=False, today=today) == "revoked"
    assert (
        rules.status(expires_on=None, revoked=False, superseded=True, today=today) == "superseded"
    )


def test_add_months_keeps_the_day_or_the_month_end():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 11, 23), 12) == date(2027, 11, 23)


def test_requirements_met_and_missing():
    requirements = [
        rules.Requirement(rules.LESSONS, 5),
        rules.Requirement(rules.QUIZ, 7, min_percent=80),
        rules.Requirement(rules.ROLEPLAY, 9, min_percent=70),
    ]
    evidence = rules.Evidence(
        completed_modules={5}, quiz_best={7: (75.0, True)}, roleplay_best={9: (90.0, True)}
    )
    assert [r.target_id for r in rules.missing(requirements, evidence)] == [7]
    evidence.quiz_best[7] = (85.0, True)
    assert rules.missing(requirements, evidence) == []
    evidence.quiz_best[7] = (85.0, False)  # a score without a pass does not count
    assert rules.missing(requirements, evidence)


def test_a_role_play_requirement_on_one_dimension():
    empathy = rules.Requirement(rules.ROLEPLAY, 9, min_percent=80, dimension="empathy")
    evidence = rules.Evidence(
        roleplay_best={9: (95.0, True)},
        roleplay_dimensions={9: {"empathy": 60.0, "process": 100.0}},
    )
    assert rules.missing([empathy], evidence) == [empathy]  # a high overall is not enough
    evidence.roleplay_dimensions[9]["empathy"] = 80.0
    assert rules.missing([empathy], evidence) == []
    assert rules.missing([empathy], rules.Evidence()) == [empathy]


def test_an_observation_lists_the_items_not_met_in_the_checklist_order():
    keys = [key for key, _label in rules.OBSERVATION_CHECKLIST]
    everything = dict.fromkeys(keys, True)
    assert rules.observation_unmet(everything) == [] and rules.observation_passed(everything)
    results = {**everything, "see_out": False, "uniform_badge": False}
    del results["phone_three_rings"]  # not in the results: not seen met
    unmet = [key for key, _label in rules.observation_unmet(results)]
    assert unmet == ["uniform_badge", "phone_three_rings", "see_out"]
    assert not rules.observation_passed(results)
