"""Who may download a certificate's PDF and revoke it: `rules.pdf_downloadable` (pure),
applied by `selectors.may_download_pdf` (the PDF view) and `selectors.certificate_cards`
(the cards on "my certificates" and the person record), on top of `staff.selectors.
may_act_on`. Pages show what the cards say; they decide nothing."""

import itertools
from datetime import date

import pytest
from django.utils import timezone

from certification import rules
from certification.models import Certificate, Program
from certification.selectors import certificate_cards, may_download_pdf, verification_url
from tests.factories import StaffFactory, UserFactory

TODAY = date(2026, 6, 1)


def test_the_pdf_rule_as_plain_python():
    for current, by_holder, by_overseer in itertools.product((False, True), repeat=3):
        expected = by_overseer or (by_holder and current)
        assert (
            rules.pdf_downloadable(current=current, by_holder=by_holder, by_overseer=by_overseer)
            == expected
        )
    # The holder: their valid or expired certificate, not a revoked or replaced one.
    assert rules.pdf_downloadable(current=True, by_holder=True, by_overseer=False)
    assert not rules.pdf_downloadable(current=False, by_holder=True, by_overseer=False)
    # Nobody else without oversight, whatever the version.
    assert not rules.pdf_downloadable(current=True, by_holder=False, by_overseer=False)


@pytest.fixture
def world(db):
    supervisor = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]))
    supervisor.supervised_sites.add(supervisor.site)
    holder = StaffFactory(site=supervisor.site, team=supervisor.team)
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    versions = {}
    for n, (name, expires_on, revoked, superseded) in enumerate(
        (
            ("superseded", date(2027, 1, 1), False, True),
            ("revoked", date(2027, 1, 1), True, False),
            ("expired", date(2026, 1, 1), False, False),
        )
    ):
        versions[name] = Certificate.objects.create(
            program=Program.objects.create(name=f"认证{n}", code=f"p{n}")
            if name == "expired"
            else program,
            user=holder.user,
            holder_name=holder.name,
            serial=f"KF-2026-{n:06d}",
            code=f"CODE{n:010d}",
            issued_on=date(2025, 1, 1),
            expires_on=expires_on,
            revoked_at=timezone.now() if revoked else None,
            superseded_at=timezone.now() if superseded else None,
        )
    versions["valid"] = Certificate.objects.create(
        program=program,
        user=holder.user,
        holder_name=holder.name,
        serial="KF-2026-000009",
        code="CODE0000000009",
        issued_on=date(2026, 1, 1),
        expires_on=date(2027, 1, 1),
    )
    return {
        "supervisor": supervisor,
        "holder": holder,
        "versions": versions,
        "colleague": StaffFactory(site=supervisor.site, team=supervisor.team),
        "trainer": StaffFactory(user=UserFactory(roles=["learner", "trainer"])),
        "elsewhere": StaffFactory(user=UserFactory(roles=["learner", "supervisor"])),
    }


def downloadable(world, who) -> set[str]:
    return {
        name
        for name, certificate in world["versions"].items()
        if may_download_pdf(world[who].user, certificate)
    }


def test_who_may_download_which_version(world):
    everything = {"valid", "expired", "revoked", "superseded"}
    assert downloadable(world, "holder") == {"valid", "expired"}
    assert downloadable(world, "supervisor") == everything
    assert downloadable(world, "trainer") == everything
    assert downloadable(world, "colleague") == set()
    assert downloadable(world, "elsewhere") == set()


def test_a_supervisor_is_a_holder_for_their_own_certificates(world):
    supervisor = world["supervisor"]
    own = Certificate.objects.create(
        program=world["versions"]["valid"].program,
        user=supervisor.user,
        holder_name="王",
        serial="KF-2026-000010",
        code="CODE0000000010",
        issued_on=date(2026, 1, 1),
        revoked_at=timezone.now(),
    )
    assert not may_download_pdf(supervisor.user, own)


def cards_by_status(world, who) -> dict:
    return {
        card.status: card
        for card in certificate_cards(world[who].user, world["holder"].user_id, TODAY)
    }


def test_the_cards_carry_the_same_answers_as_the_pdf_view(world):
    for who in ("holder", "supervisor", "trainer", "colleague"):
        cards = cards_by_status(world, who)
        assert set(cards) == set(rules.STATUSES)
        for status, card in cards.items():
            assert card.may_download_pdf == may_download_pdf(world[who].user, card.certificate), (
                who,
                status,
            )


def test_only_the_holders_supervisor_may_revoke_and_only_a_current_version(world):
    cards = cards_by_status(world, "supervisor")
    assert {s for s, card in cards.items() if card.may_revoke} == {"valid", "expired"}
    for who in ("holder", "trainer", "colleague"):
        assert not any(card.may_revoke for card in cards_by_status(world, who).values())


def test_only_the_holder_is_offered_the_link_to_share_and_only_while_valid(world):
    cards = cards_by_status(world, "holder")
    valid = world["versions"]["valid"]
    assert cards["valid"].share_url == verification_url(valid.code)
    assert verification_url(valid.code).endswith(f"/verify/{valid.code}/")
    assert not any(card.share_url for s, card in cards.items() if s != "valid")
    assert not any(card.share_url for card in cards_by_status(world, "supervisor").values())


def offered(page: str, world, url: str) -> set[str]:
    return {
        name
        for name, certificate in world["versions"].items()
        if url.format(pk=certificate.pk) in page
    }


def test_both_pages_show_one_card_with_what_it_allows(client, world):
    holder, supervisor = world["holder"], world["supervisor"]
    client.force_login(holder.user)
    for url in ("/certificates/", f"/people/{holder.pk}/"):
        page = client.get(url).content.decode()
        assert page.count('class="module-card certificate-card"') == 4, url
        assert offered(page, world, "/certificates/{pk}/pdf/") == {"valid", "expired"}, url
        assert offered(page, world, "/certificates/{pk}/revoke/") == set(), url
        assert "data-copy=" in page and "academy/js/copy.js" in page, url
    client.force_login(supervisor.user)
    page = client.get(f"/people/{holder.pk}/").content.decode()
    assert offered(page, world, "/certificates/{pk}/pdf/") == set(world["versions"])
    assert offered(page, world, "/certificates/{pk}/revoke/") == {"valid", "expired"}
    assert "data-copy=" not in page
