"""The node editor: every node of a scenario, with its choices, edited in one place.

Texts and counts carry academy.limits, so that the form says so as the trainer types; the
engine (`engine.size_problems`) checks the same limits on every save and on import.
"""

from academy.limits import (
    CHOICE_TEXT,
    CHOICES_PER_NODE,
    CONDITIONS_PER_CHOICE,
    SCENARIO_NODES,
    SCENARIO_TEXT,
)
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from . import engine


class ConditionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("offer this choice only if"),
        choices=[
            (engine.SCORE_AT_LEAST, _("a dimension's score so far is at least")),
            (engine.SCORE_BELOW, _("a dimension's score so far is below")),
            (engine.VISITED, _("this node was visited earlier")),
            (engine.NOT_VISITED, _("this node was not visited earlier")),
        ],
    )
    dimension = blocks.ChoiceBlock(
        label=_("dimension"), required=False, choices=list(engine.DIMENSIONS.items())
    )
    value = blocks.IntegerBlock(label=_("score"), required=False, default=0)
    node = blocks.CharBlock(label=_("node key"), required=False)

    class Meta:
        icon = "help"
        label = _("Condition")


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("what the learner says"), max_length=CHOICE_TEXT)
    target = blocks.CharBlock(label=_("leads to node (key)"))
    empathy = blocks.IntegerBlock(label=engine.DIMENSIONS["empathy"], default=0)
    phrasing = blocks.IntegerBlock(label=engine.DIMENSIONS["phrasing"], default=0)
    process = blocks.IntegerBlock(label=engine.DIMENSIONS["process"], default=0)
    resolution = blocks.IntegerBlock(label=engine.DIMENSIONS["resolution"], default=0)
    feedback = blocks.TextBlock(
        label=_("expert's feedback"), required=False, max_length=SCENARIO_TEXT
    )
    conditions = blocks.ListBlock(
        ConditionBlock(), label=_("conditions"), required=False, max_num=CONDITIONS_PER_CHOICE
    )

    class Meta:
        icon = "comment"
        label = _("Choice")


PASS, FAIL = "pass", "fail"


class VerdictBlock(blocks.ChoiceBlock):
    """Whether an ending passes or fails; blank while a draft has not decided (an imported
    story whose endings carry no pass / fail tag). Stored as "pass" / "fail" / ""; scenarios
    saved before stored a boolean, read as pass / fail."""

    def to_python(self, value):
        return super().to_python(self.from_legacy(value))

    def normalize(self, value):
        return super().normalize(self.from_legacy(value))

    @staticmethod
    def from_legacy(value):
        if isinstance(value, bool):
            return PASS if value else FAIL
        return value


def verdict_passed(verdict) -> bool | None:
    """The engine's `passed` of an ending's verdict: True, False, None (not decided)."""
    return {PASS: True, FAIL: False}.get(VerdictBlock.from_legacy(verdict))


def passed_verdict(passed: bool | None) -> str:
    """The verdict stored for the engine's `passed`."""
    return "" if passed is None else (PASS if passed else FAIL)


class NodeBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        label=_("key"), max_length=80, help_text=_("Unique name of the node, e.g. N1.")
    )
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            (engine.OWNER, _("Owner speaks")),
            (engine.NARRATION, _("Narration")),
            (engine.ENDING, _("Ending")),
        ],
        default=engine.OWNER,
    )
    speaker = blocks.CharBlock(label=_("speaker"), required=False)
    mood = blocks.ChoiceBlock(label=_("mood"), required=False, choices=list(engine.MOODS.items()))
    text = blocks.TextBlock(label=_("text"), required=False, max_length=SCENARIO_TEXT)
    image = ImageChooserBlock(
        label=_("picture"),
        required=False,
        help_text=_("Shown with the line, e.g. a photo of the ceiling."),
    )
    outcome = blocks.TextBlock(
        label=_("outcome (endings)"), required=False, max_length=SCENARIO_TEXT
    )
    passed = VerdictBlock(
        label=_("ending: pass or fail"),
        required=False,
        choices=[(PASS, _("Passing ending")), (FAIL, _("Failing ending"))],
        help_text=_("Endings only: does a learner who ends here pass?"),
    )
    choices = blocks.ListBlock(
        ChoiceBlock(), label=_("choices"), required=False, max_num=CHOICES_PER_NODE
    )

    class Meta:
        icon = "user"
        label = _("Node")


class NodesBlock(blocks.StreamBlock):
    node = NodeBlock()

    class Meta:
        max_num = SCENARIO_NODES
