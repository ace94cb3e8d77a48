import pytest
from academy.models import Competency

from tests.factories import StaffFactory, TeamFactory, ensure_tree_roots


@pytest.fixture
def competencies(db):
    ensure_tree_roots()
    return {
        slug: Competency.objects.create(slug=slug, name=name, sort_order=order)
        for order, (slug, name) in enumerate(
            [
                ("etiquette", "服务礼仪"),
                ("phrases", "规范用语"),
                ("complaints", "投诉处理"),
                ("emergency", "应急处置"),
            ]
        )
    }


@pytest.fixture
def org(competencies):
    """A supervisor of site A with one of their staff; another site with its own supervisor."""
    supervisor = StaffFactory(
        user__roles=["learner", "supervisor"], position="supervisor", name="王建国"
    )
    supervisor.supervised_sites.add(supervisor.site)
    mine = StaffFactory(
        name="林晓雯",
        employee_number="A0001",
        team=TeamFactory(site=supervisor.site, name="前台一组"),
    )
    other_supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    other_supervisor.supervised_sites.add(other_supervisor.site)
    stranger = StaffFactory(name="别的项目", team=other_supervisor.team)
    return {
        "supervisor": supervisor,
        "mine": mine,
        "other_supervisor": other_supervisor,
        "stranger": stranger,
    }


@pytest.fixture
def following_up(django_capture_on_commit_callbacks):
    """Run what the services announce after commit (records listens)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
