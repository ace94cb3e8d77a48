"""Quiz engine: grading throughput, and SQL queries and time to render and to submit a quiz
page for a 10- vs a 50-question quiz (the query counts must not grow with the questions).

Run: .venv/bin/python bench/quizzes.py            (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench .venv/bin/python bench/quizzes.py
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from harness import throwaway_database  # importing it sets Django up

RUNS = 20
KINDS = ["phone", "courtesy", "tea", "forbidden"]


def mixed_specs(count: int) -> list[str]:
    return [KINDS[n % len(KINDS)] for n in range(count)]


def right_form(attempt) -> dict:
    from tests.factories import RIGHT_ANSWERS, SAMPLE_SPECS

    form = {}
    for question in attempt.questions.select_related("version"):
        key = next(k for k, s in SAMPLE_SPECS.items() if s["text"] == question.version.spec["text"])
        value = RIGHT_ANSWERS[key]
        form[f"q{question.position}"] = ["", *value] if isinstance(value, list) else value
    return form


def grading_throughput() -> str:
    from quizzes.grading import attempt_totals, grade
    from tests.factories import RIGHT_ANSWERS, SAMPLE_SPECS

    questions = [(SAMPLE_SPECS[k], RIGHT_ANSWERS[k]) for k in mixed_specs(50)]
    for _ in range(50):  # warm up
        [grade(spec, answer) for spec, answer in questions]
    rounds = 2000
    start = time.perf_counter()
    for _ in range(rounds):
        grades = [grade(spec, answer) for spec, answer in questions]
        attempt_totals([(1.0, g.fraction, "single") for g in grades])
    elapsed = time.perf_counter() - start
    return (
        f"grading: {rounds / elapsed:,.0f} attempts of 50 questions per second "
        f"({elapsed / rounds * 1e6:.0f} µs per attempt, pure Python)"
    )


def page_figures(question_count: int):
    from django.test import Client

    from quizzes.models import Attempt
    from tests.factories import StaffFactory, build_quiz

    quiz = build_quiz(title=f"bench-{question_count}", specs=mixed_specs(question_count))
    person = StaffFactory()
    client = Client()
    client.force_login(person.user)
    client.post(f"/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(quiz=quiz, user=person.user)
    url = f"/quizzes/attempts/{attempt.pk}/"
    client.get(url)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as render_queries:
        client.get(url)
    render_times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        render_times.append(time.perf_counter() - start)

    form = right_form(attempt)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as submit_queries:
        start = time.perf_counter()
        response = client.post(f"/quizzes/attempts/{attempt.pk}/submit/", form)
        first_submit = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    attempt.refresh_from_db()
    assert attempt.percent == 100, attempt.percent

    # Median submit time over fresh attempts (each attempt can be submitted once).
    submit_times = [first_submit]
    for _ in range(RUNS // 4):
        client.post(f"/quizzes/{quiz.pk}/start/")
        attempt = Attempt.objects.filter(quiz=quiz, user=person.user).order_by("-number").first()
        form = right_form(attempt)
        start = time.perf_counter()
        client.post(f"/quizzes/attempts/{attempt.pk}/submit/", form)
        submit_times.append(time.perf_counter() - start)
    return (
        len(render_queries),
        statistics.median(render_times) * 1000,
        len(submit_queries),
        statistics.median(submit_times) * 1000,
    )


def main() -> None:
    with throwaway_database():
        print(grading_throughput())
        figures = {}
        for count in (10, 50):
            figures[count] = page_figures(count)
            rq, rt, sq, st = figures[count]
            print(
                f"{count:3d} questions: render {rq} queries, {rt:.1f} ms; "
                f"submit {sq} queries, {st:.1f} ms  ({connection.vendor})"
            )
        small, big = figures[10], figures[50]
        print(
            f"ratio 50 vs 10 questions: render time x{big[1] / small[1]:.2f}, "
            f"submit time x{big[3] / small[3]:.2f}; queries render {small[0]}→{big[0]}, "
            f"submit {small[2]}→{big[2]}"
        )


if __name__ == "__main__":
    main()
