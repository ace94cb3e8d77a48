"""The statements of learning events, as plain Python."""

from datetime import UTC, datetime

from xapi import statements as xs

CONFIG = xs.Config(public_url="https://academy.example.com/", home_page="https://corp.example.com")
WHO = xs.Learner(staff_id="E1001", name="林小文", email="lin@example.com")
WHEN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def quiz_event(**kwargs):
    return xs.Event(
        kind="attempt-result",
        key=7,
        learner=WHO,
        verb="passed",
        activity=("quiz", 3),
        activity_type="assessment",
        name="规范用语测验",
        timestamp=WHEN,
        score=xs.Score(raw=9, max=12),
        success=True,
        **kwargs,
    )


def test_a_statement_is_the_same_each_time_it_is_built():
    first, second = xs.build(quiz_event(), CONFIG), xs.build(quiz_event(), CONFIG)
    assert first == second
    assert first["id"] == xs.statement_id("attempt-result", 7)
    assert first["id"] != xs.statement_id("attempt-completed", 7)


def test_the_learner_is_an_account_not_an_email_unless_configured():
    statement = xs.build(quiz_event(), CONFIG)
    assert statement["actor"]["account"] == {
        "homePage": "https://corp.example.com",
        "name": "E1001",
    }
    assert "mbox" not in statement["actor"]
    mbox = xs.Config(public_url=CONFIG.public_url, home_page=CONFIG.home_page, use_mbox=True)
    assert xs.build(quiz_event(), mbox)["actor"]["mbox"] == "mailto:lin@example.com"


def test_scores_verbs_and_activity_ids():
    statement = xs.build(quiz_event(), CONFIG)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert statement["object"]["id"] == "https://academy.example.com/xapi/quiz/3"
    assert statement["result"]["score"] == {"scaled": 0.75, "raw": 9, "min": 0.0, "max": 12}
    assert statement["result"]["success"] is True
    assert statement["timestamp"] == "2026-11-30T08:00:00+00:00"


def test_a_role_play_choice_carries_node_choice_and_dimensions():
    event = xs.Event(
        kind="run-choice",
        key=5,
        learner=WHO,
        verb="responded",
        activity=("roleplay", "2/start"),
        activity_type="interaction",
        name="漏水投诉 · start",
        timestamp=WHEN,
        response="a",
        parent=("roleplay", 2, "漏水投诉"),
        extensions={"node": "start", "choice": "a", "dimensions": {"empathy": 2}},
    )
    statement = xs.build(event, CONFIG)
    ext = statement["result"]["extensions"]
    assert ext["https://academy.example.com/xapi/extensions/dimensions"] == {"empathy": 2}
    assert statement["context"]["contextActivities"]["parent"][0]["id"].endswith("/roleplay/2")


def test_a_revocation_voids_the_statement_of_the_issue():
    event = xs.Event(
        kind="certificate-revoked",
        key=4,
        learner=WHO,
        verb="voided",
        activity=("program", 1),
        activity_type="certificate",
        name="前台客服上岗认证",
        timestamp=WHEN,
        voids=xs.statement_id("certificate-issued", 4),
    )
    statement = xs.build(event, CONFIG)
    assert statement["object"] == {
        "objectType": "StatementRef",
        "id": xs.statement_id("certificate-issued", 4),
    }
