"""Learner-facing role-play pages: the list, the setting, the chat player, the end screen."""

from academy.errors import Kind
from academy.http import render_refused
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import engine, selectors, services


def _scenario_or_404(slug: str):
    scenario = selectors.scenario_by_slug(slug)
    if scenario is None:
        raise Http404
    return scenario


@login_required
@require_GET
def scenario_list(request):
    scenarios = list(selectors.live_scenarios())
    results = selectors.results_by_scenario(request.user)
    return render(
        request,
        "roleplays/scenario_list.html",
        {"entries": [(s, results.get(s.pk)) for s in scenarios]},
    )


@login_required
@require_GET
def scenario_detail(request, slug: str):
    scenario = _scenario_or_404(slug)
    latest = selectors.latest_runs_by_scenario(request.user).get(scenario.pk)
    return render(
        request,
        "roleplays/scenario_detail.html",
        {
            "scenario": scenario,
            "latest": latest,
            "setting": scenario.live_version.setting,
            "title": scenario.live_version.title,
        },
    )


@login_required
@require_POST
def scenario_start(request, slug: str):
    scenario = _scenario_or_404(slug)
    replay = request.POST.get("replay") == "1"
    try:
        if replay:
            run = services.run_replay(user=request.user, scenario=scenario)
        else:
            run = services.run_start(user=request.user, scenario=scenario)
    except services.RoleplayError as error:
        return render_refused(request, error)
    return redirect("roleplay_run", run_id=run.pk)


@login_required
@require_GET
def run_play(request, run_id: int):
    run = selectors.own_run(request.user, run_id)
    if run is None:
        raise Http404
    if not run.is_open and run.ending:
        return redirect("roleplay_result", run_id=run.pk)
    setting = run.version.setting
    return render(
        request,
        "roleplays/run_play.html",
        {
            "run": run,
            "setting": setting,
            "lines": selectors.transcript(
                run, with_feedback=setting.get("immediate_feedback", True)
            ),
            "choices": selectors.offered(run) if run.is_open else [],
            "moods": engine.MOODS,
        },
    )


@login_required
@require_POST
def run_choose(request, run_id: int):
    try:
        run = services.run_choose(
            user=request.user,
            run_id=run_id,
            node=request.POST.get("node", ""),
            choice=request.POST.get("choice", ""),
        )
    except services.RoleplayError as error:
        if error.kind is Kind.NOT_FOUND:
            raise Http404 from error
        return render_refused(request, error, back_url=f"/roleplays/runs/{run_id}/")
    if not run.is_open:
        return redirect("roleplay_result", run_id=run.pk)
    return redirect(f"/roleplays/runs/{run.pk}/#latest")


@login_required
@require_GET
def run_result(request, run_id: int):
    run = selectors.own_run(request.user, run_id)
    if run is None:
        raise Http404
    if run.is_open or not run.ending:
        return redirect("roleplay_run", run_id=run.pk)
    return render(
        request,
        "roleplays/run_result.html",
        {"result": selectors.result_for(run), "run": run, "moods": engine.MOODS},
    )
