"""Every write of the role-play app: versions on publish, imports, runs and their choices.

Run writes lock the run row first, so a double click or two tabs never record a choice twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from academy import limits
from academy.errors import Kind, Refused
from academy.imports import record_scenario_import
from academy.signals import announce_evidence
from academy.slugs import is_readable
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import engine
from .models import Run, RunState, RunStep, Scenario, ScenarioVersion
from .selectors import version_graph


class RoleplayError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


class ScenarioInvalid(Exception):
    def __init__(self, problems: list):
        super().__init__("\n".join(str(getattr(p, "message", p)) for p in problems))
        self.problems = problems


def scenario_publish_version(*, scenario: Scenario) -> ScenarioVersion:
    """Record what was just published as a new version (unless nothing changed), with its
    best path and what the trainer should know about it (`engine.analyse`: warnings).

    Runs in progress stay on the version they started with.
    """
    graph_data = scenario.graph_dict()
    graph = engine.Graph.from_dict(graph_data)
    analysis = engine.analyse(graph)
    if analysis.problems:
        raise ScenarioInvalid(analysis.problems)
    setting = scenario.setting_dict()
    digest = engine.Graph.digest(graph_data)
    with transaction.atomic():
        Scenario.objects.select_for_update().filter(pk=scenario.pk).first()
        latest = scenario.versions.defer("graph").order_by("-number").first()
        if (
            latest
            and latest.graph_digest == digest
            and latest.setting == setting
            and (latest.title == scenario.title)
        ):
            version = latest
        else:
            version = ScenarioVersion.objects.create(
                scenario=scenario,
                number=(scenario.versions.aggregate(n=Max("number"))["n"] or 0) + 1,
                title=scenario.title,
                setting=setting,
                graph=graph_data,
                graph_digest=digest,
                best_path=analysis.best.to_dict() if analysis.best else None,
                warnings=[str(w.message) for w in analysis.warnings],
            )
        Scenario.objects.filter(pk=scenario.pk).update(live_version=version)
    scenario.live_version = version
    return version


@dataclass(frozen=True)
class ImportReport:
    scenario: Scenario
    nodes: int
    choices: int
    endings: int
    published: bool
    remaining: list  # checklist.Item: what the draft needs before it can be published
    ignored: list  # twee.TweeProblem: what the import left out (story-format code, …)
    warnings: list[str]  # what publishing told (engine.analyse), when it published


def import_size_problem(size: int):
    """Why a story of `size` bytes is not read at all (academy.limits.IMPORT_FILE_BYTES), as a
    TweeProblem; None when it may be read."""
    from .twee import TweeProblem

    if size <= limits.IMPORT_FILE_BYTES:
        return None
    return TweeProblem(
        None,
        None,
        _("The file is too large: at most %(size)s.")
        % {"size": f"{limits.IMPORT_FILE_BYTES // 2**20} MB"},
    )


def scenario_import_twee(
    *,
    text: str,
    user=None,
    competencies=None,
    slug: str = "",
    publish: bool = False,
    file_name: str = "",
) -> ImportReport:
    """Create a scenario from a Twee 3 story or Twine 2's published HTML: all of it, or
    nothing. It is saved as a draft revision with the checklist of what remains
    (`selectors.draft_state`); with `publish` it is published too when nothing required
    remains (the demo and `import_roleplay`: stories written for Kefu Academy)."""
    from academy.models import Competency

    from .authoring import blocks_from_graph
    from .selectors import draft_state
    from .twee import TweeProblem, parse_twee

    # A character takes 1 to 4 bytes: encode only when the count alone cannot decide.
    size = (
        len(text)
        if len(text) * 4 <= limits.IMPORT_FILE_BYTES
        else len(text.encode("utf-8", "surrogatepass"))
    )
    too_large = import_size_problem(size)
    if too_large:
        raise ScenarioInvalid([too_large])
    parsed = parse_twee(text)
    if parsed.problems or parsed.story is None:
        raise ScenarioInvalid(parsed.problems or [TweeProblem(None, None, _("Empty story."))])
    story = parsed.story
    setting = story.setting
    competency = None
    if setting.get("competency"):
        competency = Competency.objects.filter(slug=setting["competency"]).first()
        if competency is None:
            raise ScenarioInvalid(
                [TweeProblem(None, None, _("Unknown competency “%s”.") % setting["competency"])]
            )
    with transaction.atomic():
        scenario = Scenario(
            title=story.title[:200],
            slug=Scenario.free_slug(slug) if slug else "",
            summary=setting.get("summary", "")[:255],
            owner=setting.get("owner", "")[:255],
            situation=setting.get("situation", ""),
            channel=setting.get("channel") or "front_desk",
            competency=competency,
            pass_mark=engine.pass_mark(setting),
            immediate_feedback=bool(setting.get("immediate_feedback", True)),
            start=story.graph["start"],
            nodes=blocks_from_graph(story.graph),
            ifid=story.ifid or str(uuid.uuid4()).upper(),  # as Twine gives a story one
            live=False,  # a draft until it is published
        )
        scenario.make_slug_readable()  # none given: the pinyin of the title
        scenario.save()
        # Not `full_clean`: a draft may lack the setting, which the editor's form requires on
        # the trainer's first save (the checklist says so).
        revision = scenario.save_revision(user=user, clean=False)
        state = draft_state(scenario)
        published = publish and state.publishable
        warnings: list[str] = []
        if published:
            revision.publish(user=user)  # its `published` signal records the version
            scenario.refresh_from_db()
            version = scenario.live_version
            if version is None:  # the signal found a problem (and logged it): refuse, naming it
                version = scenario_publish_version(scenario=scenario)
            warnings = list(version.warnings)
        record_scenario_import(
            user=user, title=scenario.title, scenario_id=scenario.pk, file_name=file_name
        )
    graph = state.graph
    return ImportReport(
        scenario=scenario,
        nodes=len(graph.nodes),
        choices=sum(len(n.choices) for n in graph.nodes.values()),
        endings=sum(1 for n in graph.nodes.values() if n.is_ending),
        published=published,
        remaining=state.checklist,
        ignored=parsed.ignored,
        warnings=warnings,
    )


def scenario_change_slug(*, scenario: Scenario, slug: str) -> Scenario:
    """Give `scenario` the slug `slug` (free, ASCII: the caller checked). Its old address
    redirects (301, `wagtail.contrib.redirects`, listed under the admin's Redirects) to
    the new one, as do older addresses that led to it; the latest revision gets the new
    slug too, so the next edit in the admin keeps it."""
    from wagtail.contrib.redirects.models import Redirect

    old = scenario.slug
    if slug == old:
        return scenario
    old_url, new_url = (reverse("roleplay_detail", args=[s]) for s in (old, slug))
    with transaction.atomic():
        scenario.slug = slug
        scenario.save(update_fields=["slug"])
        revision = scenario.latest_revision
        if revision is not None and revision.content.get("slug") == old:
            revision.content["slug"] = slug
            revision.save(update_fields=["content"])
        Redirect.objects.filter(redirect_link=old_url).update(redirect_link=new_url)
        Redirect.objects.filter(old_path=Redirect.normalise_path(new_url)).delete()
        Redirect.objects.update_or_create(
            site=None,
            old_path=Redirect.normalise_path(old_url),
            defaults={"redirect_link": new_url, "is_permanent": True},
        )
    return scenario


def scenarios_make_slugs_readable() -> list[tuple[str, str]]:
    """Give every scenario whose slug is not ASCII (imported before slugs were made
    readable) the pinyin of its slug, its old address redirecting to the new one.
    Idempotent: returns the (old, new) slugs changed, none the second time."""
    changed = []
    for scenario in Scenario.objects.defer("nodes").order_by("pk"):
        if not is_readable(scenario.slug):
            old = scenario.slug
            scenario_change_slug(scenario=scenario, slug=scenario.readable_slug())
            changed.append((old, scenario.slug))
    return changed


# --- runs ----------------------------------------------------------------------------------


def run_start(*, user, scenario: Scenario) -> Run:
    """The learner's run in progress (resume), or a new one on the live version."""
    existing = Run.objects.filter(scenario=scenario, user=user, state=RunState.IN_PROGRESS).first()
    if existing:
        return existing
    version = scenario.live_version
    if version is None or not scenario.live:
        raise RoleplayError(_("This scenario is not published."), Kind.NOT_FOUND)
    state = engine.State.start(version_graph(version))
    try:
        with transaction.atomic():
            return Run.objects.create(
                scenario=scenario,
                version=version,
                user=user,
                current_node=state.node,
                scores={},
                visited=sorted(state.visited),
            )
    except IntegrityError:
        # Another tab started it a moment ago.
        return Run.objects.get(scenario=scenario, user=user, state=RunState.IN_PROGRESS)


def run_replay(*, user, scenario: Scenario) -> Run:
    """Start again from the beginning; a run in progress is kept on record as abandoned."""
    with transaction.atomic():
        Run.objects.filter(scenario=scenario, user=user, state=RunState.IN_PROGRESS).update(
            state=RunState.ABANDONED, finished_at=timezone.now()
        )
    return run_start(user=user, scenario=scenario)


def run_choose(*, user, run_id: int, node: str, choice: str) -> Run:
    """Take a choice at the run's current node. `node` is the node the learner was shown:
    a stale page (double click, second tab) is refused instead of choosing twice."""
    with transaction.atomic():
        run = (
            Run.objects.select_for_update()
            .select_related("version")
            .defer("version__graph")
            .filter(pk=run_id, user=user)
            .first()
        )
        if run is None:
            raise RoleplayError(_("No such run."), Kind.NOT_FOUND)
        if not run.is_open:
            raise RoleplayError(
                _("This run has finished. Start a new one to play again."), Kind.CONFLICT
            )
        if not node or not choice:
            raise RoleplayError(_("Choose one of the replies."), Kind.INVALID)
        if node != run.current_node:
            raise RoleplayError(
                _("This choice was already made; the conversation has moved on."), Kind.CONFLICT
            )
        graph = version_graph(run.version)
        state = engine.State(
            run.current_node, dict(run.scores), frozenset(run.visited), frozenset(run.taken)
        )
        try:
            new_state, taken = engine.choose(graph, state, choice)
        except engine.ChoiceNotOffered as error:
            raise RoleplayError(
                _("That reply is not one of the choices at this point of the conversation."),
                Kind.INVALID,
            ) from error
        RunStep.objects.create(
            run=run,
            number=run.steps.count() + 1,
            node=state.node,
            choice=taken.key,
            choice_text=taken.text[:500],
            target=taken.target,
            points=dict(taken.points),
        )
        run.current_node = new_state.node
        run.scores = new_state.scores
        run.visited = sorted(new_state.visited)
        run.taken = sorted(new_state.taken)
        if graph.nodes[new_state.node].is_ending:
            # The best path was found when the version was published (never searched here,
            # under the run's lock).
            result = engine.score(
                graph,
                new_state,
                pass_mark=engine.pass_mark(run.version.setting),
                best=engine.Path.from_dict(run.version.best_path),
            )
            run.state = RunState.FINISHED
            run.finished_at = timezone.now()
            run.ending = new_state.node
            run.overall_percent = result.overall_percent
            run.passed = result.passed
            announce_evidence("roleplays", user)
        run.save()
    return run


def scenario_export_twee(*, scenario: Scenario) -> str:
    """The scenario as it stands (the latest saved revision) as a Twee 3 story."""
    from .twee import Story, export_twee

    scenario = scenario.get_latest_revision_as_object()
    return export_twee(
        Story(
            title=scenario.title,
            ifid=scenario.ifid,
            setting=scenario.setting_dict(),
            graph=scenario.graph_dict(),
            positions={},
        )
    )
