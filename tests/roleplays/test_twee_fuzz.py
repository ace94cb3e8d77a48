"""Random mutations of the demo stories: whatever a Twee file holds, the reader returns
problems, never raises, and never takes long. Plain Python (no database)."""

from pathlib import Path

import pytest

from roleplays.twee import parse_twee
from tests.cpu_time import cpu_budget
from tests.quizzes.fuzz import mutants
from tests.roleplays.test_twee_hostile_input import opening, problems

ROOT = Path(__file__).resolve().parents[2]
STORIES = sorted((ROOT / "demo/content/roleplays").glob("*.twee")) + sorted(
    (ROOT / "tests/roleplays/fixtures").glob("*.twee")
)


@pytest.mark.parametrize("seed", range(4))
def test_mutated_stories(seed):
    originals = [path.read_text(encoding="utf-8") for path in STORIES]
    for text in mutants(originals, seed=seed, count=100):
        with cpu_budget(2):
            result = parse_twee(text)
        assert all(str(problem) for problem in result.problems)


def test_a_condition_of_no_known_kind_is_quoted_whatever_its_value():
    # found by the loop above: a null "kind" raised a TypeError while its problem was written
    text = opening('[[好结局]] <!--kefu {"if": [{"kind": null}, {"kind": [1]}]} -->')
    found = [p.message for p in problems(text)]
    assert (
        "未知的条件类型“None”（可用：score_at_least、score_below、visited、not_visited）" in found
    )
