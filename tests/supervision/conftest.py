import pytest

from certification.models import Program, ProgramRequirement
from tests.factories import StaffFactory, build_quiz, ensure_tree_roots


@pytest.fixture
def program(db):
    ensure_tree_roots()
    quiz = build_quiz()
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk",
                                     validity_months=12)
    ProgramRequirement.objects.create(program=program, kind="quiz", quiz=quiz, min_percent=80)
    return program


@pytest.fixture
def org(db):
    """A supervisor of one site with two of its staff, and somebody at another site."""
    supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor",
                              name="王建国")
    supervisor.supervised_sites.add(supervisor.site)
    mine = StaffFactory(name="林晓雯", site=supervisor.site, team=supervisor.team,
                        position="front_desk")
    colleague = StaffFactory(name="陈思琪", site=supervisor.site, team=supervisor.team,
                             position="front_desk")
    other = StaffFactory(name="外场员工")
    return supervisor, mine, colleague, other
