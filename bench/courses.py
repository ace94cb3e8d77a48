"""Learner home, module page and lesson page: SQL queries and median render time, small vs
large course: 10 vs 1,000 lessons in the same five modules (issue 14: ratio <= 1.5). The
module count stays the same because the home shows one card per module: the question is
whether a page costs more as lessons are added, not as the course grows new sections.

Run: .venv/bin/python bench/courses.py            (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench .venv/bin/python bench/courses.py
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from harness import throwaway_database  # importing it sets Django up

SIZES = [(5, 2), (5, 200)]  # (modules, lessons per module): 10 vs 1,000 lessons
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
            if connection.vendor == "postgresql":
                # Statistics, as autovacuum gathers them on a live database: otherwise it may
                # or may not get to these fresh tables in the middle of a measurement, and
                # the plans (and times) change with it.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            client = Client()
            client.force_login(person.user)
            middle = all_lessons[len(all_lessons) // 2]
            pages = {
                "home": measure(client, "/"),
                "module": measure(client, middle.get_parent().url),
                "lesson": measure(client, middle.url),
            }
            results.append((modules * lessons, pages))
            print(
                f"{modules * lessons:5d} lessons: "
                + "; ".join(f"{page} {n} queries, {ms:.1f} ms" for page, (n, ms) in pages.items())
                + f"  ({connection.vendor})"
            )
        (small_n, small), (big_n, big) = results
        print(
            f"ratio {big_n} vs {small_n} lessons: "
            + ", ".join(
                f"{page} time x{big[page][1] / small[page][1]:.2f} "
                f"(queries {small[page][0]}→{big[page][0]})"
                for page in small
            )
        )


if __name__ == "__main__":
    main()
