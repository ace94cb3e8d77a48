"""Certificate PDFs: seconds per PDF in a warm process and file size, beside the way before
issue 14 (faces cut to each certificate, a font configuration per PDF) and a naive render
(WeasyPrint embedding the system CJK font itself); the time to issue 1,000 certificates in
bulk (issue + render + store each PDF) with the process's memory before and after; and with
--memory N, the memory of one process drawing N PDFs, as a long-lived task worker does.

Run: .venv/bin/python bench/certificates.py [--bulk 1000]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench \
         .venv/bin/python bench/certificates.py
     .venv/bin/python bench/certificates.py --memory 5000 [--before 1000]
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import argparse
import logging
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from harness import throwaway_database  # importing it sets Django up

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉晓雯婷琳宇浩瑶鑫淼燊㵘䶮"
# Beyond the main font (CJK Extension B): drawn from an installed fallback font.
RARE = "𠀀𪚥𫟷"
PROGRAMS = ("前台客服上岗认证", "投诉处理专项认证", "夜间值班服务认证")


def random_name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def content(name: str, program: str = PROGRAMS[0]):
    from certification.pdf import CertificateContent

    return CertificateContent(
        holder=name,
        program=program,
        serial="KF-2026-000123",
        version=1,
        issued_on=date(2026, 11, 23),
        expires_on=date(2027, 11, 23),
        verify_url="https://academy.example.cn/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/",
        code="ABCDEFGHJKLMNPQRSTUVWXYZ23",
        competencies=["服务礼仪", "规范用语", "投诉处理"],
    )


def timed(function, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(function())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def rss_mb(field: str = "VmRSS") -> float:
    """The process's resident memory now (Linux): all of it, or `RssAnon`, the part not
    backed by files (font files mapped into memory can be dropped and read again)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


DESIGN_TEXT = {
    "issuer": "示范物业服务有限公司 客服学院",
    "signatory_name": "李芳",
    "signatory_title": "培训负责人",
}


def render_per_certificate(content, design) -> bytes:
    """How a PDF was drawn before issue 14: faces cut to this certificate's text, embedded as
    base64 in CSS, parsed into a new WeasyPrint font configuration (which pango 1.50 never
    frees)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from certification.pdf import _data_urls_only, certificate_html, visible_text
    from certification.pdf_fonts import fonts_for

    page_html = certificate_html(content, design)
    fonts = fonts_for(visible_text(page_html))
    font_css = f"{fonts.css}\nbody {{ font-family: {fonts.families}; }}"
    font_config = FontConfiguration()
    return HTML(string=page_html, url_fetcher=_data_urls_only).write_pdf(
        stylesheets=[CSS(string=font_css, url_fetcher=_data_urls_only, font_config=font_config)],
        font_config=font_config,
    )


def timed_pair(first: Callable, second: Callable, runs: int) -> tuple[float, float]:
    """Medians of the two, run alternately so that the machine's load falls on both."""
    times: tuple[list, list] = ([], [])
    for _ in range(runs):
        for function, spent in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            function()
            spent.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def pdf_figures(runs: int) -> None:
    import weasyprint.pdf.fonts as weasy_fonts

    from certification.pdf import Design, render_pdf

    rng = random.Random(7)  # noqa: S311 - sample names
    design = Design(**DESIGN_TEXT)
    start = time.perf_counter()
    render_pdf(content("预热"), design)  # warm: fonts prepared once per process and design
    print(f"first PDF in a process (fonts prepared): {time.perf_counter() - start:.2f} s")
    ours, our_size = timed(lambda: render_pdf(content(random_name(rng)), design), runs)
    render_per_certificate(content("预热"), design)
    now, before = timed_pair(
        lambda: render_pdf(content(random_name(rng)), design),
        lambda: render_per_certificate(content(random_name(rng)), design),
        runs,
    )
    before_size = statistics.median(
        len(render_per_certificate(content(random_name(rng)), design)) for _ in range(5)
    )
    render_pdf(content("预热"), design, subset_fonts=False)
    naive, naive_size = timed(
        lambda: render_pdf(content(random_name(rng)), design, subset_fonts=False), max(3, runs // 5)
    )
    print(f"PDF, warm process, median of {runs}: {ours:.3f} s, {our_size / 1024:.1f} KB")
    print(
        f"  before issue 14 (faces cut per PDF, a font configuration each), alternated with "
        f"ours: {before:.3f} s vs {now:.3f} s -> ours ×{before / now:.2f} faster; "
        f"{before_size / 1024:.1f} KB"
    )
    from demo.seal import seal_png

    sealed = replace(design, seal_png=seal_png("安和物业服务有限公司", "培训专用章"))
    with_seal, sealed_size = timed(lambda: render_pdf(content(random_name(rng)), sealed), runs)
    print(f"  with the demo seal image: {with_seal:.3f} s, {sealed_size / 1024:.1f} KB")
    print(
        f"naive (WeasyPrint subsets the system font itself, HarfBuzz): {naive:.3f} s, "
        f"{naive_size / 1024:.1f} KB  -> ours is ×{naive / ours:.1f} faster, "
        f"×{naive_size / our_size:.1f} smaller"
    )
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its fontTools warning
    saved = weasy_fonts.harfbuzz_subset
    weasy_fonts.harfbuzz_subset = None  # what WeasyPrint does without libharfbuzz-subset
    try:
        slow, slow_size = timed(
            lambda: render_pdf(content("林晓雯"), design, subset_fonts=False), 2
        )
    finally:
        weasy_fonts.harfbuzz_subset = saved
    print(
        f"naive with WeasyPrint's fontTools subsetter: {slow:.2f} s, "
        f"{slow_size / 1024:.1f} KB  -> ours is ×{slow / ours:.0f} faster"
    )


def bulk_issue(count: int) -> None:
    from django.contrib.auth import get_user_model

    from certification.models import Certificate, Observation, Program, ProgramRequirement
    from certification.rules import OBSERVATION_CHECKLIST
    from certification.services import certificate_issue_if_eligible
    from staff.models import Company, Site, StaffProfile

    rng = random.Random(11)  # noqa: S311 - sample names
    site = Site.objects.create(
        company=Company.objects.create(name="基准物业"), code="bench", name="基准服务中心"
    )
    program = Program.objects.create(name="前台客服上岗认证", code="bench", validity_months=12)
    ProgramRequirement.objects.create(program=program, kind="observation")
    observer = get_user_model().objects.create(username="observer")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n}") for n in range(count)
    )
    StaffProfile.objects.bulk_create(
        StaffProfile(
            user=user,
            employee_number=f"B{n:05d}",
            name=random_name(rng),
            position="receptionist",
            site=site,
        )
        for n, user in enumerate(users)
    )
    checklist = {key: True for key, _label in OBSERVATION_CHECKLIST}
    Observation.objects.bulk_create(
        Observation(
            user=user, observer=observer, observed_on=date.today(), results=checklist, passed=True
        )
        for user in users
    )
    memory = rss_mb()
    start = time.perf_counter()
    for user in users:
        certificate_issue_if_eligible(user=user, program=program)
    elapsed = time.perf_counter() - start
    stored = Certificate.objects.exclude(pdf="").count()
    print(
        f"bulk issue of {count} certificates (issue + render + store each PDF): "
        f"{elapsed:.1f} s, {elapsed / count * 1000:.0f} ms each, {stored} PDFs stored; "
        f"RSS {memory:.0f} -> {rss_mb():.0f} MB"
    )


def memory_figures(count: int, before: int) -> None:
    """RSS of one process drawing `count` PDFs: three programs in turn, names of one or two
    given names (a few beyond GBK), one in 50 with an Extension B character."""
    from certification.pdf import Design, render_pdf

    rng = random.Random(5)  # noqa: S311 - sample names
    design = Design(**DESIGN_TEXT)

    def name() -> str:
        drawn = random_name(rng)
        return drawn + rng.choice(RARE) if rng.random() < 0.02 else drawn

    def run(render, renders: int, marks: dict[int, float]) -> tuple[float, list[int]]:
        sizes, start = [], time.perf_counter()
        for number in range(1, renders + 1):
            sizes.append(len(render(content(name(), PROGRAMS[number % 3]), design)))
            if number in marks:
                marks[number] = (rss_mb(), rss_mb("RssAnon"))
        return (time.perf_counter() - start) / renders, sizes

    def shown(rss: tuple[float, float]) -> str:
        return f"{rss[0]:.1f} MB (anonymous {rss[1]:.1f})"

    at_start = rss_mb(), rss_mb("RssAnon")
    for program in PROGRAMS:  # warm-up: the fonts of each program prepared
        render_pdf(content("预热", program), design)
    warm = rss_mb(), rss_mb("RssAnon")
    thousand = min(1000, count)
    marks = dict.fromkeys(sorted({100, thousand, count}), (0.0, 0.0))
    each, sizes = run(render_pdf, count, marks)
    print(f"memory, {count:,} PDFs in one process (RSS):")
    print(f"  at 0: {shown(at_start)}; fonts prepared for {len(PROGRAMS)} programs: {shown(warm)}")
    print("  " + "; ".join(f"after {number:,}: {shown(rss)}" for number, rss in marks.items()))
    print(
        f"  growth {thousand:,} -> {count:,}: {marks[count][0] - marks[thousand][0]:+.1f} MB; "
        f"from the prepared fonts: {marks[count][0] - warm[0]:+.1f} MB (glyphs loaded and "
        f"cached as names first use them, slices of rare characters; bounded by the fonts)"
    )
    print(
        f"  {each * 1000:.0f} ms per PDF; PDF median {statistics.median(sizes) / 1024:.1f} KB, "
        f"largest {max(sizes) / 1024:.1f} KB"
    )
    if before:
        start_rss = rss_mb()
        each, sizes = run(render_per_certificate, before, {})
        print(
            f"  before issue 14, {before:,} PDFs in the same process: "
            f"{rss_mb() - start_rss:+.1f} MB; {each * 1000:.0f} ms per PDF; "
            f"PDF median {statistics.median(sizes) / 1024:.1f} KB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=0, help="PDFs drawn in one process")
    parser.add_argument("--before", type=int, default=0, help="then as many the old way")
    options = parser.parse_args()
    if options.memory:
        memory_figures(options.memory, options.before)
        return
    pdf_figures(options.runs)
    if options.bulk:
        import tempfile

        from django.conf import settings

        # Bench PDFs do not pile up in the project.
        settings.STORAGES["certificates"]["OPTIONS"]["location"] = tempfile.mkdtemp()
        with throwaway_database():
            bulk_issue(options.bulk)


if __name__ == "__main__":
    main()
