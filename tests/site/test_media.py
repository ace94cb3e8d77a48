"""Lesson documents and images are course material: signed-in staff only, DEBUG or not."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories import StaffFactory, ensure_tree_roots

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(db):
    from django.core.cache import cache

    cache.clear()  # Wagtail caches renditions by image id, and ids repeat between tests
    ensure_tree_roots()
    document = get_document_model().objects.create(
        title="投诉处理流程", file=ContentFile(b"%PDF-1.4 handout", name="handout.pdf")
    )
    picture = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(picture, "PNG")
    image = get_image_model().objects.create(
        title="前台", file=ImageFile(io.BytesIO(picture.getvalue()), name="desk.png")
    )
    rendition = image.get_rendition("max-20x20")
    yield document, image, rendition
    document.file.delete(save=False)
    image.file.delete(save=False)
    rendition.file.delete(save=False)


def urls_of(document, image, rendition):
    return [document.url, document.file.url, image.file.url, rendition.url]


@pytest.mark.parametrize("debug", [True, False])
def test_anonymous_visitors_are_sent_to_the_login_page(client, material, debug):
    with override_settings(DEBUG=debug):
        for url in urls_of(*material):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith("/accounts/login/?next="), url


def test_signed_in_staff_get_the_files(client, material):
    document, image, rendition = material
    client.force_login(StaffFactory().user)
    handout = client.get(document.url)
    assert handout.status_code == 200
    assert b"".join(handout.streaming_content) == b"%PDF-1.4 handout"
    for url in urls_of(*material)[1:]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, max-age=3600"


def test_no_way_out_of_the_media_folder(client):
    client.force_login(StaffFactory().user)
    for url in [
        "/media/../site/settings.py",
        "/media/%2e%2e/site/settings.py",
        "/media/..%2fsite%2fsettings.py",
        "/media/",
    ]:
        assert client.get(url).status_code == 404, url
