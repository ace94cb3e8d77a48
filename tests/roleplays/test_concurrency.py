"""Two simultaneous clicks on PostgreSQL record one choice."""

import pytest
from academy.errors import Kind
from django.db import connection

from roleplays import services
from roleplays.models import RunStep
from tests.factories import StaffFactory, build_scenario
from tests.quizzes.test_concurrency import race
from tests.roleplays.test_engine import leak_graph

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_racing_choices_record_one_step():
    from tests.factories import ensure_tree_roots

    ensure_tree_roots()
    scenario = build_scenario(leak_graph().to_dict())
    user = StaffFactory().user
    run = services.run_start(user=user, scenario=scenario)
    results, errors = race(
        lambda n: services.run_choose(
            user=user, run_id=run.pk, node="N1", choice=("a", "b", "a", "b")[n]
        )
    )
    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(e, services.RoleplayError) and e.kind is Kind.CONFLICT for e in errors)
    assert RunStep.objects.filter(run=run).count() == 1
