"""A supervisor records an on-the-job observation; it counts toward a program."""

import pytest

from certification.models import Certificate, Observation, Program, ProgramRequirement
from certification.rules import OBSERVATION_CHECKLIST
from tests.factories import StaffFactory, ensure_tree_roots

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(db):
    ensure_tree_roots()
    supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    mine = StaffFactory(name="林晓雯", team=supervisor.team, site=supervisor.site)
    supervisor.supervised_sites.add(supervisor.site)
    other = StaffFactory(name="别的项目")
    return supervisor, mine, other


def all_ticked():
    return {key: "on" for key, _label in OBSERVATION_CHECKLIST}


def test_an_observation_of_every_standard_issues_the_observation_program(client, team):
    supervisor, mine, _other = team
    program = Program.objects.create(name="现场服务认证", code="onsite", validity_months=12)
    ProgramRequirement.objects.create(program=program, kind="observation")
    client.force_login(supervisor.user)
    form = client.get(f"/people/{mine.pk}/observe/").content.decode()
    assert "电话铃响三声之内接起" in form and "工牌端正佩戴在左胸" in form
    partial = {**all_ticked()}
    partial.pop("see_out")
    client.post(f"/people/{mine.pk}/observe/", partial)
    assert Observation.objects.get().passed is False and not Certificate.objects.exists()
    page = client.post(f"/people/{mine.pk}/observe/", {**all_ticked(), "note": "接待规范"})
    assert page.status_code == 302 and page["Location"] == f"/people/{mine.pk}/"
    assert Certificate.objects.get().holder_name == "林晓雯"
    assert Observation.objects.filter(passed=True, observer=supervisor.user).count() == 1


def test_only_supervisors_of_the_person_may_observe(client, team):
    supervisor, mine, other = team
    client.force_login(supervisor.user)
    assert client.post(f"/people/{other.pk}/observe/", all_ticked()).status_code == 404
    assert client.get(f"/people/{supervisor.pk}/observe/").status_code == 404  # not oneself
    client.force_login(mine.user)
    assert client.get(f"/people/{mine.pk}/observe/").status_code == 404
    assert not Observation.objects.exists()


def test_a_note_over_the_limit_is_refused_and_what_was_entered_is_kept(client, team):
    from academy import limits

    supervisor, mine, _other = team
    client.force_login(supervisor.user)
    note = "记" * (limits.NOTE + 1)
    page = client.post(f"/people/{mine.pk}/observe/", {**all_ticked(), "note": note})
    assert page.status_code == 400 and not Observation.objects.exists()
    html = page.content.decode()
    assert f"最多 {limits.NOTE} 个字符" in html
    assert html.count("checked") == len(OBSERVATION_CHECKLIST)  # ticks kept
    assert f'maxlength="{limits.NOTE}"' in html
    client.post(f"/people/{mine.pk}/observe/", {**all_ticked(), "note": "记" * limits.NOTE})
    assert len(Observation.objects.get().note) == limits.NOTE


def test_after_saving_the_supervisor_lands_on_the_record_with_the_unmet_items(client, team):
    supervisor, mine, _other = team
    client.force_login(supervisor.user)
    ticked = all_ticked()
    ticked.pop("phone_three_rings")
    ticked.pop("see_out")
    page = client.post(
        f"/people/{mine.pk}/observe/", {**ticked, "note": "电话响了五声"}, follow=True
    )
    assert page.redirect_chain == [(f"/people/{mine.pk}/", 302)]
    html = page.content.decode()
    assert "已记录对 林晓雯 的现场观察：未通过（2 项未达标）。" in html
    history = html[html.index('id="observations"') :]
    assert "未通过" in history and "观察人：" in history and "电话响了五声" in history
    unmet = history[history.index('class="unmet"') : history.index("</ul>")]
    assert "电话铃响三声之内接起" in unmet and "送至门口" in unmet
    assert "工牌" not in unmet  # met items are not listed as unmet

    page = client.post(f"/people/{mine.pk}/observe/", all_ticked(), follow=True)
    html = page.content.decode()
    assert "已记录对 林晓雯 的现场观察：通过。" in html
    history = html[html.index('id="observations"') :]
    assert history.index("检查表各项均达标") < history.index("电话铃响三声之内接起")  # newest first
