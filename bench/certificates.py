"""Certificate PDFs: seconds per PDF in a warm process and file size, beside a naive render
(WeasyPrint embedding the system CJK font itself), and the time to issue 1,000 certificates
in bulk (issue + render + store each PDF).

Run: .venv/bin/python bench/certificates.py [--bulk 1000]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench \
         .venv/bin/python bench/certificates.py
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import argparse
import logging
import random
import statistics
import time
from dataclasses import replace
from datetime import date

from harness import throwaway_database  # importing it sets Django up

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉晓雯婷琳宇浩瑶鑫淼燊㵘䶮"


def random_name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def content(name: str):
    from certification.pdf import CertificateContent

    return CertificateContent(
        holder=name,
        program="前台客服上岗认证",
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


def pdf_figures(runs: int) -> None:
    import weasyprint.pdf.fonts as weasy_fonts

    from certification.pdf import Design, render_pdf

    rng = random.Random(7)  # noqa: S311 - sample names
    design = Design(
        issuer="示范物业服务有限公司 客服学院", signatory_name="李芳", signatory_title="培训负责人"
    )
    render_pdf(content("预热"), design)  # warm: fonts located and parsed once per process
    ours, our_size = timed(lambda: render_pdf(content(random_name(rng)), design), runs)
    render_pdf(content("预热"), design, subset_fonts=False)
    naive, naive_size = timed(
        lambda: render_pdf(content(random_name(rng)), design, subset_fonts=False), max(3, runs // 5)
    )
    print(f"PDF, warm process, median of {runs}: {ours:.3f} s, {our_size / 1024:.1f} KB")
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
    start = time.perf_counter()
    for user in users:
        certificate_issue_if_eligible(user=user, program=program)
    elapsed = time.perf_counter() - start
    stored = Certificate.objects.exclude(pdf="").count()
    print(
        f"bulk issue of {count} certificates (issue + render + store each PDF): "
        f"{elapsed:.1f} s, {elapsed / count * 1000:.0f} ms each, {stored} PDFs stored"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=1000)
    options = parser.parse_args()
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
