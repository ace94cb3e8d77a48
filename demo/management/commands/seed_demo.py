"""Load the demo organisation, accounts and courses. Safe to run again: nothing is duplicated,
and pages a trainer has edited are left alone unless --refresh is given."""

import datetime as dt
import io
import json
import uuid

from academy.models import Competency
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from courses.models import CourseIndexPage, LessonPage, LessonProgress, ModulePage, ModuleQuiz
from demo.loader import (
    ModuleData,
    load_modules,
    load_organisation,
    load_quizzes,
    load_roleplays,
    text_to_html,
)
from quizzes.models import Question, QuestionCategory, Quiz, QuizSlot
from quizzes.services import questions_import
from roleplays.models import Scenario
from roleplays.services import scenario_change_slug, scenario_import_twee
from staff.models import Company, Site, StaffProfile, Team
from staff.roles import ensure_role_groups
from staff.roster import RosterRow
from staff.services import staff_upsert


class Command(BaseCommand):
    help = "Load the demo organisation, the three demo accounts and the four seed modules."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Overwrite demo pages with the content files, even if a trainer edited them.",
        )

    @transaction.atomic
    def handle(self, *args, refresh: bool = False, **options):
        org = load_organisation()
        modules = load_modules()
        ensure_role_groups()
        competencies = self._competencies(org["competencies"])
        self._organisation(org)
        index = self._course_index(org["course_index"])
        lesson_count = sum(self._module(index, module, competencies, refresh) for module in modules)
        quiz_count = self._quizzes(index, competencies)
        scenario_count = self._roleplays()
        program = self._program(index, competencies)
        self._design(org["company"])
        self._demo_progress()
        self._demo_practice()
        self._certificates(program)
        self._assignments(program)
        self._announce_demo_evidence()
        self.stdout.write(
            f"Demo ready: {StaffProfile.objects.count()} staff in {Site.objects.count()} sites, "
            f"{len(modules)} modules, {lesson_count} lessons, {quiz_count} quizzes "
            f"({Question.objects.count()} questions in the bank), {scenario_count} role-plays. "
            "Accounts: learner / trainer / supervisor (passwords in README.md)."
        )

    def _competencies(self, rows: list[dict]) -> dict[str, Competency]:
        found = {}
        for order, row in enumerate(rows):
            found[row["slug"]], _ = Competency.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "description": row.get("description", ""),
                    "sort_order": order,
                },
            )
        return found

    def _organisation(self, org: dict) -> None:
        company, _ = Company.objects.get_or_create(name=org["company"])
        for row in org["sites"]:
            site, _ = Site.objects.update_or_create(
                code=row["code"],
                defaults={"company": company, "name": row["name"], "city": row.get("city", "")},
            )
            for team_name in row.get("teams", []):
                Team.objects.get_or_create(site=site, name=team_name)
        for row in org["staff"]:
            staff_upsert(
                row=RosterRow(
                    line=0,
                    employee_number=row["employee_number"],
                    name=row["name"],
                    position=row["position"],
                    site_code=row["site"],
                    team_name=row.get("team", ""),
                    hire_date=row.get("hire_date"),
                    active=row.get("active", True),
                    email=row.get("email", ""),
                    mobile=str(row.get("mobile", "")),
                    wecom_userid=row.get("wecom_userid", ""),
                    dingtalk_userid=row.get("dingtalk_userid", ""),
                ),
                username=row.get("username"),
            )
        User = get_user_model()
        for username, account in org["accounts"].items():
            user = User.objects.get(username=username)
            user.set_password(account["password"])
            user.save(update_fields=["password"])
            user.groups.add(*Group.objects.filter(name__in=account["roles"]))
            profile = user.staff_profile
            profile.supervised_sites.set(
                Site.objects.filter(code__in=account.get("supervises_sites", []))
            )

    def _course_index(self, data: dict) -> CourseIndexPage:
        index = CourseIndexPage.objects.filter(slug=data["slug"]).first()
        if index is None:
            root = Page.get_first_root_node()
            index = root.add_child(
                instance=CourseIndexPage(
                    title=data["title"], slug=data["slug"], intro=text_to_html(data["intro"])
                )
            )
            index.save_revision().publish()
        site = WagtailSite.objects.filter(is_default_site=True).first()
        if site is None:
            WagtailSite.objects.create(
                hostname="localhost",
                root_page=index,
                is_default_site=True,
                site_name="客服学院",
            )
        elif site.root_page_id != index.id:
            old_root = site.root_page
            site.root_page = index
            site.site_name = "客服学院"
            site.save()
            # Wagtail's "Welcome" placeholder page has no further use.
            if type(old_root.specific) is Page and not old_root.get_children().exists():
                old_root.delete()
        return index

    def _module(self, index, data: ModuleData, competencies, refresh: bool) -> int:
        module = ModulePage.objects.child_of(index).filter(slug=data.slug).first()
        fields = {
            "title": data.title,
            "summary": data.summary,
            "intro": data.intro_html,
            "competency": competencies.get(data.competency),
            "emergency_cards": data.emergency_cards,
        }
        if module is not None and not refresh and module.emergency_cards != data.emergency_cards:
            # A demo database seeded before the flag existed: set it, keep the rest.
            module.emergency_cards = data.emergency_cards
            module.save_revision().publish()
        module = self._save_page(index, ModulePage, module, data.slug, fields, refresh)
        for lesson in data.lessons:
            existing = LessonPage.objects.child_of(module).filter(slug=lesson.slug).first()
            self._save_page(
                module,
                LessonPage,
                existing,
                lesson.slug,
                {
                    "title": lesson.title,
                    "summary": lesson.summary,
                    "estimated_minutes": lesson.minutes,
                    "body": json.dumps(lesson.body),
                },
                refresh,
            )
        return len(data.lessons)

    def _quizzes(self, index, competencies) -> int:
        """Questions from the demo GIFT files (once), a quiz per module, placed in it."""
        quizzes = load_quizzes()
        for data in quizzes:
            competency = competencies[data["competency"]]
            category_name = competency.name
            if not Question.objects.filter(category__name=category_name).exists():
                questions_import(
                    data=data["gift"],
                    fmt="gift",
                    category_name=category_name,
                    competencies=[competency],
                )
            category = QuestionCategory.objects.get(name=category_name)
            quiz, created = Quiz.objects.get_or_create(
                title=data["title"],
                defaults={
                    "intro": text_to_html(data.get("intro", "")),
                    "competency": competency,
                    "pass_mark": data["pass_mark"],
                    "time_limit_minutes": data.get("time_limit_minutes"),
                    "max_attempts": data.get("max_attempts", 0),
                },
            )
            if created:
                if data.get("draw"):
                    QuizSlot.objects.create(quiz=quiz, category=category, count=data["draw"])
                else:
                    for order, question in enumerate(category.questions.order_by("pk")):
                        QuizSlot.objects.create(quiz=quiz, question=question, sort_order=order)
            module = ModulePage.objects.child_of(index).filter(slug=data["module"]).first()
            if module is not None:
                ModuleQuiz.objects.get_or_create(module=module, quiz=quiz)
        return len(quizzes)

    def _roleplays(self) -> int:
        """The demo role-plays, imported from their Twee files once (by title)."""
        from roleplays.twee import parse_twee

        for slug, text in load_roleplays():
            story = parse_twee(text).story
            existing = story and Scenario.objects.filter(title=story.title).first()
            if existing:
                # Imported by an earlier seed_demo under the Chinese slug of its title.
                if existing.slug != slug and not Scenario.objects.filter(slug=slug).exists():
                    scenario_change_slug(scenario=existing, slug=slug)
                continue
            report = scenario_import_twee(text=text, slug=slug, publish=True)
            if not report.published:  # a demo story is written complete: say what it lacks
                raise CommandError(
                    f"Demo role-play {slug} is not complete: "
                    + "; ".join(str(item.message) for item in report.remaining)
                )
        return Scenario.objects.filter(live=True).count()

    def _program(self, index, competencies):
        """The demo certification program: the etiquette lessons, the phrases quiz and the
        ceiling-leak role-play."""
        from certification.models import Program, ProgramRequirement

        program, created = Program.objects.get_or_create(
            code="front-desk",
            defaults={
                "name": "前台客服上岗认证",
                "validity_months": 12,
                "description": "前台与客服专员上岗前须取得：学完服务礼仪，规范用语测验 80 分以上，"
                "通过“报修三次没人来”情景演练。",
            },
        )
        if not created:
            return program
        program.competencies.set(
            [competencies["etiquette"], competencies["phrases"], competencies["complaints"]]
        )
        module = ModulePage.objects.child_of(index).get(slug="etiquette")
        quiz = Quiz.objects.get(title="规范用语测验")
        scenario = Scenario.objects.filter(live=True).order_by("pk").first()
        ProgramRequirement.objects.create(
            program=program, kind="lessons", module=module, sort_order=0
        )
        ProgramRequirement.objects.create(
            program=program, kind="quiz", quiz=quiz, min_percent=80, sort_order=1
        )
        if scenario is not None:
            ProgramRequirement.objects.create(
                program=program, kind="roleplay", scenario=scenario, min_percent=70, sort_order=2
            )
        return program

    def _design(self, company: str) -> None:
        """The default certificate design, with a seal drawn for the demo company."""
        from django.core.files.images import ImageFile
        from wagtail.images.models import Image

        from certification.models import CertificateDesign
        from demo.seal import seal_png

        if CertificateDesign.objects.exists():
            return
        seal = Image(title=f"{company} 培训专用章")
        seal.file.save(
            "demo-seal.png",
            ImageFile(io.BytesIO(seal_png(company, "培训专用章")), name="demo-seal.png"),
            save=False,
        )
        seal.save()
        CertificateDesign.objects.create(
            name="标准证书",
            default=True,
            issuer=f"{company} 客服学院",
            seal=seal,
            signatory_title="培训主管",
            signatory_name="欧阳慧敏",
        )

    # (employee number, months since issue, revoked?): some certified, some expiring within
    # 30 days, some expired, one revoked — what a supervisor meets in real life.
    DEMO_CERTIFICATES = [
        ("A0004", 3, False),
        ("A0005", 7, False),
        ("A0007", 11.3, False),
        ("A0008", 11.6, False),
        ("A0010", 14, False),
        ("B0004", 16, False),
        ("B0006", 2, False),
        ("B0007", 5, True),
    ]

    def _certificates(self, program) -> None:
        from certification.models import Certificate
        from certification.services import certificate_issue

        if Certificate.objects.filter(program=program).exists():
            return
        today = timezone.localdate()
        for number, months, revoked in sorted(self.DEMO_CERTIFICATES, key=lambda r: -r[1]):
            profile = StaffProfile.objects.filter(employee_number=number).first()
            if profile is None:
                continue
            issued = today - dt.timedelta(days=round(months * 30.4))
            certificate = certificate_issue(user=profile.user, program=program, today=issued)
            if revoked:
                Certificate.objects.filter(pk=certificate.pk).update(
                    revoked_at=timezone.now(), revoke_reason="复核发现测验由他人代答"
                )

    def _assignments(self, program) -> None:
        """The front desk teams of 滨河花园 must hold the program: one team soon, one late."""
        from supervision.models import Assignment

        if program is None or Assignment.objects.exists():
            return
        today = timezone.localdate()
        for team_name, days in (("前台一组", 14), ("前台二组", -5)):
            team = Team.objects.filter(site__code="sz-binhe", name=team_name).first()
            if team is not None:
                Assignment.objects.create(
                    program=program, team=team, due_on=today + dt.timedelta(days=days)
                )

    def _announce_demo_evidence(self) -> None:
        """The demo progress was written directly; let certification, competency records and
        the dashboard catch up with it, as they do with real evidence (after commit)."""
        from academy.signals import announce_evidence

        for profile in StaffProfile.objects.select_related("user"):
            announce_evidence("demo", profile.user)

    def _demo_practice(self) -> None:
        """Some days of practice through the real scheduler, so the learner has a streak and
        cards due today, and supervisors see who practises. Skipped once anyone practised."""
        from practice.models import Review
        from practice.selectors import session_for
        from practice.services import cards_sync_all, review_record

        cards_sync_all()
        if Review.objects.exists():
            return
        now = timezone.now()
        profiles = list(StaffProfile.objects.select_related("user").order_by("employee_number"))
        learners = [p.user for p in profiles if p.user.username == "learner"]
        learners += [p.user for p in profiles[:12:3] if p.user.username != "learner"]
        for n, user in enumerate(learners):
            for days_ago in (9, 8, 6, 4, 3, 2, 1)[n % 3 :]:
                at = now - dt.timedelta(days=days_ago, hours=2)
                for i, card in enumerate(session_for(user, at).cards):
                    # Mostly remembered, now and then forgotten or hazy: a believable history.
                    rating = (3, 3, 4, 2, 3, 1, 3)[(i + days_ago + n) % 7]
                    review_record(
                        user, card_id=card.id, rating=rating, client_id=uuid.uuid4(), now=at
                    )

    def _save_page(self, parent, page_class, page, slug, fields, refresh):
        if page is not None and not refresh:
            return page
        if page is None:
            page = parent.add_child(instance=page_class(slug=slug, **fields))
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        page.save_revision().publish()
        return page

    def _demo_progress(self) -> None:
        """Give staff some history, so the learner home and supervisor views look lived-in."""
        lessons = list(LessonPage.objects.live().order_by("path"))
        if not lessons:
            return
        now = timezone.now()
        for n, profile in enumerate(StaffProfile.objects.order_by("employee_number")):
            # Deterministic spread: long-serving staff have done more.
            done = 2 if profile.user.username == "learner" else (n * 7) % (len(lessons) + 1)
            for i, lesson in enumerate(lessons[: done + 1]):
                opened = now - dt.timedelta(days=done - i, hours=n)
                LessonProgress.objects.get_or_create(
                    user=profile.user,
                    lesson=lesson,
                    defaults={
                        "first_opened_at": opened,
                        "last_opened_at": opened,
                        "completed_at": opened + dt.timedelta(minutes=9) if i < done else None,
                    },
                )
