"""The pages that say something did not work: a friendly Chinese page for "not found", "no
access", a refused or expired form, a bad request and a server error, in production and —
for everybody but the developers — with DEBUG on."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied

from tests.factories import StaffFactory, UserFactory, ensure_tree_roots

TECHNICAL_404 = "Using the URLconf defined in"  # Django's debug page lists the patterns


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def learner_client(client, db):
    client.force_login(StaffFactory(user__username="xiaolin").user)
    return client


def assert_friendly_404(response):
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in page and "请检查网址，或回到首页重新进入。" in page
    assert TECHNICAL_404 not in page and "Traceback" not in page


@pytest.mark.parametrize("path", ["/supervision/", "/supervision/matrix/", "/no-such-page/"])
def test_a_learner_gets_the_friendly_404_with_or_without_debug(learner_client, debug, path):
    response = learner_client.get(path)
    assert_friendly_404(response)
    assert 'href="/">返回我的学习</a>' in response.content.decode()


def test_a_missing_course_page_is_the_same_404(learner_client, debug):
    ensure_tree_roots()
    assert_friendly_404(learner_client.get("/courses/no-such-lesson/"))


def test_a_visitor_is_offered_the_login_and_the_verification(client, db, debug):
    response = client.get("/no-such-page/")
    assert_friendly_404(response)
    page = response.content.decode()
    assert 'href="/accounts/login/">登录</a>' in page and 'href="/verify/">验证证书</a>' in page


def test_developers_keep_the_technical_404_while_debugging(client, db, settings):
    client.force_login(UserFactory(is_superuser=True))
    settings.DEBUG = True
    assert TECHNICAL_404 in client.get("/no-such-page/").content.decode()
    settings.DEBUG = False
    assert_friendly_404(client.get("/no-such-page/"))


def test_a_page_of_our_own_that_answers_404_is_left_alone(client, db, debug):
    page = client.get("/verify/", {"code": "no-such-code"}).content.decode()
    assert "没有与此验证码对应的证书" in page and "<h1>页面不存在</h1>" not in page


def test_no_access_is_the_friendly_403(learner_client, debug):
    response = learner_client.get("/admin/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>没有权限</h1>" in page and "你的账号没有进入培训管理后台的权限" in page
    assert "如工作需要，请联系你的主管或培训管理员。" in page
    raised = RequestFactory().get("/admin/anything/")
    raised.user = StaffFactory().user
    page = permission_denied(raised, PermissionDenied()).content.decode()
    assert "<h1>没有权限</h1>" in page and "你没有权限打开此页面。" in page


def test_an_expired_form_is_explained(db, debug):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "xiaolin", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>页面已过期</h1>" in page and "请返回上一页，刷新后再试。" in page


def test_a_server_error_is_the_friendly_500_in_production(client, db, settings, monkeypatch):
    import certification.views

    def broken(code):
        raise RuntimeError("the certificate table is on fire")

    monkeypatch.setattr(certification.views, "certificate_by_code", broken)
    client.raise_request_exception = False
    response = client.get("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>系统出错了</h1>" in page and "错误已被记录" in page and 'href="/"' in page
    assert "on fire" not in page and "Traceback" not in page
    settings.DEBUG = True  # developers still get the traceback of a real error
    page = client.get("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/").content.decode()
    assert "RuntimeError" in page and "on fire" in page


def test_the_plain_pages_render_without_a_request_or_a_database():
    # As Django's server_error and bad_request do: no context, no request.
    assert "<h1>系统出错了</h1>" in loader.get_template("500.html").render()
    assert "<h1>请求无法处理</h1>" in loader.get_template("400.html").render()


def test_a_bad_request_is_the_friendly_400_in_production(client, db):
    response = client.get("/verify/", HTTP_HOST="not-ours.example")
    assert response.status_code == 400
    assert "<h1>请求无法处理</h1>" in response.content.decode()
