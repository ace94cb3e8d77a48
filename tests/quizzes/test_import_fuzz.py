"""Random mutations of the demo question banks and the Moodle sample: whatever a file holds,
the readers return problems, never raise, and never take long. Plain Python (no database)."""

from pathlib import Path

import pytest

from quizzes.gift import parse_gift
from quizzes.moodlexml import parse_moodle_xml
from tests.cpu_time import cpu_budget
from tests.quizzes.fuzz import mutants

ROOT = Path(__file__).resolve().parents[2]
GIFT_FILES = sorted((ROOT / "demo/content/quizzes").glob("*.gift")) + sorted(
    (ROOT / "tests/quizzes/fixtures").glob("*.gift")
)
XML_FILE = ROOT / "tests/quizzes/fixtures/moodle_sample.xml"


def survives(parse, data) -> None:
    with cpu_budget(2):
        result = parse(data)
    assert all(str(problem) for problem in result.problems)


@pytest.mark.parametrize("seed", range(4))
def test_mutated_gift_files(seed):
    originals = [path.read_text(encoding="utf-8") for path in GIFT_FILES]
    for text in mutants(originals, seed=seed, count=60):
        survives(parse_gift, text)


@pytest.mark.parametrize("seed", range(4))
def test_mutated_moodle_xml_files(seed):
    original = XML_FILE.read_text(encoding="utf-8")
    for number, text in enumerate(mutants([original], seed=seed, count=60)):
        survives(parse_moodle_xml, text.encode("utf-8", "surrogatepass") if number % 2 else text)
