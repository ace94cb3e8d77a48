"""The personal-information notice a member of staff accepts once, when activating (PIPL:
what is recorded, who sees it, how long it is kept). Versioned in code: changing the text
means a new `VERSION`, and an acceptance is recorded with the version that was shown."""

from django.utils.translation import gettext_lazy as _

VERSION = "2026-11-1"

TITLE = _("How your personal information is used")

PARAGRAPHS = [
    _(
        "What is recorded: your name, employee number, site, team and position from your "
        "company's roster; your learning progress, your quiz answers and role-play choices, "
        "your supervisors' observations, your competency levels and your certificates."
    ),
    _(
        "Who sees it: you; the supervisors of your site or team; the trainers who run the "
        "courses. A certificate's holder, program and dates can be checked by anyone who has "
        "its verification code."
    ),
    _(
        "Why: to train you, to show you and your supervisors what you have learnt, and to "
        "certify you for your work."
    ),
    _(
        "How long: while you work for the company, and for three years after you leave, to "
        "answer questions about certificates issued; then it is deleted. Ask your supervisor "
        "to see, correct or delete your information."
    ),
]
