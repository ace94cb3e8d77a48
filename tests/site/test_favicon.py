"""The academy's icon in the browser tab: named by every page and the admin, and served at
/favicon.ico for whatever names none."""

from tests.factories import UserFactory


def test_the_icon_is_named_on_every_page_and_served_at_the_root(client, db):
    page = client.get("/verify/").content.decode()
    assert 'rel="icon" href="/static/academy/img/favicon.svg" type="image/svg+xml"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/academy/img/favicon.ico"
    client.force_login(UserFactory(roles=["trainer"]))
    admin = client.get("/admin/").content.decode()
    assert 'rel="icon" href="/static/academy/img/favicon.svg"' in admin
    assert "wagtailadmin/images/favicon.ico" not in admin
