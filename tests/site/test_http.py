"""Services refuse in the domain's words (`academy.errors.Kind`); one mapping turns a kind into
the HTTP status every page and the API answer with."""

import json

import pytest
from academy.errors import Kind, Refused
from academy.http import STATUS_FOR_KIND, status_for
from django.test import RequestFactory

from api.urls import NOT_FOUND, api_v1


def test_every_kind_of_refusal_has_one_status():
    assert set(STATUS_FOR_KIND) == set(Kind)
    assert len(set(STATUS_FOR_KIND.values())) == len(Kind)
    assert status_for(Refused("缺少原因")) == 400  # invalid unless the service says otherwise


@pytest.mark.parametrize(
    "kind, status, detail",
    [
        (Kind.CONFLICT, 409, "已经撤销"),
        (Kind.NOT_ALLOWED, 403, "已经撤销"),
        (Kind.NOT_FOUND, 404, NOT_FOUND),  # says no more than any other 404 of the API
    ],
)
def test_the_api_answers_a_refusal_with_the_same_status(kind, status, detail):
    response = api_v1.on_exception(RequestFactory().get("/api/v1/staff"), Refused("已经撤销", kind))
    assert response.status_code == status
    assert json.loads(response.content) == {"detail": detail}
