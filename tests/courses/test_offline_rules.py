"""What the service worker keeps offline and how it answers (`courses.offline`), as plain
Python: the table the worker applies, the precache list and its version."""

import pytest

from courses import offline
from courses.offline import BYPASSED, EMERGENCY, NETWORK_ONLY, STATIC, rule_for


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/emergency/", EMERGENCY),
        ("/courses/emergency/lift/", "courses"),
        ("/courses/", "courses"),
        ("/practice/", "practice"),
        ("/practice/deck/3/", "practice"),
        ("/", NETWORK_ONLY),
        ("/certificates/", NETWORK_ONLY),
        ("/quizzes/4/", NETWORK_ONLY),
        ("/admin/", BYPASSED),
        ("/admin/pages/3/edit/", BYPASSED),
        ("/api/v1/people", BYPASSED),
        ("/accounts/login/", BYPASSED),
        ("/accounts/logout/", BYPASSED),
        ("/accounts/password-reset/", BYPASSED),
        ("/activate/", BYPASSED),
        ("/media/images/x.jpg", BYPASSED),
        ("/documents/3/drill.mp4", BYPASSED),
        ("/i18n/setlang/", BYPASSED),
        ("/health/", BYPASSED),
        ("/sw.js", BYPASSED),
    ],
)
def test_which_pages_are_kept(path, expected):
    assert rule_for(path) == expected


def test_a_post_is_never_touched():
    for path in ["/emergency/", "/courses/m/l/", "/practice/", "/quizzes/attempts/1/answer/"]:
        assert rule_for(path, method="POST") == BYPASSED
        assert rule_for(path, method="post") == BYPASSED


def test_what_is_not_a_page_comes_from_the_shell_or_the_network():
    assert rule_for("/static/academy/css/academy.css", navigation=False) == STATIC
    assert rule_for("/courses/m/l/", navigation=False) == STATIC
    assert rule_for("/media/x.mp4", navigation=False) == BYPASSED


def test_media_is_bypassed_wherever_it_is_served():
    assert rule_for("/uploads/x.pdf", media_url="/uploads/") == BYPASSED
    assert rule_for("/uploads/x.pdf") == NETWORK_ONLY


def test_the_last_ten_course_pages_are_kept():
    courses = next(kept for kept in offline.kept_pages() if kept.name == "courses")
    assert courses.prefix == "/courses/" and courses.limit == offline.KEPT_COURSE_PAGES == 10


def hashed(name: str) -> str:
    """Like `static()` under ManifestStaticFilesStorage: a content hash in the name."""
    stem, dot, ext = name.rpartition(".")
    return f"/static/{stem}.0123abcd{dot}{ext}"


def test_the_precache_list_uses_the_served_static_names_each_once():
    urls = offline.precache_urls(
        hashed, ["academy/css/academy.css", "academy/js/offline.js"], ["/emergency/", "/offline/"]
    )
    assert urls == [
        "/emergency/",
        "/offline/",
        "/static/academy/css/academy.0123abcd.css",
        "/static/academy/js/offline.0123abcd.js",
    ]
    assert offline.precache_urls(hashed, ["a.css", "a.css"], ["/x/", "/x/"]) == [
        "/x/",
        "/static/a.0123abcd.css",
    ]


def test_the_version_changes_with_a_static_file_or_the_emergency_content():
    urls = ["/emergency/", "/static/a.1.css"]
    version = offline.cache_version(urls, "3@2026-01-01")
    assert version == offline.cache_version(list(urls), "3@2026-01-01")
    assert version != offline.cache_version(["/emergency/", "/static/a.2.css"], "3@2026-01-01")
    assert version != offline.cache_version(urls, "3@2026-01-02")
    assert version != offline.cache_version(urls, "3@2026-01-01|4@2026-01-01")


def test_the_worker_is_given_the_whole_rule():
    config = offline.worker_config(
        precache=["/emergency/", "/offline/"],
        content_stamp="1@x",
        emergency_url="/emergency/",
        offline_url="/offline/",
        course_prefix="/courses/",
        media_url="/media/",
    )
    assert config["version"] == offline.cache_version(["/emergency/", "/offline/"], "1@x")
    assert config["bypass"] == [*offline.BYPASS, "/media/"]
    assert config["kept"] == [
        {"name": "courses", "prefix": "/courses/", "limit": 10},
        {"name": "practice", "prefix": "/practice/", "limit": offline.KEPT_PRACTICE_PAGES},
    ]
    assert "1@x" not in str(config)  # lesson ids and times stay on the server
