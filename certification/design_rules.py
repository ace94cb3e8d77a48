"""Rules of certificate designs, as plain Python.

Colours. A design's accent colour is a hex colour `#rrggbb` (the colour picker sends that;
`#rgb` and upper case are accepted and written out in full, lower case). The accent draws
the title and the frame on the certificate's paper (`PAPER`), so it must stand out from it:
a contrast ratio (WCAG 2) of at least `MIN_ACCENT_CONTRAST`, the level for large text.

Approval. A design that carries a seal (公章) goes live only after a second person approved
it: someone other than the person who submitted it for approval, and after its last change
(`may_go_live`). A design without a seal may be published directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

PAPER = "#fffdf8"  # the certificate's paper (certification/pdf/certificate.html)
MIN_ACCENT_CONTRAST = 3.0

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def normalise_colour(value: str) -> str | None:
    """`#rrggbb` in lower case, or None when `value` is no hex colour."""
    match = _HEX.match((value or "").strip())
    if match is None:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of a normalised colour."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two normalised colours: 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_is_legible(accent: str) -> bool:
    """The accent stands out from the paper enough for the title and the frame."""
    return contrast_ratio(accent, PAPER) >= MIN_ACCENT_CONTRAST


def needs_approval(*, has_seal: bool) -> bool:
    return has_seal


def may_approve(*, approver_id: int | None, submitter_id: int | None) -> bool:
    """Approval is a second person's: never the one who submitted the design."""
    return approver_id is not None and approver_id != submitter_id


@dataclass(frozen=True)
class Approval:
    """The last finished approval of a design: who submitted it, who approved it, when."""

    submitter_id: int | None
    approver_id: int | None
    approved_at: datetime


def may_go_live(*, has_seal: bool, approval: Approval | None, changed_at: datetime) -> bool:
    """A design without a seal may go live at any time; one with a seal only when a second
    person approved it (`may_approve`) after its last change (`changed_at`, when the
    revision being published was saved)."""
    if not needs_approval(has_seal=has_seal):
        return True
    return (
        approval is not None
        and may_approve(approver_id=approval.approver_id, submitter_id=approval.submitter_id)
        and approval.approved_at >= changed_at
    )
