"""The supervisor's staff list and a person's record page: scoping, adjusting, refusals."""

import pytest
from django.template import Context, Template

from records.models import CompetencyRecord
from records.services import record_adjust

pytestmark = pytest.mark.django_db


def test_the_staff_list_is_the_competency_matrix(client, org):
    client.force_login(org["supervisor"].user)
    page = client.get("/people/", follow=True)
    assert page.redirect_chain[-1][0] == "/supervision/matrix/"
    html = page.content.decode()
    assert "林晓雯" in html and f"/people/{org['mine'].pk}/" in html
    assert "别的项目" not in html
    client.force_login(org["mine"].user)
    assert client.get("/people/", follow=True).status_code == 404


def test_the_person_page_shows_the_record(client, org):
    client.force_login(org["supervisor"].user)
    page = client.get(f"/people/{org['mine'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "林晓雯" in html and "A0001" in html and "前台一组" in html
    assert "服务礼仪" in html and "0 · 未学" in html
    assert f"/people/{org['mine'].pk}/observe/" in html and "记录现场观察" in html
    assert f"/people/{org['mine'].pk}/competencies/phrases/" in html


def test_the_person_page_shows_how_to_reach_them_when_known(client, org):
    client.force_login(org["supervisor"].user)
    html = client.get(f"/people/{org['mine'].pk}/").content.decode()
    assert "企业微信账号" not in html and "tel:" not in html
    org["mine"].mobile, org["mine"].wecom_userid = "13800138000", "linxw"
    org["mine"].save()
    html = client.get(f"/people/{org['mine'].pk}/").content.decode()
    assert 'href="tel:13800138000"' in html and "企业微信账号" in html and "linxw" in html
    assert "钉钉账号" not in html


def test_another_sites_person_is_not_found(client, org):
    client.force_login(org["supervisor"].user)
    assert client.get(f"/people/{org['stranger'].pk}/").status_code == 404
    response = client.post(
        f"/people/{org['stranger'].pk}/competencies/phrases/", {"level": "3", "reason": "理由"}
    )
    assert response.status_code == 404
    assert not CompetencyRecord.objects.exists()


def test_a_learner_sees_their_own_record_read_only_and_nobody_elses(client, org):
    client.force_login(org["mine"].user)
    html = client.get(f"/people/{org['mine'].pk}/").content.decode()
    assert "林晓雯" in html and "/competencies/" not in html and "/observe/" not in html
    assert client.get(f"/people/{org['supervisor'].pk}/").status_code == 404
    response = client.post(
        f"/people/{org['mine'].pk}/competencies/phrases/", {"level": "4", "reason": "我觉得我很好"}
    )
    assert response.status_code == 404
    assert not CompetencyRecord.objects.exists()


def test_adjusting_a_level_shows_it_with_its_reason_in_the_history(client, org):
    client.force_login(org["supervisor"].user)
    url = f"/people/{org['mine'].pk}/"
    response = client.post(
        f"{url}competencies/phrases/", {"level": "3", "reason": "电话接待规范，带新人两周"}
    )
    assert response.status_code == 302 and response.url == f"{url}#competency-phrases"
    html = client.get(url).content.decode()
    assert "3 · 熟练" in html
    assert "电话接待规范，带新人两周" in html
    assert "王建国" in html and "0 未学 → 3 熟练" not in html  # no record before: created
    record = CompetencyRecord.objects.get()
    assert (record.level, record.source) == (3, "supervisor")


def test_an_out_of_range_level_is_refused_and_nothing_changes(client, org, competencies):
    record_adjust(
        by=org["supervisor"].user,
        person=org["mine"],
        competency=competencies["phrases"],
        level=2,
        reason="初评",
    )
    client.force_login(org["supervisor"].user)
    for level in ("7", "-1", "abc"):
        response = client.post(
            f"/people/{org['mine'].pk}/competencies/phrases/",
            {"level": level, "reason": "手工改的"},
        )
        assert response.status_code == 400
        assert "等级必须是 0 到 4 之间的整数。" in response.content.decode()
    response = client.post(
        f"/people/{org['mine'].pk}/competencies/phrases/", {"level": "3", "reason": "  "}
    )
    assert response.status_code == 400 and "请填写调整等级的原因。" in response.content.decode()
    record = CompetencyRecord.objects.get()
    assert record.level == 2 and record.history.count() == 1


def test_an_unknown_competency_is_not_found(client, org):
    client.force_login(org["supervisor"].user)
    response = client.post(
        f"/people/{org['mine'].pk}/competencies/nothing/", {"level": "3", "reason": "理由"}
    )
    assert response.status_code == 404


def test_my_competency_levels_tag(rf, org, competencies):
    record_adjust(
        by=org["supervisor"].user,
        person=org["mine"],
        competency=competencies["etiquette"],
        level=4,
        reason="带教老师",
    )
    html = Template("{% load records_tags %}{% my_competency_levels user %}").render(
        Context({"user": org["mine"].user})
    )
    assert "我的能力等级" in html
    assert "服务礼仪" in html and "4 · 可带教" in html and "规范用语" in html and "0 · 未学" in html
    assert f"/people/{org['mine'].pk}/" in html
