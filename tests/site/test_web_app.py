"""The installable web app: the manifest and its icons, and the base template's links."""

import json
import re

import pytest
from academy import web_app
from django.contrib.staticfiles import finders
from PIL import Image

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_manifest_is_valid_json_with_icons_that_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "客服学院" and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == web_app.THEME_COLOUR
    assert {"name": "应急卡片", "url": "/emergency/"} in manifest["shortcuts"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert purposes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_colours_are_the_stylesheets():
    css = open(finders.find("academy/css/academy.css"), encoding="utf-8").read()
    assert f"--brand: {web_app.THEME_COLOUR};" in css
    assert f"--bg: {web_app.BACKGROUND_COLOUR};" in css


def test_pages_link_the_manifest(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert f'<meta name="theme-color" content="{web_app.THEME_COLOUR}">' in page
    assert re.search(r'<link rel="apple-touch-icon" href="/static/academy/img/[^"]+\.png">', page)


def test_the_policy_allows_our_own_manifest_only(client):
    client.force_login(StaffFactory().user)
    rules = policy(client.get("/"))
    assert rules["manifest-src"] == ["'self'"]


def policy(response) -> dict[str, list[str]]:
    parts = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in parts}
