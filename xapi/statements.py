"""xAPI 1.0.3 statements of learning events (pure: no Django, no database).

Each learning event the platform stores becomes one statement:

- a lesson completed: ADL `completed` a lesson activity;
- a quiz attempt: one ADL `answered` per answered question (its fraction as the scaled
  score), one `completed` for the attempt with its score, and `passed` or `failed`;
- a role-play: one ADL `responded` per choice (the node and choice ids and the points per
  dimension in `result.extensions`), and the run's `completed` with `passed` / `failed`;
- an observation recorded: `passed` or `failed` the observation checklist, the observer
  as the context's instructor;
- a certificate issued: Tin Can registry `earned` the program's credential; revoked: ADL
  `voided`, pointing at the statement of its issue (xAPI's own way to withdraw one).

The learner is an `account` on the company's home page named by a stable staff id (never
an e-mail unless `mbox` is configured). Activity ids live under the site's public URL.
A statement's id is a uuid5 of its event's kind and primary key, so building it again —
live or in the history export — gives the same id, and the LRS never stores it twice.
Its timestamp is the event's stored time, so the content is the same as well.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

XAPI_VERSION = "1.0.3"
NAMESPACE = uuid.UUID("6f0b6f6e-6b65-4675-2d61-636164656d79")  # fixed: ids must never change

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "completed": (ADL + "completed", "completed"),
    "passed": (ADL + "passed", "passed"),
    "failed": (ADL + "failed", "failed"),
    "answered": (ADL + "answered", "answered"),
    "responded": (ADL + "responded", "responded"),
    "voided": (ADL + "voided", "voided"),
    "earned": ("http://id.tincanapi.com/verb/earned", "earned"),
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "simulation": "http://adlnet.gov/expapi/activities/simulation",
    "interaction": "http://adlnet.gov/expapi/activities/interaction",
    "performance": "http://adlnet.gov/expapi/activities/performance",
    "certificate": "https://w3id.org/xapi/cmi5/activitytype/credential",
}
PLATFORM = "Kefu Academy"
LANGUAGE = "zh-CN"


@dataclass(frozen=True)
class Config:
    """Where ids live: `public_url` for activities, `home_page` for accounts."""

    public_url: str
    home_page: str
    use_mbox: bool = False

    def iri(self, *parts: object) -> str:
        return "/".join([self.public_url.rstrip("/"), "xapi", *(str(p) for p in parts)])


@dataclass(frozen=True)
class Learner:
    staff_id: str  # stable: the employee number, or the user id of someone not on the roster
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Score:
    raw: float
    max: float
    min: float = 0.0

    def as_result(self) -> dict:
        scaled = self.raw / self.max if self.max else 0.0
        return {
            "scaled": round(max(-1.0, min(1.0, scaled)), 4),
            "raw": self.raw,
            "min": self.min,
            "max": self.max,
        }


@dataclass(frozen=True)
class Event:
    """One stored learning event, read from its row (see xapi.events)."""

    kind: str  # e.g. "lesson-completed", "attempt-answered"; with key, the statement's id
    key: object  # the row's primary key (or a tuple of keys)
    learner: Learner
    verb: str
    activity: tuple[str, object]  # (activity kind, its primary key) under the public URL
    activity_type: str
    name: str
    timestamp: datetime
    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    extensions: dict = field(default_factory=dict)
    parent: tuple[str, object, str] | None = None  # (activity kind, key, name)
    instructor: Learner | None = None
    voids: str | None = None  # id of the statement withdrawn (verb "voided")


def statement_id(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def agent(learner: Learner, config: Config) -> dict:
    out: dict = {"objectType": "Agent"}
    if learner.name:
        out["name"] = learner.name
    if config.use_mbox and learner.email:
        out["mbox"] = "mailto:" + learner.email
    else:
        out["account"] = {"homePage": config.home_page, "name": learner.staff_id}
    return out


def _activity(config: Config, kind: str, key: object, name: str, type_: str | None) -> dict:
    definition: dict = {"name": {LANGUAGE: name or f"{kind} {key}"}}
    if type_:
        definition["type"] = ACTIVITY_TYPES[type_]
    return {"objectType": "Activity", "id": config.iri(kind, key), "definition": definition}


def extension_iri(config: Config, name: str) -> str:
    return config.iri("extensions", name)


def build(event: Event, config: Config) -> dict:
    """The statement of one event: same event, same statement, byte for byte."""
    verb_id, verb_name = VERBS[event.verb]
    statement: dict = {
        "id": statement_id(event.kind, event.key),
        "actor": agent(event.learner, config),
        "verb": {"id": verb_id, "display": {"en-US": verb_name}},
        "timestamp": event.timestamp.isoformat(),
        "version": XAPI_VERSION,
    }
    if event.voids:
        statement["object"] = {"objectType": "StatementRef", "id": event.voids}
        return statement
    kind, key = event.activity
    statement["object"] = _activity(config, kind, key, event.name, event.activity_type)
    result: dict = {}
    if event.score is not None:
        result["score"] = event.score.as_result()
    if event.success is not None:
        result["success"] = event.success
    if event.completion is not None:
        result["completion"] = event.completion
    if event.response is not None:
        result["response"] = event.response
    if event.extensions:
        result["extensions"] = {
            extension_iri(config, name): value for name, value in event.extensions.items()
        }
    if result:
        statement["result"] = result
    context: dict = {"platform": PLATFORM, "language": LANGUAGE}
    if event.parent is not None:
        p_kind, p_key, p_name = event.parent
        context["contextActivities"] = {"parent": [_activity(config, p_kind, p_key, p_name, None)]}
    if event.instructor is not None:
        context["instructor"] = agent(event.instructor, config)
    statement["context"] = context
    return statement
