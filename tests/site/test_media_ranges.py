"""Lesson media plays on phones: videos, pictures and documents on local disk answer range
requests (206 / 416), HEAD, If-Range and conditional requests, with their real type and
shown in place — through both addresses a file has (Wagtail's /documents/<id>/<name> and
/media/<path>), for signed-in staff only."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils.http import http_date
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories import StaffFactory, ensure_tree_roots

pytestmark = pytest.mark.django_db

VIDEO = (Path(__file__).resolve().parents[1] / "fixtures" / "lesson-sample.mp4").read_bytes()
SIZE = len(VIDEO)


@pytest.fixture
def video(db):
    ensure_tree_roots()
    document = get_document_model().objects.create(
        title="接听电话示范", file=ContentFile(VIDEO, name="接听电话示范.mp4")
    )
    yield document
    document.file.delete(save=False)


@pytest.fixture(params=["document", "media"])
def video_url(request, video):
    """The video as a lesson links it (Wagtail's document view) and as a file under /media/."""
    return video.url if request.param == "document" else video.file.url


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory().user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_whole_video_says_it_can_be_seeked_and_played_in_place(staff_client, video_url):
    response = staff_client.get(video_url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Disposition"].startswith("inline; ")
    assert (
        "filename*=UTF-8''%E6%8E%A5%E5%90%AC%E7%94%B5%E8%AF%9D%E7%A4%BA%E8%8C%83"
        in (response["Content-Disposition"])
    )
    assert response["Cache-Control"] == "private, max-age=3600"
    assert body(response) == VIDEO


@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=0-1", 0, 1),  # iOS Safari's probe
        ("bytes=100-", 100, SIZE - 1),
        ("bytes=-50", SIZE - 50, SIZE - 1),
        ("bytes=10-99999999", 10, SIZE - 1),
    ],
)
def test_a_range_is_answered_with_that_part(staff_client, video_url, header, start, end):
    response = staff_client.get(video_url, headers={"range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == VIDEO[start : end + 1]


def test_a_range_past_the_end_is_416(staff_client, video_url):
    response = staff_client.get(video_url, headers={"range": f"bytes={SIZE}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize("header", ["bytes=0-9,20-29", "bytes=9-3", "pages=1-2", "bytes=x-"])
def test_several_or_malformed_ranges_get_the_whole_file(staff_client, video_url, header):
    response = staff_client.get(video_url, headers={"range": header})
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert body(response) == VIDEO


def test_head_says_what_a_get_would_send(staff_client, video_url):
    response = staff_client.head(video_url, headers={"range": "bytes=0-1"})
    assert response.status_code == 200
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"


def test_if_range_gives_the_part_only_of_the_same_file(staff_client, video_url):
    whole = staff_client.get(video_url)
    etag, modified = whole["ETag"], whole["Last-Modified"]
    body(whole)

    for same in (etag, modified):
        part = staff_client.get(video_url, headers={"range": "bytes=0-9", "if-range": same})
        assert part.status_code == 206, same
        assert body(part) == VIDEO[:10]

    for changed in ('"another-version"', http_date(1_000_000_000), "W/" + etag):
        again = staff_client.get(video_url, headers={"range": "bytes=0-9", "if-range": changed})
        assert again.status_code == 200, changed
        assert body(again) == VIDEO


def test_a_copy_the_browser_holds_is_not_sent_again(staff_client, video_url):
    etag = staff_client.get(video_url)["ETag"]
    response = staff_client.get(video_url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_the_document_view_uses_wagtails_content_hash_as_entity_tag(staff_client, video):
    video._set_document_file_metadata()  # what the admin's upload form does
    video.save()
    assert video.file_hash
    assert staff_client.get(video.url)["ETag"] == f'"{video.file_hash}"'


def test_nobody_signed_out_gets_a_byte(client, video_url):
    response = client.get(video_url, headers={"range": "bytes=0-1"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_pictures_are_shown_and_office_files_saved(staff_client):
    ensure_tree_roots()
    picture = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(picture, "PNG")
    image = get_image_model().objects.create(
        title="前台", file=ImageFile(io.BytesIO(picture.getvalue()), name="desk.png")
    )
    sheet = get_document_model().objects.create(
        title="排班表", file=ContentFile(b"PK\x03\x04 not really", name="排班表.xlsx")
    )
    try:
        shown = staff_client.get(image.file.url)
        assert shown["Content-Type"] == "image/png"
        assert shown["Content-Disposition"].startswith("inline; ")
        for url in (sheet.url, sheet.file.url):
            saved = staff_client.get(url)
            assert saved.status_code == 200
            assert saved["Content-Disposition"].startswith("attachment; "), url
            assert (
                "filename*=UTF-8''%E6%8E%92%E7%8F%AD%E8%A1%A8.xlsx"
                in (saved["Content-Disposition"])
            )
    finally:
        image.file.delete(save=False)
        sheet.file.delete(save=False)


def test_a_missing_file_or_a_folder_is_not_found(staff_client, video):
    assert staff_client.get("/media/documents/nothing-here.mp4").status_code == 404
    assert staff_client.get("/media/documents/").status_code == 404
    assert staff_client.post(video.file.url).status_code == 405
