"""What each endpoint answers: fields, filters, paging, Chinese text, the OpenAPI document."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from staff.models import StaffProfile
from supervision.models import Assignment, ProgramProgress
from tests.api.conftest import certificate, level
from tests.factories import StaffFactory


def test_staff_list_fields_and_chinese_text_intact(api, org):
    response = api.get("staff")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "林晓雯".encode() in response.content  # UTF-8, not \u escapes
    body = response.json()
    assert body["count"] == 3 and body["page"] == 1 and body["next"] is None
    person = body["items"][1]
    mine = org["mine"]
    assert person == {
        "employee_number": "A0001",
        "name": "林晓雯",
        "position": "front_desk",
        "position_label": "前台",
        "site": {"code": mine.site.code, "name": mine.site.name},
        "team": "前台一组",
        "hire_date": None,
        "active": True,
    }


def test_staff_filters(api, org):
    site = org["mine"].site.code
    assert [p["employee_number"] for p in api.get("staff", team="前台一组").json()["items"]] == [
        "A0001"
    ]
    org["colleague"].active = False
    org["colleague"].save()
    assert [p["employee_number"] for p in api.get("staff", active="false").json()["items"]] == [
        "A0002"
    ]
    assert api.get("staff", site=site).json()["count"] == 3


def test_staff_updated_since_uses_the_profile_history(api, org):
    later = timezone.now() + timedelta(seconds=1)
    assert api.get("staff", updated_since=later.isoformat()).json()["count"] == 0
    org["mine"].name = "林晓雯（改名）"
    org["mine"].save()
    # Simple-history stamps "now"; ask from a moment before the change.
    since = (timezone.now() - timedelta(seconds=2)).isoformat()
    changed = api.get("staff", updated_since=since).json()["items"]
    assert "林晓雯（改名）" in [p["name"] for p in changed]
    assert api.get("staff", updated_since="not a date").status_code == 422


def test_staff_detail_has_every_competency_and_all_certificates(api, org, program, competencies):
    mine = org["mine"]
    level(mine, competencies[1], 3)
    old = certificate(
        mine,
        program,
        serial="KF-2025-000001",
        issued_on=date(2025, 1, 5),
        expires_on=date(2026, 1, 5),
        superseded_at=timezone.now(),
    )
    new = certificate(mine, program, serial="KF-2026-000009")
    response = api.get("staff/A0001")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "林晓雯" and body["site"]["code"] == mine.site.code
    assert [(c["competency"]["slug"], c["level"]) for c in body["competencies"]] == [
        ("etiquette", 0),
        ("phrases", 3),
        ("complaints", 0),
        ("emergency", 0),
    ]
    assert body["competencies"][1]["competency"]["name"] == "规范用语"
    assert body["competencies"][1]["label"] and body["competencies"][0]["label"]
    assert [(c["serial"], c["status"]) for c in body["certificates"]] == [
        (old.serial, "superseded"),
        (new.serial, "valid"),
    ]
    first = body["certificates"][1]
    assert first["holder"] == {"employee_number": "A0001", "name": "林晓雯"}
    assert first["program"] == {"code": "front-desk", "name": "前台客服上岗认证"}
    assert first["issued_on"] == "2026-01-05" and first["expires_on"] == "2099-01-05"
    assert first["verification_url"] == (
        settings.PUBLIC_BASE_URL.rstrip("/") + f"/verify/{new.code}/"
    )


def test_certificates_filters_and_statuses(api, org, program):
    today = timezone.localdate()
    mine, colleague, boss = org["mine"], org["colleague"], org["supervisor"]
    valid = certificate(mine, program)
    expired = certificate(
        colleague,
        program,
        issued_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=1),
    )
    revoked = certificate(boss, program, revoked_at=timezone.now(), revoke_reason="作弊")

    def serials(**params):
        response = api.get("certificates", **params)
        assert response.status_code == 200, response.content
        return [(c["serial"], c["status"]) for c in response.json()["items"]]

    assert serials() == [
        (valid.serial, "valid"),
        (expired.serial, "expired"),
        (revoked.serial, "revoked"),
    ]
    assert serials(status="valid") == [(valid.serial, "valid")]
    assert serials(status="expired") == [(expired.serial, "expired")]
    assert serials(status="revoked") == [(revoked.serial, "revoked")]
    assert serials(program="front-desk", status="superseded") == []
    assert serials(program="no-such-program") == []
    assert api.get("certificates", status="bogus").status_code == 422


def test_competencies_list_levels_per_person(api, org, competencies):
    level(org["mine"], competencies[0], 4)
    level(org["colleague"], competencies[3], 1)
    items = {p["employee_number"]: p for p in api.get("competencies").json()["items"]}
    assert list(items) == ["A0000", "A0001", "A0002"]
    assert [c["level"] for c in items["A0001"]["competencies"]] == [4, 0, 0, 0]
    assert [c["level"] for c in items["A0002"]["competencies"]] == [0, 0, 0, 1]
    assert [c["level"] for c in items["A0000"]["competencies"]] == [0, 0, 0, 0]
    assert items["A0001"]["name"] == "林晓雯"
    assert items["A0001"]["competencies"][0]["competency"] == {
        "slug": "etiquette",
        "name": "服务礼仪",
    }


def test_program_status_as_the_dashboard_shows_it(api, org, program):
    today = timezone.localdate()
    held = certificate(org["mine"], program, expires_on=today + timedelta(days=10))
    ProgramProgress.objects.create(
        user=org["mine"].user,
        program=program,
        certificate=held,
        requirements_met=1,
        requirements_total=1,
        started=True,
    )
    ProgramProgress.objects.create(
        user=org["colleague"].user, program=program, started=True, requirements_total=1
    )
    Assignment.objects.create(
        program=program, team=org["colleague"].team, due_on=today - timedelta(days=3)
    )
    rows = {r["employee_number"]: r for r in api.get("programs/front-desk/status").json()["items"]}
    assert rows["A0001"]["status"] == "expiring"
    assert rows["A0001"]["certificate_serial"] == held.serial
    assert rows["A0001"]["certificate_expires"] == str(held.expires_on)
    assert rows["A0001"]["requirements_met"] == rows["A0001"]["requirements_total"] == 1
    assert rows["A0002"]["status"] == "in_progress" and rows["A0002"]["overdue"] is True
    assert rows["A0002"]["due_on"] == str(today - timedelta(days=3))
    assert rows["A0000"]["status"] == "not_started" and rows["A0000"]["overdue"] is True
    only = api.get("programs/front-desk/status", status="in_progress").json()["items"]
    assert [r["employee_number"] for r in only] == ["A0002"]
    assert api.get("programs/nothing-like-it/status").status_code == 404


def test_pagination_count_and_links(api, org):
    for n in range(4):
        StaffFactory(employee_number=f"A1{n:03d}", site=org["mine"].site, team=org["mine"].team)
    first = api.get("staff", page_size=3, site=org["mine"].site.code).json()
    assert first["count"] == 7 and first["previous"] is None
    assert [p["employee_number"] for p in first["items"]] == ["A0000", "A0001", "A0002"]
    assert "page=2" in first["next"] and "page_size=3" in first["next"]
    assert f"site={org['mine'].site.code}" in first["next"]
    assert first["next"].startswith("http://testserver/api/v1/staff?")
    second = api.get(first["next"].removeprefix("http://testserver/api/v1/")).json()
    assert [p["employee_number"] for p in second["items"]] == ["A1000", "A1001", "A1002"]
    third = api.get("staff", page_size=3, page=3).json()
    assert [p["employee_number"] for p in third["items"]] == ["A1003"]
    assert third["next"] is None and "page=2" in third["previous"]
    assert api.get("staff", page=0).status_code == 422
    assert api.get("staff", page_size=201).status_code == 422
    assert api.get("staff", page_size=200).status_code == 200


def test_the_openapi_document_lists_the_endpoints_and_bearer_auth(client, db):
    response = client.get("/api/v1/openapi.json")  # the document itself needs no token
    assert response.status_code == 200
    schema = response.json()
    assert {
        "/api/v1/staff",
        "/api/v1/staff/{employee_number}",
        "/api/v1/certificates",
        "/api/v1/competencies",
        "/api/v1/programs/{code}/status",
    } <= set(schema["paths"])
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    schemes = schema["components"]["securitySchemes"]
    assert [s for s in schemes.values() if s == {"type": "http", "scheme": "bearer"}]
    staff = schema["paths"]["/api/v1/staff"]["get"]
    assert staff["security"] and {p["name"] for p in staff["parameters"]} >= {
        "page",
        "page_size",
        "site",
        "team",
        "updated_since",
    }
    assert "PagedStaffOut" in schema["components"]["schemas"]
    assert client.get("/api/v1/docs").status_code == 200


def test_staff_detail_gives_how_the_person_is_reached(api, org):
    mine = org["mine"]
    StaffProfile.objects.filter(pk=mine.pk).update(
        mobile="13800138000", wecom_userid="linxw", dingtalk_userid=""
    )
    body = api.get("staff/A0001").json()
    assert (body["mobile"], body["wecom_userid"], body["dingtalk_userid"]) == (
        "13800138000",
        "linxw",
        "",
    )
    listed = api.get("staff").json()
    assert "mobile" not in listed["items"][0]  # the list stays as it was: detail only
