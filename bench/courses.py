"""Learner home and lesson page: SQL queries and median render time, small vs large course.

Run: .venv/bin/python bench/courses.py            (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench .venv/bin/python bench/courses.py
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from harness import throwaway_database  # importing it sets Django up

SIZES = [(2, 5), (20, 25)]  # (modules, lessons per module): 10 vs 500 lessons
RUNS = 30


def measure(client, url: str) -> tuple[int, float]:
    client.get(url)  # warm caches
    connection.queries_log.clear()  # the log is a bounded deque: a full one counts nothing new
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return len(queries), statistics.median(times) * 1000


def main() -> None:
    from django.test import Client

    with throwaway_database():
        from courses.models import LessonPage
        from tests.factories import StaffFactory, build_course, complete_lesson

        results = []
        for modules, lessons in SIZES:
            from wagtail.models import Page

            for page in Page.objects.filter(depth=2):
                page.delete()
            build_course(modules=modules, lessons_per_module=lessons)
            person = StaffFactory()
            all_lessons = list(LessonPage.objects.order_by("path"))
            for lesson in all_lessons[: len(all_lessons) // 2]:
                complete_lesson(user=person.user, lesson=lesson)
            client = Client()
            client.force_login(person.user)
            home = measure(client, "/")
            lesson = measure(client, all_lessons[len(all_lessons) // 2].url)
            results.append((modules * lessons, home, lesson))
            print(
                f"{modules * lessons:4d} lessons: home {home[0]} queries, {home[1]:.1f} ms; "
                f"lesson page {lesson[0]} queries, {lesson[1]:.1f} ms  ({connection.vendor})"
            )
        (small_n, small_home, small_lesson), (big_n, big_home, big_lesson) = results
        print(
            f"ratio {big_n} vs {small_n} lessons: home time x{big_home[1] / small_home[1]:.2f}, "
            f"lesson time x{big_lesson[1] / small_lesson[1]:.2f}; "
            f"queries {small_home[0]}→{big_home[0]} (home), "
            f"{small_lesson[0]}→{big_lesson[0]} (lesson)"
        )


if __name__ == "__main__":
    main()
