"""Test data builders (factory_boy) shared by the test modules."""

import hashlib
import json
from datetime import date

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page
from wagtail.models import Site as WagtailSite

from courses.models import CourseIndexPage, LessonPage, ModulePage
from staff.models import Company, Position, Site, StaffProfile, Team
from staff.roles import ensure_role_groups

PASSWORD = "correct-horse-battery"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = "测试物业有限公司"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: f"第{n}服务中心")
    city = "深圳"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"前台{n}组")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or ["learner"]:
            self.groups.add(Group.objects.get(name=role))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    position = Position.FRONT_DESK
    team = factory.SubFactory(TeamFactory)
    site = factory.SelfAttribute("team.site")


def team_supervisor(team, **kwargs) -> StaffProfile:
    """A supervisor in `team` who supervises that team (and only it)."""
    boss = StaffFactory(team=team, user=UserFactory(roles=["learner", "supervisor"]), **kwargs)
    boss.supervised_teams.add(team)
    return boss


def ensure_tree_roots() -> Page:
    """The page and collection roots that Wagtail's migrations create.

    Transactional tests (live server) flush the database afterwards, removing them.
    """
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="根目录", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="根目录")
    ensure_role_groups()
    return root


def body(*blocks: tuple[str, object]) -> str:
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def build_course(modules: int = 2, lessons_per_module: int = 3) -> CourseIndexPage:
    """A published course tree, served as the default Wagtail site."""
    root = ensure_tree_roots()
    index = root.add_child(instance=CourseIndexPage(title="课程", slug="courses-test"))
    WagtailSite.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": index}
    )
    for m in range(1, modules + 1):
        module = index.add_child(
            instance=ModulePage(title=f"模块{m}", slug=f"module-{m}", summary=f"第{m}个模块")
        )
        for n in range(1, lessons_per_module + 1):
            module.add_child(
                instance=LessonPage(
                    title=f"模块{m}第{n}课",
                    slug=f"lesson-{m}-{n}",
                    estimated_minutes=5,
                    body=body(
                        ("heading", f"第{n}课要点"), ("paragraph", f"<p>模块{m}第{n}课的正文。</p>")
                    ),
                )
            )
    return index


EMERGENCY_PROCEDURE = {
    "title": "发现火情",
    "steps": [
        {"text": "立即拨打 119。", "time_limit": "立即"},
        {"text": "组织疏散。", "time_limit": ""},
    ],
}
EMERGENCY_PHRASE = {
    "situation": "业主来电报火警",
    "say": ["请您马上离开房间"],
    "never_say": ["等等再说"],
}


def build_emergency_module(index, *, lessons=1, published=True, slug="emergency"):
    """A module marked as emergency cards, its lessons each a fire procedure and a phrase card."""
    module = index.add_child(instance=ModulePage(title="应急处置", slug=slug, emergency_cards=True))
    for n in range(1, lessons + 1):
        lesson = module.add_child(
            instance=LessonPage(
                title=f"火情处置{n}",
                slug=f"fire-{n}",
                body=body(
                    ("paragraph", "<p>正文</p>"),
                    ("procedure", EMERGENCY_PROCEDURE),
                    ("phrase_card", EMERGENCY_PHRASE),
                ),
            )
        )
        if published:
            lesson.save_revision().publish()
    return module


# --- quizzes -------------------------------------------------------------------------------

SAMPLE_SPECS = {
    "phone": {
        "kind": "single",
        "text": "<p>电话铃响几声之内必须接起？</p>",
        "general_feedback": "<p>三声之内接起，先问好再报单位。</p>",
        "choices": [
            {"id": "c-three", "text": "三声", "fraction": 1.0, "feedback": "正确"},
            {"id": "c-five", "text": "五声", "fraction": 0.0, "feedback": "太慢，业主会着急"},
            {"id": "c-any", "text": "有空再接", "fraction": 0.0, "feedback": "不能让电话一直响"},
        ],
    },
    "courtesy": {
        "kind": "multiple",
        "text": "<p>哪些是礼貌用语？</p>",
        "choices": [
            {"id": "m-hello", "text": "您好", "fraction": 0.5},
            {"id": "m-thanks", "text": "谢谢", "fraction": 0.5},
            {"id": "m-wei", "text": "喂", "fraction": -0.5, "feedback": "“喂”是服务禁语"},
        ],
    },
    "tea": {
        "kind": "numeric",
        "text": "<p>夏季茶水约多少度？</p>",
        "answers": [{"value": 50, "tolerance": 5, "fraction": 1.0}],
    },
    "forbidden": {
        "kind": "truefalse",
        "text": "<p>可以对业主说“不知道”。</p>",
        "answer": False,
        "feedback_true": "“不知道”是禁语",
        "feedback_false": "对",
    },
}


def build_quiz(title="规范用语测验", specs=("phone", "courtesy", "tea", "forbidden"), **rules):
    """A quiz of fixed questions made from SAMPLE_SPECS (or given spec dicts)."""
    from quizzes.models import QuestionCategory, Quiz, QuizSlot
    from quizzes.services import question_create

    category, _ = QuestionCategory.objects.get_or_create(name="测试题库")
    quiz = Quiz.objects.create(
        title=title,
        pass_mark=rules.pop("pass_mark", 75),
        shuffle_questions=rules.pop("shuffle_questions", False),
        shuffle_options=rules.pop("shuffle_options", False),
        **rules,
    )
    for order, spec in enumerate(specs):
        spec = SAMPLE_SPECS[spec] if isinstance(spec, str) else spec
        question = question_create(category=category, name=f"{title}-{order}", spec=spec)
        QuizSlot.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz


RIGHT_ANSWERS = {
    "phone": "c-three",
    "courtesy": ["m-hello", "m-thanks"],
    "tea": "50",
    "forbidden": "false",
}


# --- role-plays ------------------------------------------------------------------------------


def build_scenario(graph: dict, *, title="漏水投诉", slug="leak", **setting):
    """A published scenario with the given graph (engine dict form)."""
    from roleplays.authoring import blocks_from_graph
    from roleplays.models import Scenario

    scenario = Scenario(
        title=title,
        slug=slug,
        owner=setting.pop("owner", "王女士，5栋902业主"),
        situation=setting.pop("situation", "卫生间天花板漏水，报修三次无人处理。"),
        start=graph["start"],
        nodes=blocks_from_graph(graph),
        **setting,
    )
    scenario.save()
    scenario.save_revision().publish()
    scenario.refresh_from_db()
    return scenario


def complete_lesson(*, user, lesson):
    """A learner opens a lesson and marks it complete (completion needs a recorded visit)."""
    from courses.services import lesson_mark_complete, lesson_record_visit

    lesson_record_visit(user=user, lesson=lesson)
    return lesson_mark_complete(user=user, lesson=lesson)


def conversation_graph(nodes: int, choices: int = 3, *, seed: int = 0) -> dict:
    """A long role-play (engine dict form) to measure with: `nodes` nodes, `choices` (2 or 3)
    replies at each one that is not an ending. A good reply moves on, a middling one skips a
    node, a poor one goes back (the owner repeats the complaint: a loop of two nodes) or
    dodges (a loop on itself); every tenth node has a reply offered only with enough empathy
    so far or after an earlier node; every fifteenth node is an ending, passing or failing;
    the last one passes. Texts are as long as a trainer writes them."""
    import random

    rng = random.Random(seed)
    keys = [f"N{i + 1}" for i in range(nodes)]
    dims = ["empathy", "phrasing", "process", "resolution"]
    line = "业主：我家卫生间天花板又在漏水了，你们物业到底管不管？这已经是第三次了。"
    reply = "您先别着急，我马上登记并联系维修师傅上门查看。"
    comment = "先安抚情绪，再说明处理步骤和时间，避免推诿。"
    result = []
    for i, key in enumerate(keys):
        if i == nodes - 1 or i % 15 == 14:
            passed = i == nodes - 1 or i % 30 == 14
            result.append(
                {
                    "key": key,
                    "kind": "ending",
                    "text": "",
                    "outcome": f"{line}（结局{i}）",
                    "passed": passed,
                    "choices": [],
                }
            )
            continue
        ahead = keys[min(i + 1, nodes - 1)], keys[min(i + 2, nodes - 1)]
        back = keys[i - 1] if i % 2 and i % 15 else key

        def reply_to(n, target, points, key=key, i=i):
            return {
                "key": f"{key}c{n}",
                "text": f"{reply}（{i}-{n}）",
                "target": target,
                "points": points,
                "feedback": comment,
                "conditions": [],
            }

        good = reply_to(1, ahead[0], {rng.choice(dims): rng.choice((1, 2))})
        middling = reply_to(2, ahead[1], {dims[i % 4]: 1, dims[(i + 1) % 4]: -1})
        poor = reply_to(3, back, {rng.choice(dims): -rng.choice((1, 2))})
        if i % 10 == 5:
            middling["conditions"] = [
                {"kind": "score_at_least", "dimension": "empathy", "value": 2}
            ]
        if i % 10 == 8 and i >= 3:
            good["conditions"] = [{"kind": "visited", "node": keys[i - 3]}]
            middling["conditions"] = []
        if choices >= 3:
            replies = [good, middling, poor]
        else:  # the node before an ending must skip it, or nothing lies beyond
            replies = [good, middling if i % 2 == 0 or i % 15 == 13 else poor]
        result.append(
            {
                "key": key,
                "kind": "owner",
                "text": f"{line}（{i}）",
                "speaker": "王女士",
                "mood": "angry",
                "choices": replies,
            }
        )
    return {"start": keys[0], "nodes": result}


def stored_certificate(*, holder_name="林晓雯", pdf=b"%PDF-1.4 stored certificate"):
    """A current certificate of a new holder, with `pdf` stored as its file (the caller
    deletes the file after: `certificate.pdf.delete(save=False)`)."""
    from certification.models import Certificate, Program

    holder = StaffFactory(name=holder_name)
    certificate = Certificate.objects.create(
        program=Program.objects.create(name="前台客服上岗认证", code="front-desk"),
        user=holder.user,
        holder_name=holder.name,
        serial="KF-2026-000001",
        code="CODE0000000001",
        issued_on=date.today(),
        expires_on=date(date.today().year + 2, 1, 1),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    certificate.pdf.save("KF-2026-000001.pdf", ContentFile(pdf))
    return certificate
