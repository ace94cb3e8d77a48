"""Rules of certificate designs as plain Python: the accent colour, and who may approve a
design with a seal and when it may go live (certification/design_rules.py)."""

from datetime import datetime, timedelta

import pytest

from certification.design_rules import (
    Approval,
    accent_is_legible,
    contrast_ratio,
    may_approve,
    may_go_live,
    normalise_colour,
)

SAVED = datetime(2026, 12, 1, 10, 0)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("#9A2A2A", "#9a2a2a"), ("#abc", "#aabbcc"), ("1f4e79", "#1f4e79"), (" #000000 ", "#000000")],
)
def test_a_hex_colour_is_written_out_in_lower_case(typed, stored):
    assert normalise_colour(typed) == stored


@pytest.mark.parametrize("typed", ["", "red", "#12345", "#gggggg", "#1234567", "rgb(0,0,0)"])
def test_anything_else_is_no_colour(typed):
    assert normalise_colour(typed) is None


def test_contrast_ratio_runs_from_one_to_twenty_one():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#9a2a2a", "#9a2a2a") == pytest.approx(1.0)


def test_the_accent_must_stand_out_from_the_paper():
    assert accent_is_legible("#9a2a2a")  # the default dark red
    assert accent_is_legible("#1f4e79")  # a dark blue
    assert not accent_is_legible("#ffe680")  # pale yellow: the title would vanish
    assert not accent_is_legible("#fffdf8")  # the paper itself


def test_the_submitter_never_approves_their_own_design():
    assert may_approve(approver_id=2, submitter_id=1)
    assert not may_approve(approver_id=1, submitter_id=1)
    assert not may_approve(approver_id=None, submitter_id=1)


def test_a_design_without_a_seal_goes_live_without_approval():
    assert may_go_live(has_seal=False, approval=None, changed_at=SAVED)


def test_a_sealed_design_needs_a_second_persons_approval_after_its_last_change():
    later = SAVED + timedelta(minutes=5)
    assert not may_go_live(has_seal=True, approval=None, changed_at=SAVED)
    by_other = Approval(submitter_id=1, approver_id=2, approved_at=later)
    assert may_go_live(has_seal=True, approval=by_other, changed_at=SAVED)
    by_self = Approval(submitter_id=1, approver_id=1, approved_at=later)
    assert not may_go_live(has_seal=True, approval=by_self, changed_at=SAVED)
    # Changed again after the approval: that change has not been approved.
    assert not may_go_live(has_seal=True, approval=by_other, changed_at=later + timedelta(1))
