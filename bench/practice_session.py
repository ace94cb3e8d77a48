"""Daily practice at deck sizes (issue 18 item 4): building a learner's session and the home's
practice line for a deck of 100 cards vs 5,000 cards, in the same database and run.

Each learner has opened the lessons their deck comes from and rated 60 % of its cards (ten
of them due now, the rest later), so a session holds ten due and ten new cards. Prints per
deck size: queries and median milliseconds of `session_for` (the practice page's data),
`summary_for` (the home's line) and one rating (`review_record`), then the time ratios
5,000 / 100 (target: session ≤ 2).

Run: .venv/bin/python bench/practice_session.py [--big 5000] [--small 100]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench \
       .venv/bin/python bench/practice_session.py
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import argparse
import statistics
import time
import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from harness import throwaway_database  # importing it sets Django up

CARDS_PER_LESSON = 100
RUNS = 15


def build_deck(user, module, cards: int, label: str):
    from django.utils import timezone

    from courses.models import LessonPage, LessonProgress
    from practice import schedule
    from practice.models import Card, CardState

    now = timezone.now()
    lessons = []
    for n in range(max(1, cards // CARDS_PER_LESSON)):
        lesson = module.add_child(
            instance=LessonPage(title=f"{label}课{n}", slug=f"{label}-{n}", body="[]")
        )
        lessons.append(lesson)
        LessonProgress.objects.create(
            user=user, lesson=lesson, first_opened_at=now, last_opened_at=now
        )
    made = Card.objects.bulk_create(
        Card(
            key=f"bench:{label}:{i}",
            kind="do_dont",
            lesson=lessons[i % len(lessons)],
            order=f"1:{label}:{i:06d}",
            content={"lesson": "课", "title": "", "dont": f"不要{i}", "do": f"要{i}"},
        )
        for i in range(cards)
    )
    reviewed = schedule.review(None, schedule.GOOD, now - timedelta(days=3))
    states = []
    for i, card in enumerate(made[: int(cards * 0.6)]):
        # Ten due now, so a session holds due and new cards alike.
        due = now - timedelta(hours=1 + i) if i < 10 else now + timedelta(days=1 + i % 9)
        states.append(
            CardState(
                user=user,
                card=card,
                memory=reviewed.memory,
                due=due,
                state=reviewed.state,
                stability=reviewed.stability,
                difficulty=reviewed.difficulty,
                reps=1,
                last_review=now - timedelta(days=3),
                created_at=now - timedelta(days=3),
            )
        )
    CardState.objects.bulk_create(states, batch_size=2000)


def measure(call):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        call()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return len(queries), statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--big", type=int, default=5000)
    options = parser.parse_args()

    with throwaway_database():
        from courses.models import CourseIndexPage, ModulePage
        from practice.models import Card, CardState
        from practice.selectors import session_for, summary_for
        from practice.services import review_record
        from tests.factories import StaffFactory, ensure_tree_roots

        root = ensure_tree_roots()
        index = root.add_child(instance=CourseIndexPage(title="课程", slug="bench"))
        module = index.add_child(instance=ModulePage(title="模块", slug="module"))
        learners = {}
        for size in (options.small, options.big):
            user = StaffFactory().user
            build_deck(user, module, size, f"d{size}")
            learners[size] = user
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after bulk loading
        print(
            f"database {connection.vendor}; cards {Card.objects.count()}, "
            f"memories {CardState.objects.count()}"
        )
        figures = {}
        for size, user in learners.items():
            session = session_for(user)
            due_card = session.cards[0].id  # rated again and again: one review each time
            rows = {
                "session": measure(lambda u=user: session_for(u)),
                "summary": measure(lambda u=user: summary_for(u)),
                "rating": measure(
                    lambda u=user, c=due_card: review_record(
                        u, card_id=c, rating=3, client_id=uuid.uuid4()
                    )
                ),
            }
            figures[size] = rows
            print(
                f"deck {size:>6} cards: session {len(session.cards)} cards "
                f"({session.due_count} due, {session.new_count} new) · "
                + " · ".join(f"{k} {q} queries {ms:.1f} ms" for k, (q, ms) in rows.items())
            )
        small, big = figures[options.small], figures[options.big]
        print(
            f"ratio {options.big} / {options.small} cards: "
            + " · ".join(
                f"{k} time ×{big[k][1] / small[k][1]:.2f}, queries {small[k][0]} → {big[k][0]}"
                for k in small
            )
        )


if __name__ == "__main__":
    main()
