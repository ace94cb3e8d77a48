import pytest

from certification.models import Program, ProgramRequirement
from tests.factories import build_quiz


@pytest.fixture
def program(db):
    from tests.factories import ensure_tree_roots

    ensure_tree_roots()
    quiz = build_quiz()
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk",
                                     validity_months=12)
    ProgramRequirement.objects.create(program=program, kind="quiz", quiz=quiz, min_percent=80)
    return program
