"""The answer blocks trainers add to a question in the admin, one block type per need."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class PercentBlock(blocks.IntegerBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -100)
        kwargs.setdefault("max_value", 100)
        super().__init__(**kwargs)


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("option"))
    percent = PercentBlock(
        label=_("grade (%)"), default=0,
        help_text=_("100 for the right option; split 100 between right options of a "
                    "multiple-choice question; negative for wrong ones."),
    )
    feedback = blocks.CharBlock(label=_("feedback"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Option")


class TrueFalseBlock(blocks.StructBlock):
    answer = blocks.ChoiceBlock(
        choices=[("true", _("True")), ("false", _("False"))], label=_("right answer")
    )
    feedback_true = blocks.CharBlock(label=_("feedback when answered true"), required=False)
    feedback_false = blocks.CharBlock(label=_("feedback when answered false"), required=False)

    class Meta:
        icon = "tick"
        label = _("True / false answer")


class StepBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("step"))

    class Meta:
        icon = "order"
        label = _("Step (in the right order)")


class PairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(
        label=_("situation"), required=False,
        help_text=_("Leave empty for an extra answer that matches nothing."),
    )
    answer = blocks.CharBlock(label=_("matching answer"))

    class Meta:
        icon = "link"
        label = _("Matching pair")


class AcceptedAnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("accepted answer"), help_text=_("* matches anything."))
    percent = PercentBlock(label=_("grade (%)"), default=100)
    feedback = blocks.CharBlock(label=_("feedback"), required=False)

    class Meta:
        icon = "edit"
        label = _("Accepted answer")


class NumberBlock(blocks.StructBlock):
    value = blocks.FloatBlock(label=_("answer"))
    tolerance = blocks.FloatBlock(label=_("accepted error ±"), default=0, min_value=0)
    percent = PercentBlock(label=_("grade (%)"), default=100)
    feedback = blocks.CharBlock(label=_("feedback"), required=False)

    class Meta:
        icon = "plus"
        label = _("Numeric answer")


class CriterionBlock(blocks.StructBlock):
    criterion = blocks.CharBlock(label=_("criterion"))
    points = blocks.IntegerBlock(label=_("points"), min_value=1, default=1)

    class Meta:
        icon = "clipboard-list"
        label = _("Rubric criterion")


class AnswersBlock(blocks.StreamBlock):
    choice = ChoiceBlock()
    true_false = TrueFalseBlock()
    step = StepBlock()
    pair = PairBlock()
    accepted_answer = AcceptedAnswerBlock()
    number = NumberBlock()
    criterion = CriterionBlock()
