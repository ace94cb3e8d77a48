"""Chinese search: how well each approach ranks the demo lessons, and how fast search is at
scale (issue 17 item 2).

Quality: the demo content (`seed_demo`: 22 lessons), 18 queries a learner would type, each
with the lessons a trainer judged relevant (by topic, not by whether the word occurs).
Approaches:
  wagtail    Wagtail's database search backend as configured (SQLite FTS5 / PostgreSQL
             tsvector; `LessonPage.objects.live().search(q)`)
  substring  ours: every term a substring of title or text, `academy.search_text.rank`
             (`courses.selectors.lessons_found`)
  bigram     the full-text index fed overlapping character bigrams (and single characters)
             of the same text, the query likewise; FTS5 bm25 / ts_rank, title weighted
  jieba      the same index fed rjieba's `cut_for_search` words (only when rjieba is
             installed: it is not a dependency of the project)
  trigram    PostgreSQL only: pg_trgm `word_similarity` of the query to title and text
Prints per approach: MRR, recall@5, precision@5, queries answering nothing relevant, and
the median ms per query. Then scale: the admin staff search over 50,000 people
(`--staff N`) and the learner's lesson search over 22 × `--copies` lessons.

Run: .venv/bin/python bench/search_quality.py [--staff 50000] [--copies 25]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench \
       .venv/bin/python bench/search_quality.py
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import argparse
import re
import statistics
import time

from django.core.management import call_command
from django.db import connection
from harness import throwaway_database  # importing it sets Django up

# query -> titles of the relevant lessons
JUDGED = {
    "电话": {"电话礼仪：三声之内接起"},
    "接电话": {"电话礼仪：三声之内接起"},
    "投诉": {"投诉的分类与界定", "投诉闭环处理流程", "回访：关闭投诉前的最后一步"},
    "投诉流程": {"投诉闭环处理流程"},
    "禁语": {"服务禁语"},
    "台风": {"台风与暴雨"},
    "停电": {"停水停电"},
    "电梯": {"电梯困人"},
    "工牌": {"职业形象：制服、工牌与仪容"},
    "交接班": {"值班纪律与交接班"},
    "报修 时限": {"报修响应与完成时限"},
    "回访": {"回访：关闭投诉前的最后一步"},
    "火": {"火情处置"},
    "暴雪": {"高温与暴雪"},
    "礼貌用语": {"文明礼貌用语十字"},
    "业主情绪激动": {"安抚情绪激动的业主"},
    "首问": {"首问责任制"},
    "媒体": {"群体投诉与媒体到场"},
}
K = 5
RUNS = 5

_CJK = re.compile(r"[\u3400-\u9fff]+")


def bigram_tokens(text: str) -> list[str]:
    """Single characters and overlapping bigrams of each Chinese run; other words as they are."""
    from academy.search_text import normalise

    tokens = []
    text = normalise(text)
    for part in re.split(r"[\u3400-\u9fff]+", text):
        tokens += re.findall(r"\w+", part)
    for run in _CJK.findall(text):
        tokens += list(run) + [run[i : i + 2] for i in range(len(run) - 1)]
    return tokens


def bigram_query(query: str) -> list[str]:
    """Each term's bigrams (its single character when it is one), all required."""
    from academy.search_text import terms

    wanted = []
    for term in terms(query):
        wanted += [term] if len(term) == 1 else [term[i : i + 2] for i in range(len(term) - 1)]
    return wanted


def jieba_tokens(text: str) -> list[str]:
    import rjieba
    from academy.search_text import normalise

    return [t for t in rjieba.cut_for_search(normalise(text)) if t.strip() and re.search(r"\w", t)]


class TokenIndex:
    """A throwaway full-text table of (title tokens, text tokens) per lesson, on the
    database's own engine: FTS5 with bm25 on SQLite, tsvector with ts_rank on PostgreSQL."""

    def __init__(self, name: str, lessons, tokenize, query_tokens):
        self.name, self.tokenize, self.query_tokens = name, tokenize, query_tokens
        self.titles = {}
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(pk UNINDEXED, title, body)")
            else:
                cursor.execute(
                    f"CREATE TEMP TABLE {name} (pk int, title tsvector, body tsvector, "
                    "doc tsvector)"
                )
            for lesson in lessons:
                self.titles[lesson.pk] = lesson.title
                title = " ".join(tokenize(lesson.title))
                body = " ".join(tokenize(lesson.search_text))
                if connection.vendor == "sqlite":
                    cursor.execute(
                        f"INSERT INTO {name} VALUES (%s, %s, %s)",  # noqa: S608 (our table name)
                        [lesson.pk, title, body],
                    )
                else:
                    cursor.execute(
                        f"INSERT INTO {name} SELECT %s, t, b, "  # noqa: S608 (our table name)
                        "setweight(t, 'A') || setweight(b, 'D') "
                        "FROM (SELECT to_tsvector('simple', %s) t, "
                        "to_tsvector('simple', %s) b) x",
                        [lesson.pk, title, body],
                    )

    def search(self, query: str) -> list[str]:
        tokens = [t for t in self.query_tokens(query) if t]
        if not tokens:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                match = " AND ".join('"' + t.replace('"', '""') + '"' for t in tokens)
                cursor.execute(
                    f"SELECT pk FROM {self.name} WHERE {self.name} MATCH %s "  # noqa: S608
                    f"ORDER BY bm25({self.name}, 0, 10.0, 1.0)",
                    [match],
                )
            else:
                cursor.execute(
                    f"SELECT pk FROM {self.name}, plainto_tsquery('simple', %s) q "  # noqa: S608
                    "WHERE doc @@ q ORDER BY ts_rank(doc, q) DESC, pk",
                    [" ".join(tokens)],
                )
            return [self.titles[row[0]] for row in cursor.fetchall()]


def trigram_search(query: str) -> list[str]:
    from academy.search_text import terms

    text = " ".join(terms(query))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.title FROM courses_lessonpage l "
            "JOIN wagtailcore_page p ON p.id = l.page_ptr_id "
            "WHERE p.live AND (word_similarity(%s, p.title) > 0.3 OR word_similarity(%s, "
            "l.search_text) > 0.3) ORDER BY greatest(2 * word_similarity(%s, p.title), "
            "word_similarity(%s, l.search_text)) DESC, p.path",
            [text, text, text, text],
        )
        return [row[0] for row in cursor.fetchall()]


def evaluate(name: str, search) -> None:
    reciprocal, recall, precision, misses, times = [], [], [], 0, []
    for query, relevant in JUDGED.items():
        found = search(query)
        for _ in range(RUNS):
            start = time.perf_counter()
            search(query)
            times.append(time.perf_counter() - start)
        ranks = [i for i, title in enumerate(found, 1) if title in relevant]
        reciprocal.append(1 / ranks[0] if ranks else 0.0)
        recall.append(len([r for r in ranks if r <= K]) / len(relevant))
        precision.append(len([r for r in ranks if r <= K]) / K)
        misses += not ranks
    print(
        f"quality {name:<9} MRR {statistics.mean(reciprocal):.2f}  recall@{K} "
        f"{statistics.mean(recall):.2f}  precision@{K} {statistics.mean(precision):.2f}  "
        f"no relevant hit {misses:>2}/{len(JUDGED)}  "
        f"{statistics.median(times) * 1000:.1f} ms/query ({connection.vendor})"
    )


def quality() -> None:
    from courses.models import LessonPage
    from courses.selectors import lessons_found

    lessons = list(LessonPage.objects.live())

    def titles(hits):
        return ["".join(part.text for part in hit.title) for hit in hits]

    evaluate("wagtail", lambda q: [p.title for p in LessonPage.objects.live().search(q)])
    evaluate("substring", lambda q: titles(lessons_found(q)))
    evaluate("bigram", TokenIndex("bench_bigram", lessons, bigram_tokens, bigram_query).search)
    try:
        import rjieba  # noqa: F401
    except ImportError:
        print("quality jieba     (rjieba not installed: skipped)")
    else:
        evaluate("jieba", TokenIndex("bench_jieba", lessons, jieba_tokens, jieba_tokens).search)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        evaluate("trigram", trigram_search)


def timed(function, runs: int = 20) -> float:
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def scale(staff: int, copies: int) -> None:
    from academy.search_queries import search_by_substring
    from django.contrib.auth import get_user_model

    from courses.models import LessonPage, ModulePage
    from courses.selectors import lessons_found
    from staff.models import StaffProfile, Team
    from staff.wagtail_hooks import StaffViewSet

    team = Team.objects.select_related("site").first()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n}") for n in range(staff)
    )
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋晓燕婷明"
    StaffProfile.objects.bulk_create(
        StaffProfile(
            user=user,
            employee_number=f"B{n:06d}",
            name=surnames[n % 10] + given[n % 14] + given[(n // 14) % 14],
            mobile=f"139{n:08d}",
            site=team.site,
            team=team,
        )
        for n, user in enumerate(users)
    )
    fields = StaffViewSet.search_fields
    queryset = StaffProfile.objects.select_related("site", "team").order_by("name")
    for query in ("晓燕", "王伟芳", "13900012345", "不存在的人"):

        def page(query=query):
            found = search_by_substring(queryset, query, fields)
            return found.count(), list(found[:20])

        count = page()[0]
        print(
            f"scale staff search {StaffProfile.objects.count()} people  "
            f"q={query!r}  {count} found  "
            f"{timed(page):.1f} ms (count + first page, {connection.vendor})"
        )

    module = ModulePage.objects.live().first()
    originals = list(LessonPage.objects.live())
    for copy in range(copies):
        for n, lesson in enumerate(originals):
            module.add_child(
                instance=LessonPage(
                    title=f"{lesson.title}（{copy}）", slug=f"copy-{copy}-{n}", body=lesson.body
                )
            )
    total = LessonPage.objects.live().count()
    for query in ("电话", "投诉 流程", "不存在的词"):
        print(
            f"scale lesson search {total} lessons  q={query!r}  {len(lessons_found(query))} shown  "
            f"{timed(lambda query=query: lessons_found(query)):.1f} ms ({connection.vendor})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--copies", type=int, default=25)
    args = parser.parse_args()
    with throwaway_database():
        call_command("seed_demo", verbosity=0)
        quality()
        scale(args.staff, args.copies)


if __name__ == "__main__":
    main()
