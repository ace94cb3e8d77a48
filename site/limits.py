"""How much free text, and how many items, each kind of input may carry.

One table, so that a form, the service behind it and an importer refuse the same input with
the same figure. The figures leave a wide margin over real use (the longest demo question is
under 600 characters, the longest role-play line under 200) while keeping one record from
turning a page into megabytes or an import into minutes. Pure Python: no Django.
"""

from __future__ import annotations

# --- what people type into the platform's own pages
REASON = 500  # revoking, re-issuing, adjusting a level, unlocking an account
NOTE = 2000  # a supervisor's observation note
GRADER_COMMENT = 2000  # a trainer's comment on a written reply
WRITTEN_REPLY = 10_000  # a learner's written (essay) reply
SHORT_ANSWER = 500  # a learner's short or numeric answer
SEARCH = 100  # a search box
ACTIVATION_SHEET = 500  # people on one activation sheet (a large site's front desk is ~100)
DESCRIPTION = 2_000  # what a trainer writes about a program, a category, a competency
CERTIFICATE_STATEMENT = 200  # the sentence printed on an A4 certificate

# --- questions (editor, GIFT / Moodle XML import, the import command)
QUESTION_TEXT = 10_000  # the question, its general feedback, a reply template (with markup)
OPTION_TEXT = 2_000  # one option, match, blank or its feedback
OPTIONS = 30  # options, pairs, items or blanks of one question
MARKUP_DEPTH = 50  # elements nested in one imported text (HTML; Markdown lists and quotes)

# --- role-play scenarios (editor and Twee import)
SCENARIO_TEXT = 4_000  # the setting, one line of the owner, one feedback
CHOICE_TEXT = 500  # one reply a learner can pick (RunStep.choice_text holds 500)
CHOICES_PER_NODE = 12
CONDITIONS_PER_CHOICE = 5  # each is tested at every step of the best-path search
SCENARIO_NODES = 1_000

# --- one request's form (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS and _MEMORY_SIZE)
# The role-play editor posts about 43 fields and 3 KB per node with three choices: a
# 500-node scenario is 21,608 fields and 1.6 MB, over Django's defaults of 1,000 fields and
# 2.5 MB; these let the editor save what SCENARIO_NODES and the importer allow, about
# 1,000 nodes of three choices.
FORM_FIELDS = 50_000
FORM_BYTES = 5 * 1024 * 1024

# --- files
IMPORT_FILE_BYTES = 5 * 1024 * 1024  # a question bank or a Twee story
ROSTER_FILE_BYTES = 20 * 1024 * 1024  # 50,000 staff fit in a CSV of about 5 MB
JSON_DEPTH = 20  # nesting of JSON inside an import (Twee StoryData, kefu comments)


def file_size_label(size: int) -> str:
    """A limit in bytes as people say it: "5 MB", "512 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{max(1, round(size / 1024))} KB"
