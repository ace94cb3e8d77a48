"""The answer blocks trainers add to a question in the admin, one block type per need.

Each text holds at most academy.limits.OPTION_TEXT characters and a question at most OPTIONS
answer blocks, so that the form says so as the trainer types; `spec.spec_problems` checks
the same limits on save (and for imports).
"""

from academy.limits import OPTION_TEXT, OPTIONS
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class OptionTextBlock(blocks.CharBlock):
    """One option, answer, step, pair side, criterion or feedback."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", OPTION_TEXT)
        super().__init__(**kwargs)


class PercentBlock(blocks.IntegerBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -100)
        kwargs.setdefault("max_value", 100)
        super().__init__(**kwargs)


class ChoiceBlock(blocks.StructBlock):
    text = OptionTextBlock(label=_("option"))
    percent = PercentBlock(
        label=_("grade (%)"),
        default=0,
        help_text=_(
            "100 for the right option; split 100 between right options of a "
            "multiple-choice question; negative for wrong ones."
        ),
    )
    feedback = OptionTextBlock(label=_("feedback"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Option")


class TrueFalseBlock(blocks.StructBlock):
    answer = blocks.ChoiceBlock(
        choices=[("true", _("True")), ("false", _("False"))], label=_("right answer")
    )
    feedback_true = OptionTextBlock(label=_("feedback when answered true"), required=False)
    feedback_false = OptionTextBlock(label=_("feedback when answered false"), required=False)

    class Meta:
        icon = "tick"
        label = _("True / false answer")


class StepBlock(blocks.StructBlock):
    text = OptionTextBlock(label=_("step"))

    class Meta:
        icon = "order"
        label = _("Step (in the right order)")


class PairBlock(blocks.StructBlock):
    prompt = OptionTextBlock(
        label=_("situation"),
        required=False,
        help_text=_("Leave empty for an extra answer that matches nothing."),
    )
    answer = OptionTextBlock(label=_("matching answer"))

    class Meta:
        icon = "link"
        label = _("Matching pair")


class AcceptedAnswerBlock(blocks.StructBlock):
    text = OptionTextBlock(label=_("accepted answer"), help_text=_("* matches anything."))
    percent = PercentBlock(label=_("grade (%)"), default=100)
    feedback = OptionTextBlock(label=_("feedback"), required=False)

    class Meta:
        icon = "edit"
        label = _("Accepted answer")


class NumberBlock(blocks.StructBlock):
    value = blocks.FloatBlock(label=_("answer"))
    tolerance = blocks.FloatBlock(label=_("accepted error ±"), default=0, min_value=0)
    percent = PercentBlock(label=_("grade (%)"), default=100)
    feedback = OptionTextBlock(label=_("feedback"), required=False)

    class Meta:
        icon = "plus"
        label = _("Numeric answer")


class CriterionBlock(blocks.StructBlock):
    criterion = OptionTextBlock(label=_("criterion"))
    points = blocks.IntegerBlock(label=_("points"), min_value=1, default=1)

    class Meta:
        icon = "clipboard-list"
        label = _("Rubric criterion")


class ReplyLengthBlock(blocks.StructBlock):
    """How long a written reply should be; the grader sees the reply's length against it."""

    min_chars = blocks.IntegerBlock(label=_("at least (characters)"), min_value=1, required=False)
    max_chars = blocks.IntegerBlock(label=_("at most (characters)"), min_value=1, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Reply length")


class AnswersBlock(blocks.StreamBlock):
    choice = ChoiceBlock()
    true_false = TrueFalseBlock()
    step = StepBlock()
    pair = PairBlock()
    accepted_answer = AcceptedAnswerBlock()
    number = NumberBlock()
    criterion = CriterionBlock()
    reply_length = ReplyLengthBlock()

    class Meta:
        max_num = OPTIONS
