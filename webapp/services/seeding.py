"""Seed data: the real demo parks, fictional member companies, demo accounts, and a synthetic
national registry for load tests."""

from __future__ import annotations

import csv
import io
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadmap.programme import ORGANISATION_FORMS, PROVINCES

from ..models import DEFAULT_PUBLIC_FIELDS, Park, User
from ..security import hash_password
from . import energy_seeding
from . import parks as park_service
from .device_seeding import seed_devices
from .energy_seeding import seed_energy
from .registry_csv import import_parks
from .roadmap_seeding import seed_roadmaps
from .seed_files import seed_file
from .theme_seeding import seed_themes

DEMO_DOMAIN = "demo.werklandschap.nl"


def seed_parks(db: Session) -> tuple[int, int]:
    """Add the parks and companies of seed_data/ that are missing; existing ones stay as edited."""
    result = import_parks(db, seed_file("parks.csv"), number_mode="en", update_existing=False)
    if not result.ok:
        problems = "; ".join(f"line {e.line} {e.column}: {e.message}" for e in result.errors[:5])
        raise ValueError(f"seed_data/parks.csv is invalid: {problems}")
    companies = 0
    parks = {p.slug: p for p in db.scalars(select(Park))}
    reader = csv.DictReader(io.StringIO(seed_file("companies.csv").decode("utf-8")))
    for row in reader:
        park = parks[row["park_slug"]]
        if not park_service.company_name_taken(db, park, row["name"]):
            park_service.create_company(db, park, row)
            companies += 1
    return result.created, companies


# The demo park manager's parks: listed first, so they get the simulated devices.
MANAGED_DEMO_PARKS = ("hessenpoort", "leiden-bio-science-park")


def seeded_parks(db: Session) -> list[Park]:
    """The parks of seed_data/parks.csv that exist, the demo manager's parks first."""
    reader = csv.DictReader(io.StringIO(seed_file("parks.csv").decode("utf-8")))
    slugs = [row["slug"] for row in reader]
    by_slug = {p.slug: p for p in db.scalars(select(Park).where(Park.slug.in_(slugs)))}
    ordered = [by_slug[slug] for slug in slugs if slug in by_slug]
    return sorted(ordered, key=lambda park: park.slug not in MANAGED_DEMO_PARKS)


def seed_demo_content(db: Session) -> tuple[int, int]:
    """Theme profiles, measures and experiments, and simulated devices, for the seeded parks.

    Returns (measures added, devices added); both steps skip what exists already.
    """
    parks = seeded_parks(db)
    measures, devices = seed_themes(db, parks), seed_devices(db, parks)
    seed_energy(db, parks)
    seed_roadmaps(db, parks)
    return measures, devices


@dataclass(frozen=True)
class DemoAccount:
    """A demo login, printed by `werklandschap demo`."""

    email: str
    password: str
    role: str
    scope: str


def create_demo_users(db: Session, passwords: dict[str, str] | None = None) -> list[DemoAccount]:
    """One account per role, and a member on the board of Hessenpoort's association; passwords
    are random unless given (kept by the demo folder)."""
    passwords = dict(passwords or {})
    hessenpoort = db.scalar(select(Park).where(Park.slug == "hessenpoort"))
    second = db.scalar(select(Park).where(Park.slug == "leiden-bio-science-park"))
    member_company = hessenpoort.companies[0] if hessenpoort and hessenpoort.companies else None
    board_company = energy_seeding.board_company(db)
    plan = [
        ("admin", "beheer", [], None, ""),
        ("coordinator", "coordinator", [], None, "alle parken"),
        ("park_manager", "parkmanager", [p for p in (hessenpoort, second) if p], None,
         ", ".join(p.name for p in (hessenpoort, second) if p)),
        ("member", "lid", [], member_company,
         f"{member_company.name} ({hessenpoort.name})" if member_company else ""),
    ]
    if board_company is not None:
        plan.append(("member", "bestuur", [], board_company,
                     f"{board_company.name}; bestuur van de ondernemersvereniging"))
    accounts = []
    for role, local, parks, company, scope in plan:
        email = f"{local}@{DEMO_DOMAIN}"
        password = passwords.get(email) or secrets.token_urlsafe(9)
        user = db.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, role=role, name=f"Demo {local}",
                        password_hash=hash_password(password))
            db.add(user)
        user.parks = list(parks)
        user.company = company
        if local == "bestuur":
            db.flush()
            energy_seeding.seed_board_member(db, user)
        accounts.append(DemoAccount(email, password, role, scope or "alles"))
    db.flush()
    return accounts


_PARK_WORDS = ("Noord", "Zuid", "Oost", "West", "De Hoek", "Het Broek", "De Vaart", "Kanaalzone",
               "Haven", "Poort", "Veld", "Akker", "Dijk", "Kamp", "Molen", "Esch")
_MUNICIPALITIES = ("Stad", "Dorp", "Veen", "Berg", "Dam", "Woude", "Horst", "Loo")


def seed_synthetic(db: Session, count: int, *, rng_seed: int = 2026,
                   progress: Callable[[int], None] | None = None) -> int:
    """Add *count* synthetic parks (slug 'syn-…', clearly named) for load tests."""
    rng = random.Random(rng_seed)
    start = db.scalar(select(func.count()).select_from(Park).where(Park.slug.like("syn-%")))
    for i in range(start + 1, start + count + 1):
        province = PROVINCES[i % len(PROVINCES)]
        gross = Decimal(rng.randint(5, 400))
        park = Park(
            slug=f"syn-{i:05d}",
            name=f"Synthetisch terrein {rng.choice(_PARK_WORDS)} {i}",
            municipality=f"{rng.choice(_PARK_WORDS)}{rng.choice(_MUNICIPALITIES).lower()}",
            province=province,
            gross_ha=gross,
            net_ha=(gross * Decimal("0.78")).quantize(Decimal("0.01")),
            companies_count=rng.randint(5, 400),
            jobs=rng.randint(50, 9000),
            latitude=round(rng.uniform(51.0, 53.3), 4),
            longitude=round(rng.uniform(3.8, 7.0), 4),
            organisation_form=rng.choice(ORGANISATION_FORMS),
            programme_role=rng.choices(
                ("deelnemer", "living_lab", "ambassadeursterrein"), (90, 8, 2))[0],
            description="Synthetisch terrein voor belastingtests; geen echte gegevens.",
            is_public=True,
            public_fields=list(DEFAULT_PUBLIC_FIELDS),
        )
        db.add(park)
        if progress:
            progress(1)
        if i % 500 == 0:
            db.flush()
    db.flush()
    return count
