"""How much a question may hold (academy.limits), checked once in the spec: the editor, both
importers and the import command refuse with the same message naming the limit. Plain
Python (no database)."""

import pytest
from academy.limits import OPTION_TEXT, OPTIONS, QUESTION_TEXT

from quizzes import spec as kinds
from quizzes.gift import parse_gift
from quizzes.moodlexml import parse_moodle_xml
from tests.cpu_time import cpu_budget
from tests.quizzes.test_moodlexml import question, quiz


def choices(count: int, text: str = "选项") -> list[dict]:
    return [
        {"text": f"{text}{n}", "fraction": 1.0 if n == 0 else 0.0, "feedback": ""}
        for n in range(count)
    ]


def single(**changes) -> dict:
    return {
        "kind": "single",
        "text": "问",
        "general_feedback": "",
        "choices": choices(3),
        **changes,
    }


def problems_about(spec: dict, figure: int) -> list[str]:
    return [p for p in kinds.spec_problems(spec) if str(figure) in p]


TOO_MANY = kinds.spec_problems(single(choices=choices(OPTIONS + 1)))
LONG_TEXT = kinds.spec_problems(single(text="长" * (QUESTION_TEXT + 1)))
LONG_OPTION = kinds.spec_problems(single(choices=choices(3, "长" * OPTION_TEXT)))


class TestTheSpec:
    def test_each_limit_has_one_message_naming_its_figure(self):
        assert len(TOO_MANY) == 1 and str(OPTIONS) in TOO_MANY[0]
        assert len(LONG_TEXT) == 1 and str(QUESTION_TEXT) in LONG_TEXT[0]
        assert len(LONG_OPTION) == 1 and str(OPTION_TEXT) in LONG_OPTION[0]

    def test_exactly_at_the_limits_is_fine(self):
        assert (
            kinds.spec_problems(
                single(
                    text="长" * QUESTION_TEXT,
                    general_feedback="长" * QUESTION_TEXT,
                    choices=[
                        {
                            **c,
                            "text": "长" * (OPTION_TEXT - 2) + f"{n:02}",
                            "feedback": "长" * OPTION_TEXT,
                        }
                        for n, c in enumerate(choices(OPTIONS))
                    ],
                )
            )
            == []
        )

    @pytest.mark.parametrize(
        "spec",
        [
            single(general_feedback="长" * (QUESTION_TEXT + 1)),
            {"kind": "essay", "text": "问", "reply_template": "长" * (QUESTION_TEXT + 1)},
        ],
        ids=["general feedback", "reply template"],
    )
    def test_question_sized_texts(self, spec):
        assert problems_about(spec, QUESTION_TEXT)

    @pytest.mark.parametrize(
        "spec",
        [
            single(choices=[*choices(2), {"text": "c", "fraction": 0, "feedback": "长" * 2001}]),
            {"kind": "truefalse", "text": "问", "answer": True, "feedback_false": "长" * 2001},
            {"kind": "ordering", "text": "问", "items": [{"text": "长" * 2001}, {"text": "b"}]},
            {
                "kind": "matching",
                "text": "问",
                "pairs": [
                    {"prompt": "长" * 2001, "answer": "a"},
                    {"prompt": "b", "answer": "长" * 2001},
                ],
            },
            {
                "kind": "shortanswer",
                "text": "问",
                "answers": [{"text": "长" * 2001, "fraction": 1.0, "feedback": ""}],
            },
            {
                "kind": "numeric",
                "text": "问",
                "answers": [{"value": 1, "tolerance": 0, "fraction": 1.0, "feedback": "长" * 2001}],
            },
            {"kind": "essay", "text": "问", "rubric": [{"criterion": "长" * 2001, "points": 1}]},
        ],
        ids=[
            "option feedback",
            "true/false feedback",
            "step",
            "pair",
            "accepted answer",
            "numeric feedback",
            "rubric criterion",
        ],
    )
    def test_option_sized_texts(self, spec):
        assert OPTION_TEXT == 2000
        assert problems_about(spec, OPTION_TEXT) == LONG_OPTION

    @pytest.mark.parametrize(
        "spec",
        [
            {"kind": "ordering", "text": "问", "items": [{"text": f"步{n}"} for n in range(31)]},
            {
                "kind": "matching",
                "text": "问",
                "pairs": [{"prompt": f"{n}", "answer": f"{n}"} for n in range(31)],
            },
            {
                "kind": "shortanswer",
                "text": "问",
                "answers": [{"text": f"{n}", "fraction": 1.0, "feedback": ""} for n in range(31)],
            },
            {
                "kind": "essay",
                "text": "问",
                "rubric": [{"criterion": f"{n}", "points": 1} for n in range(31)],
            },
        ],
        ids=["steps", "pairs", "answers", "rubric"],
    )
    def test_counts(self, spec):
        assert OPTIONS == 30
        assert problems_about(spec, OPTIONS) == TOO_MANY


def refused_quickly(parse, data, message: str, seconds: float = 1.0) -> None:
    with cpu_budget(seconds):
        result = parse(data)
    assert result.questions == []
    assert [p.message for p in result.problems] == [message]


class TestTheImportersSayTheSame:
    def test_gift_too_many_options(self):
        refused_quickly(parse_gift, "::题::问{=a " + "~b " * OPTIONS + "}", TOO_MANY[0])

    def test_gift_two_hundred_thousand_options_are_refused_at_once(self):
        # 600 KB: it imported in 25 s before (17 s of them parsing)
        refused_quickly(parse_gift, "::题::问{=a " + "~b " * 200_000 + "}", TOO_MANY[0])

    @pytest.mark.parametrize(
        "gift",
        [
            "::题::问{" + "=a " * (OPTIONS + 1) + "}",
            "::题::问{#" + "=1 " * (OPTIONS + 1) + "}",
            "::题::问{" + "".join(f"={n} -> {n} " for n in range(OPTIONS + 1)) + "}",
            "::题::问{>\n" + "步\n" * (OPTIONS + 1) + "}",
        ],
        ids=["short answers", "numbers", "pairs", "moodle ordering"],
    )
    def test_gift_counts_of_other_kinds(self, gift):
        refused_quickly(parse_gift, gift, TOO_MANY[0])

    def test_gift_text_of_five_megabytes(self):
        refused_quickly(parse_gift, "::题::" + "长" * 5_000_000 + "{=a ~b}", LONG_TEXT[0])

    def test_gift_option_too_long(self):
        refused_quickly(
            parse_gift, "::题::问{=" + "长" * (OPTION_TEXT + 1) + " ~b}", LONG_OPTION[0]
        )

    def test_moodle_xml_too_many_answers(self):
        # 1.5 MB of XML; reading it is most of the time
        body = "".join(
            f'<answer fraction="{100 if n == 0 else 0}"><text>{n}</text></answer>'
            for n in range(30_000)
        )
        refused_quickly(
            parse_moodle_xml, quiz(question("multichoice", body)), TOO_MANY[0], seconds=2.0
        )

    def test_moodle_xml_text_too_long(self):
        body = '<answer fraction="100"><text>a</text></answer><answer><text>b</text></answer>'
        xml = quiz(question("multichoice", body, text="长" * 1_000_000))
        refused_quickly(parse_moodle_xml, xml, LONG_TEXT[0])
