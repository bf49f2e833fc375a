"""Demo energy sharing: enough companies share at Hessenpoort, one does not, and seeding is
idempotent; the demo board member sits on the association's board."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import in_db
from webapp.models import (
    BoardMembership,
    Company,
    Device,
    MeterShare,
    MeterShareChange,
    Park,
    Sensor,
    User,
)
from webapp.services import seeding
from webapp.services.device_seeding import seed_devices
from webapp.services.energy_seeding import seed_board_member, seed_energy
from webapp.services.energy_sharing import MIN_COMPANIES, park_meters, shared_meters

MODELS = (Device, Sensor, MeterShare, MeterShareChange, BoardMembership, User, Company)


def counts(session_db) -> dict[str, int]:
    return {m.__name__: session_db.scalar(select(func.count()).select_from(m)) for m in MODELS}


def seed_all(session_db) -> None:
    """What `werklandschap seed --demo-users` does."""
    seeding.seed_parks(session_db)
    seeding.seed_demo_content(session_db)
    seeding.create_demo_users(session_db, {})


def seed_energy_only(session_db) -> None:
    """The parts the energy demo needs: parks, devices, sharing and accounts."""
    seeding.seed_parks(session_db)
    parks = seeding.seeded_parks(session_db)
    seed_devices(session_db, parks)
    seed_energy(session_db, parks)
    seeding.create_demo_users(session_db, {})


def hessenpoort(session_db) -> Park:
    return session_db.scalar(select(Park).where(Park.slug == "hessenpoort"))


@pytest.fixture
def seeded(app):
    in_db(app, seed_energy_only)


def test_seeding_twice_adds_nothing(app):
    in_db(app, seed_all)
    before = in_db(app, counts)
    assert before["MeterShare"] > 0
    in_db(app, seed_all)
    assert in_db(app, counts) == before


@pytest.mark.parametrize(("audience", "companies"), [("park", 5), ("board", 5), ("public", 3)])
def test_hessenpoort_has_enough_sharing_companies(app, seeded, audience, companies):
    shared = in_db(app, lambda s: shared_meters(s, hessenpoort(s), audience))
    assert shared.companies == companies >= MIN_COMPANIES
    assert not shared.withheld


def test_one_company_with_meters_shares_nothing(app, seeded):
    def silent(session_db) -> list[str]:
        park = hessenpoort(session_db)
        sharing = {m.company_id for m in shared_meters(session_db, park, "park").meters}
        return sorted({m.company.name for m in park_meters(session_db, park)
                       if m.company_id not in sharing})

    assert in_db(app, silent) == ["Brinkers Staalbouw Noord"]


def test_board_sees_the_board_level_meters_by_company(app, seeded):
    named = in_db(app, lambda s: sorted(
        {m.company.name for m in shared_meters(s, hessenpoort(s), "board").named}))
    assert named == ["Oosterhof-Brinkman Logistiek B.V."]


def test_every_seeded_level_is_logged(app, seeded):
    def levels(session_db) -> tuple[int, int]:
        return (session_db.scalar(select(func.count()).select_from(MeterShare)),
                session_db.scalar(select(func.count()).select_from(MeterShareChange).where(
                    MeterShareChange.from_level == "none")))

    shares, changes = in_db(app, levels)
    assert shares == changes == 7


def test_capacities_are_set(app, seeded):
    def capacities(session_db) -> tuple:
        park = hessenpoort(session_db)
        owners = {m.company for m in park_meters(session_db, park)}
        return park.contracted_capacity_kw, [c.contracted_capacity_kw for c in owners]

    park_kw, company_kw = in_db(app, capacities)
    assert park_kw > 0
    assert len(company_kw) == 6
    assert all(kw is not None and kw > 0 for kw in company_kw)


def test_demo_accounts_have_meters_and_a_board_seat(app, seeded):
    def accounts(session_db) -> dict:
        park = hessenpoort(session_db)
        meters = park_meters(session_db, park)
        out = {}
        for local in ("lid", "bestuur"):
            user = session_db.scalar(select(User).where(
                User.email == f"{local}@{seeding.DEMO_DOMAIN}"))
            seats = session_db.scalars(select(BoardMembership.association_id).where(
                BoardMembership.user_id == user.id)).all()
            out[local] = (user.role, sum(m.company_id == user.company_id for m in meters),
                          seats == [park.association_id])
        return out

    result = in_db(app, accounts)
    assert result["lid"][:2] == ("member", 1)
    assert not result["lid"][2]
    assert result["bestuur"] == ("member", 1, True)


def test_board_seat_links_an_association_when_the_park_has_none(app):
    def unlink_then_seed(session_db) -> str | None:
        seeding.seed_parks(session_db)
        hessenpoort(session_db).association = None
        session_db.flush()
        seed_energy_only(session_db)
        park = hessenpoort(session_db)
        user = session_db.scalar(select(User).where(
            User.email == f"bestuur@{seeding.DEMO_DOMAIN}"))
        seat = session_db.scalar(select(BoardMembership).where(
            BoardMembership.user_id == user.id))
        return park.association.name if seat.association_id == park.association_id else None

    assert in_db(app, unlink_then_seed) == "Ondernemersvereniging Hessenpoort"


@pytest.mark.parametrize(("local", "seated"), [("parkmanager", False), ("coordinator", False),
                                               ("beheer", False), ("lid", True)])
def test_only_a_member_of_a_hessenpoort_company_can_get_the_demo_seat(app, seeded, local,
                                                                       seated):
    def seat(session_db) -> tuple[bool, bool]:
        user = session_db.scalar(select(User).where(
            User.email == f"{local}@{seeding.DEMO_DOMAIN}"))
        newly = seed_board_member(session_db, user)
        has_seat = session_db.scalar(select(BoardMembership.id).where(
            BoardMembership.user_id == user.id)) is not None
        return newly, has_seat

    assert in_db(app, seat) == (seated, seated)
