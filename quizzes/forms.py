"""The question edit form: the answers of the chosen type only.

Each block type of answers has a field of its own (`answers_<block type>`, see
`authoring.ANSWER_BLOCK_BY_KIND`), and the fields only some kinds use (case sensitivity, the
reply template, the explanation: `authoring.KIND_ONLY_FIELDS`) are shown only while the
type select names such a kind — Wagtail's `w-rules` controller on the form, the rules in
each panel's `data-w-rules` attribute (`kind_panel`). The server agrees with what is shown:
only the chosen kind's answers are read and checked, and every field the kind does not use
is emptied, so a question whose type changed keeps nothing of its old answers.
"""

from __future__ import annotations

import copy
import json
import uuid
from types import SimpleNamespace

from academy.limits import OPTIONS
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.blocks.base import BlockField, BlockWidget
from wagtail.blocks.stream_block import StreamValue

from . import spec as kinds
from .authoring import (
    ANSWER_BLOCK_BY_KIND,
    KIND_ONLY_FIELDS,
    OPTIONAL_ANSWER_BLOCKS,
    answer_blocks_of,
    field_used_by,
    kinds_using_block,
    question_to_spec,
)
from .blocks import AnswersBlock

# On the panel around the whole form: re-checks every panel's rules when a field changes.
KIND_RULES_CONTROLLER = {"data-controller": "w-rules", "data-action": "change->w-rules#resolve"}


def answer_field_name(block_type: str) -> str:
    return f"answers_{block_type}"


def kind_panel(panel: FieldPanel, used_by: tuple[str, ...]) -> FieldPanel:
    """`panel`, shown only while the question's type is one of `used_by`."""
    panel.attrs.update(
        {"data-w-rules-target": "show", "data-w-rules": json.dumps({"kind": list(used_by)})}
    )
    return panel


def kind_only_panel(field_name: str) -> FieldPanel:
    return kind_panel(FieldPanel(field_name), KIND_ONLY_FIELDS[field_name])


def answer_panels() -> list[FieldPanel]:
    """One panel per answer block type, in the order of the type select."""
    block_types = dict.fromkeys([*ANSWER_BLOCK_BY_KIND.values(), *OPTIONAL_ANSWER_BLOCKS])
    return [kind_panel(FieldPanel(answer_field_name(b)), kinds_using_block(b)) for b in block_types]


class KindAnswersWidget(BlockWidget):
    """A stream of answers a request did not send at all (a form posted by a script) reads
    as missing, not as an error of the server."""

    def value_from_datadict(self, data, files, name):
        if isinstance(self.block_def, blocks.StreamBlock) and f"{name}-count" not in data:
            return None
        return super().value_from_datadict(data, files, name)


class KindAnswersField(BlockField):
    """The answer blocks of one block type (`block_type`), edited as a stream of that type
    only (a true / false question: exactly one). In a form for a question of a kind that
    does not use them it checks nothing and yields nothing."""

    def __init__(self, block_type: str, **kwargs):
        self.block_type = block_type
        self.kinds = kinds_using_block(block_type)
        self.in_use = True
        child = copy.deepcopy(AnswersBlock.base_blocks[block_type])
        one = block_type == "true_false"
        block = blocks.StreamBlock(
            [(block_type, child)],
            min_num=1 if one else None,
            max_num=1 if one or block_type in OPTIONAL_ANSWER_BLOCKS else OPTIONS,
            required=False,
        )
        super().__init__(block=block, widget=KindAnswersWidget(block), required=False, **kwargs)

    def bound_data(self, data, initial):
        return initial if data is None else data

    def clean(self, value):
        if not self.in_use:
            return None
        return super().clean(self.block.get_default() if value is None else value)

    def initial_from(self, stored) -> StreamValue:
        """This field's value from a question's stored answer blocks; a block to fill in
        where the type needs at least one."""
        mine = [(c.block_type, c.value, c.id) for c in stored if c.block_type == self.block_type]
        if not mine and self.block.meta.min_num:
            child = self.block.child_blocks[self.block_type]
            mine = [(self.block_type, child.get_default(), str(uuid.uuid4()))]
        return StreamValue(self.block, mine)

    def as_answers(self, value) -> list[tuple[str, object, str]]:
        """The cleaned value as (block type, value, id) entries of the question's answers."""
        if value is None:
            return []
        return [(c.block_type, c.value, c.id or str(uuid.uuid4())) for c in value]


class QuestionForm(WagtailAdminModelForm):
    answers_choice = KindAnswersField(
        "choice",
        label=_("Options"),
        help_text=_(
            "The options learners choose from. Give the right option 100%; for multiple "
            "choice, split 100% between the right options and give wrong ones 0 or less."
        ),
    )
    answers_true_false = KindAnswersField("true_false", label=_("Right answer"))
    answers_step = KindAnswersField(
        "step",
        label=_("Steps"),
        help_text=_("The steps in the right order; learners see them shuffled."),
    )
    answers_pair = KindAnswersField(
        "pair",
        label=_("Matching pairs"),
        help_text=_("Each situation with its answer; learners match them up."),
    )
    answers_accepted_answer = KindAnswersField(
        "accepted_answer",
        label=_("Accepted answers"),
        help_text=_("What learners may type; the best match counts."),
    )
    answers_number = KindAnswersField(
        "number", label=_("Numeric answers"), help_text=_("Numbers accepted, with their error.")
    )
    answers_criterion = KindAnswersField(
        "criterion",
        label=_("Rubric"),
        help_text=_("Optional: the criteria a trainer grades the reply by, with points."),
    )
    answers_reply_length = KindAnswersField(
        "reply_length",
        label=_("Reply length"),
        help_text=_("Optional: how long the reply should be; the grader sees its length."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = list(self.instance.answers)
        for name, field in self.answer_fields():
            self.initial.setdefault(name, field.initial_from(stored))
        if self.is_bound:
            kind = self.data.get(self.add_prefix("kind"))
            for _name, field in self.answer_fields():
                field.in_use = kind in field.kinds

    def defer_required_fields(self):
        """A preview draws a question before it has a category too (Wagtail defers the
        title and the text already): learners never see the category."""
        super().defer_required_fields()
        if "category" in self.fields and self.fields["category"].required:
            self.fields["category"].required = False
            self.deferred_required_fields.append("category")

    def answer_fields(self) -> list[tuple[str, KindAnswersField]]:
        return [(n, f) for n, f in self.fields.items() if isinstance(f, KindAnswersField)]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        for name in KIND_ONLY_FIELDS:
            if name in self.fields and not field_used_by(name, kind):
                cleaned[name] = False if name == "case_sensitive" else ""
        answers = []
        for block_type in answer_blocks_of(kind):
            answer_field = self.fields[answer_field_name(block_type)]
            answers += answer_field.as_answers(cleaned.get(answer_field_name(block_type)))
        # Not a form field: set on the instance, which the form saves (and previews).
        self.instance.answers = StreamValue(
            self.instance.answers.stream_block, answers, is_lazy=False
        )
        # A preview shows a question still being written; saving it checks it.
        if not self.is_deferred_validation:
            self._check_spec(kind, cleaned)
        return cleaned

    def _check_spec(self, kind: str, cleaned: dict) -> None:
        """The spec's problems (`spec.spec_problems_by_part`), each beside its field."""
        draft = SimpleNamespace(
            kind=kind,
            text=cleaned.get("text", ""),
            general_feedback=cleaned.get("general_feedback", ""),
            case_sensitive=cleaned.get("case_sensitive", False),
            reply_template=cleaned.get("reply_template", ""),
            answers=self.instance.answers,
        )
        for part, messages in kinds.spec_problems_by_part(question_to_spec(draft)).items():
            field = self._field_of_part(part, kind)
            if field in self.errors:
                continue  # the field's own check said what is wrong already
            for message in messages:
                self.add_error(field, message)

    def _field_of_part(self, part: str, kind: str) -> str | None:
        if part == "answers":
            block_type = ANSWER_BLOCK_BY_KIND.get(kind)
            return answer_field_name(block_type) if block_type else None
        return part if part in self.fields else None
