"""WeChat's and WeCom's in-app browsers cannot save a download: there the certificate PDF is
shown in place, and the pages offering it say how to save or print it (the system browser).
Every other browser keeps the download."""

import pytest

from tests.accounts.test_platforms import CHROME, DINGTALK, WECHAT, WECOM_ANDROID
from tests.factories import StaffFactory, UserFactory, stored_certificate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 stored certificate"
HINT = "点右上角 ··· 选择“在浏览器打开”"


@pytest.fixture
def certificate(db):
    certificate = stored_certificate(pdf=PDF)
    yield certificate
    certificate.pdf.delete(save=False)


def pdf_as_seen_by(client, certificate, user_agent):
    client.force_login(certificate.user)
    return client.get(f"/certificates/{certificate.pk}/pdf/", headers={"user-agent": user_agent})


@pytest.mark.parametrize("user_agent", [WECHAT, WECOM_ANDROID])
def test_chat_apps_get_the_pdf_in_place(client, certificate, user_agent):
    response = pdf_as_seen_by(client, certificate, user_agent)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("inline; ")
    assert "KF-2026-000001.pdf" in response["Content-Disposition"]
    assert "User-Agent" in response["Vary"]


@pytest.mark.parametrize("user_agent", [CHROME, DINGTALK, ""])
def test_other_browsers_download_it(client, certificate, user_agent):
    response = pdf_as_seen_by(client, certificate, user_agent)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment; ")


def test_the_certificates_page_tells_chat_app_users_how_to_save_it(client, certificate):
    client.force_login(certificate.user)
    inside = client.get("/certificates/", headers={"user-agent": WECHAT}).content.decode()
    assert HINT in inside and "查看 PDF" in inside and "下载 PDF" not in inside
    outside = client.get("/certificates/", headers={"user-agent": CHROME}).content.decode()
    assert HINT not in outside and "下载 PDF" in outside


def test_the_person_record_tells_a_supervisor_in_wecom_too(client, certificate):
    supervisor = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]))
    supervisor.supervised_sites.add(certificate.user.staff_profile.site)
    client.force_login(supervisor.user)
    url = f"/people/{certificate.user.staff_profile.pk}/"
    inside = client.get(url, headers={"user-agent": WECOM_ANDROID}).content.decode()
    assert HINT in inside and "查看 PDF" in inside
    assert HINT not in client.get(url, headers={"user-agent": CHROME}).content.decode()
