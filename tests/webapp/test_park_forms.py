"""The park and company forms: every kind of bad input is refused whole; good input is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import company_state, in_db, park_state
from webapp.models import Association, Company, Park, User

# A whole form as a browser posts it: empty inputs are sent as "".
VALID = {"name": "Hessenpoort", "slug": "", "municipality": "Zwolle", "province": "Overijssel",
         "ibis_rin": "", "gross_ha": "", "net_ha": "", "companies_count": "", "jobs": "",
         "latitude": "", "longitude": "", "organisation_form": "geen",
         "programme_role": "deelnemer", "association": "Nieuwe Vereniging", "description": "",
         "is_public": "y", "public_fields": ["description"]}

# (changed inputs, field whose error is shown)
BAD_PARK_INPUT = [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"municipality": ""}, "municipality"),
    ({"province": ""}, "province"),
    ({"province": "Vlaanderen"}, "province"),
    ({"slug": "Hessen-Poort"}, "slug"),
    ({"slug": "hessen poort"}, "slug"),
    ({"slug": "taken-slug"}, "slug"),
    ({"gross_ha": "abc"}, "gross_ha"),
    ({"gross_ha": "1.234"}, "gross_ha"),
    ({"gross_ha": "-5"}, "gross_ha"),
    ({"gross_ha": "10", "net_ha": "12"}, "net_ha"),
    ({"net_ha": "-1"}, "net_ha"),
    ({"jobs": "12,5"}, "jobs"),
    ({"jobs": "-3"}, "jobs"),
    ({"companies_count": "veel"}, "companies_count"),
    ({"latitude": "52,5"}, "longitude"),
    ({"longitude": "6,1"}, "longitude"),
    ({"latitude": "48,5", "longitude": "6,1"}, "latitude"),
    ({"latitude": "52,5", "longitude": "12,0"}, "longitude"),
    ({"organisation_form": "stichting"}, "organisation_form"),
    ({"public_fields": ["description", "password_hash"]}, "public_fields"),
]


def counts(app) -> dict:
    def read(session_db):
        return {model.__name__: session_db.scalar(select(func.count()).select_from(model))
                for model in (Park, Company, Association)}

    return in_db(app, read)


def park_by_slug(app, slug: str) -> Park:
    return in_db(app, lambda s: s.scalars(select(Park).where(Park.slug == slug)).one())


def assert_field_error(response, field: str) -> None:
    """A 400 page whose error summary links to *field* (and, for inputs, an error under it)."""
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert f'href="#{field}"' in html
    if field != "public_fields":  # the checkbox group is reported in the summary only
        assert f'id="{field}-error"' in html


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator")
    login(user)
    return user


@pytest.fixture
def taken(make_park):
    """A park whose slug the bad input tries to take."""
    return make_park(slug="taken-slug")


@pytest.mark.parametrize(("changes", "field"), BAD_PARK_INPUT)
def test_bad_input_on_create_is_refused_and_saves_nothing(app, client, coordinator, taken,
                                                          changes, field):
    before = counts(app)
    response = client.post("/parks/new", data={**VALID, **changes})
    assert_field_error(response, field)
    assert counts(app) == before


@pytest.mark.parametrize(("changes", "field"), BAD_PARK_INPUT)
def test_bad_input_on_edit_is_refused_and_changes_nothing(app, client, coordinator, taken,
                                                          make_park, changes, field):
    park = make_park(gross_ha=Decimal("20"), net_ha=Decimal("15"), jobs=300,
                     latitude=52.5, longitude=6.1)
    before, totals = park_state(app, park.id), counts(app)
    response = client.post(f"/parks/{park.slug}/edit",
                           data={**VALID, "name": "Nieuwe naam", **changes})
    assert_field_error(response, field)
    assert park_state(app, park.id) == before
    assert counts(app) == totals


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
@pytest.mark.parametrize("field", ["gross_ha", "jobs"])
def test_typed_text_quoted_in_an_error_message_is_escaped(client, coordinator, field, typed):
    """Number errors quote what was typed; it must come back as text, never as markup."""
    response = client.post("/parks/new", data={**VALID, field: typed})
    assert_field_error(response, field)
    html = response.get_data(as_text=True)
    assert typed not in html
    assert html.count(str(escape(typed))) >= 3  # the input, the error under it, the summary


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")), ("1.234,5", Decimal("1234.5")),
     ("1,234.5", Decimal("1234.5")), ("1234", Decimal("1234")), (" 7 ", Decimal("7"))],
)
def test_numbers_typed_either_way_are_accepted(app, client, coordinator, typed, stored):
    response = client.post("/parks/new", data={**VALID, "gross_ha": typed})
    assert response.status_code == 302
    assert park_by_slug(app, "hessenpoort").gross_ha == stored


def test_whole_number_with_dutch_thousands_is_accepted(app, client, coordinator):
    response = client.post("/parks/new", data={**VALID, "jobs": "1.250,0"})
    assert response.status_code == 302
    assert park_by_slug(app, "hessenpoort").jobs == 1250


def test_create_saves_every_field_and_redirects_to_the_profile(app, client, coordinator):
    data = {**VALID, "slug": "hessenpoort-zwolle", "ibis_rin": "0193/HP", "gross_ha": "210,5",
            "net_ha": "180", "companies_count": "120", "jobs": "4500", "latitude": "52,52",
            "longitude": "6,14", "organisation_form": "biz", "description": "Langs de A28.",
            "public_fields": ["jobs", "location"]}
    response = client.post("/parks/new", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/parks/hessenpoort-zwolle"
    park = park_by_slug(app, "hessenpoort-zwolle")
    assert (park.name, park.municipality, park.province) == ("Hessenpoort", "Zwolle",
                                                             "Overijssel")
    assert (park.gross_ha, park.net_ha) == (Decimal("210.5"), Decimal("180"))
    assert (park.companies_count, park.jobs) == (120, 4500)
    assert (park.latitude, park.longitude) == pytest.approx((52.52, 6.14))
    assert (park.ibis_rin, park.organisation_form) == ("0193/HP", "biz")
    assert park.public_fields == ["jobs", "location"]
    association = in_db(app, lambda s: s.get(Association, park.association_id).name)
    assert association == "Nieuwe Vereniging"


def test_slug_is_made_from_the_name_and_kept_unique(app, client, coordinator):
    first = client.post("/parks/new", data={**VALID, "name": "Kop van Isselt"})
    second = client.post("/parks/new", data={**VALID, "name": "Kop van Isselt"})
    assert first.headers["Location"] == "/parks/kop-van-isselt"
    assert second.headers["Location"] == "/parks/kop-van-isselt-2"


def test_park_named_new_is_reachable_at_its_address(app, client, coordinator):
    response = client.post("/parks/new", data={**VALID, "name": "New"})
    assert response.headers["Location"] == "/parks/new-2"
    assert "<h1>New</h1>" in client.get("/parks/new-2").get_data(as_text=True)


def test_short_name_of_a_page_address_is_refused(app, client, coordinator):
    before = counts(app)
    assert_field_error(client.post("/parks/new", data={**VALID, "slug": "new"}), "slug")
    assert counts(app) == before


def test_province_spelling_is_normalised(app, client, coordinator):
    assert client.post("/parks/new", data={**VALID, "province": "fryslân"}).status_code == 302
    assert park_by_slug(app, "hessenpoort").province == "Friesland"


def test_description_line_breaks_are_stored_as_newlines(app, client, coordinator):
    response = client.post("/parks/new", data={**VALID, "description": "Een\r\nTwee"})
    assert response.status_code == 302
    assert park_by_slug(app, "hessenpoort").description == "Een\nTwee"


def test_edit_saves_and_redirects(app, client, coordinator, make_park):
    park = make_park(jobs=10)
    response = client.post(f"/parks/{park.slug}/edit",
                           data={**VALID, "name": "Hernoemd", "jobs": "25", "is_public": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/parks/{park.slug}"
    state = park_state(app, park.id)
    assert (state["name"], state["jobs"], state["is_public"]) == ("Hernoemd", 25, False)


def test_edit_keeps_own_slug_and_may_change_it(app, client, coordinator, make_park):
    park = make_park()
    assert client.post(f"/parks/{park.slug}/edit",
                       data={**VALID, "slug": park.slug}).status_code == 302
    response = client.post(f"/parks/{park.slug}/edit", data={**VALID, "slug": "nieuwe-slug"})
    assert response.headers["Location"] == "/parks/nieuwe-slug"
    assert park_state(app, park.id)["slug"] == "nieuwe-slug"


def test_park_manager_who_registers_a_park_manages_it(app, client, make_user, login):
    manager = make_user("park_manager")
    login(manager)
    response = client.post("/parks/new", data=VALID)
    assert response.status_code == 302
    park = park_by_slug(app, "hessenpoort")
    managed = in_db(app, lambda s: [p.id for p in s.get(User, manager.id).parks])
    assert managed == [park.id]
    assert client.get(f"/parks/{park.slug}/edit").status_code == 200
    assert client.post(f"/parks/{park.slug}/edit",
                       data={**VALID, "name": "Hessenpoort II"}).status_code == 302


# Company form: (inputs, field whose error is shown)
BAD_COMPANY_INPUT = [
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "Nieuw BV", "kvk_number": "1234567"}, "kvk_number"),
    ({"name": "Nieuw BV", "kvk_number": "123456789"}, "kvk_number"),
    ({"name": "Nieuw BV", "kvk_number": "1234567a"}, "kvk_number"),
    ({"name": "Nieuw BV", "sector": "x" * 101}, "sector"),
    ({"name": "acme bv"}, "name"),
    ({"name": "  ACME BV  "}, "name"),
]


@pytest.fixture
def park_with_company(make_park, make_company):
    park = make_park()
    return park, make_company(park, name="Acme BV"), make_company(park, name="Bolt BV")


@pytest.mark.parametrize(("data", "field"), BAD_COMPANY_INPUT)
def test_bad_company_input_on_create_is_refused(app, client, coordinator, park_with_company,
                                                data, field):
    park = park_with_company[0]
    before = counts(app)
    response = client.post(f"/parks/{park.slug}/companies/new", data=data)
    assert_field_error(response, field)
    assert counts(app) == before


@pytest.mark.parametrize(("data", "field"), BAD_COMPANY_INPUT)
def test_bad_company_input_on_edit_changes_nothing(app, client, coordinator, park_with_company,
                                                   data, field):
    park, _acme, bolt = park_with_company
    before = company_state(app, bolt.id)
    response = client.post(f"/parks/{park.slug}/companies/{bolt.id}/edit", data=data)
    assert_field_error(response, field)
    assert company_state(app, bolt.id) == before


def test_company_is_added_and_edited(app, client, coordinator, park_with_company):
    park, acme, _bolt = park_with_company
    response = client.post(f"/parks/{park.slug}/companies/new",
                           data={"name": " Cargo BV ", "kvk_number": "12345678",
                                 "sector": "Logistiek"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/parks/{park.slug}#bedrijven"
    cargo = in_db(app, lambda s: s.scalars(select(Company).where(Company.name == "Cargo BV")).one())
    assert (cargo.park_id, cargo.kvk_number, cargo.sector) == (park.id, "12345678", "Logistiek")
    response = client.post(f"/parks/{park.slug}/companies/{acme.id}/edit",
                           data={"name": "ACME BV", "kvk_number": ""})
    assert response.status_code == 302
    renamed = in_db(app, lambda s: s.get(Company, acme.id))
    assert (renamed.name, renamed.kvk_number) == ("ACME BV", None)


def test_same_company_name_on_another_park_is_fine(app, client, coordinator, park_with_company,
                                                   make_park):
    other = make_park()
    response = client.post(f"/parks/{other.slug}/companies/new", data={"name": "Acme BV"})
    assert response.status_code == 302
