"""What each role may see and change on the registry pages (object-level authorisation)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import company_state, count, in_db, park_state
from webapp.models import Company, Park, User

# Jobs are private unless published; the value is unique enough to find in a page.
JOBS_CELL = "<dd>987</dd>"
PARK_FORM = {"name": "Nieuw Terrein", "municipality": "Deventer", "province": "Overijssel",
             "organisation_form": "geen", "programme_role": "deelnemer", "is_public": "y",
             "public_fields": ["description"]}


def names_in_order(html: str, names: list[str]) -> list[str]:
    """*names* sorted by where they first appear in *html* (absent names left out)."""
    found = [(html.find(f">{name}<"), name) for name in names]
    return [name for position, name in sorted(found) if position >= 0]


@pytest.fixture
def world(make_park, make_company, make_user):
    """Own park (public), another public park, another private park, each with a company.

    The other parks have a manager and a member of their own, so the scopes must tell users
    apart, not only roles.
    """
    own = make_park(name="Eigen Terrein", jobs=987, description="Eigen omschrijving")
    public = make_park(name="Ander Openbaar", jobs=987, description="Openbare omschrijving")
    private = make_park(name="Ander Verborgen", jobs=987, is_public=False)
    companies = {key: make_company(park, name=f"Bedrijf {key}")
                 for key, park in (("own", own), ("public", public), ("private", private))}
    users = {
        "admin": make_user("admin"),
        "coordinator": make_user("coordinator"),
        "park_manager": make_user("park_manager", parks=[own]),
        "member": make_user("member", company=companies["own"]),
        "other_manager": make_user("park_manager", parks=[public, private]),
        "other_member": make_user("member", company=companies["public"]),
    }
    return SimpleNamespace(parks={"own": own, "public": public, "private": private},
                           companies=companies, users=users)


@pytest.fixture
def as_role(world, login):
    """Log in as one of the world's roles ("anonymous" stays logged out)."""
    def do(role: str):
        if role != "anonymous":
            login(world.users[role])

    return do


# What each role gets on each park's profile: "full", "public" or 404.
DETAIL = {
    "admin": {"own": "full", "public": "full", "private": "full"},
    "coordinator": {"own": "full", "public": "full", "private": "full"},
    "park_manager": {"own": "full", "public": "public", "private": 404},
    "member": {"own": "full", "public": "public", "private": 404},
    "anonymous": {"own": "public", "public": "public", "private": 404},
}


@pytest.mark.parametrize("role", DETAIL)
@pytest.mark.parametrize("park_key", ["own", "public", "private"])
def test_park_profile_per_role(client, world, as_role, role, park_key):
    as_role(role)
    expected = DETAIL[role][park_key]
    response = client.get(f"/parks/{world.parks[park_key].slug}")
    if expected == 404:
        assert response.status_code == 404
        return
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (JOBS_CELL in html) == (expected == "full")
    assert (f"Bedrijf {park_key}" in html) == (expected == "full")


def test_published_jobs_are_shown_on_the_public_profile(client, make_park):
    park = make_park(jobs=987, public_fields=["jobs"])
    assert JOBS_CELL in client.get(f"/parks/{park.slug}").get_data(as_text=True)


# Who may open the edit pages of which park: 200, or 404 for parks they may not change.
EDIT = {
    "admin": {"own": 200, "public": 200, "private": 200},
    "coordinator": {"own": 200, "public": 200, "private": 200},
    "park_manager": {"own": 200, "public": 404, "private": 404},
    "member": {"own": 404, "public": 404, "private": 404},
}


def edit_urls(world, park_key: str) -> list[str]:
    slug = world.parks[park_key].slug
    company_id = world.companies[park_key].id
    return [f"/parks/{slug}/edit", f"/parks/{slug}/companies/new",
            f"/parks/{slug}/companies/{company_id}/edit"]


@pytest.mark.parametrize("role", EDIT)
@pytest.mark.parametrize("park_key", ["own", "public", "private"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_edit_pages_per_role(client, world, as_role, role, park_key, method):
    as_role(role)
    for url in edit_urls(world, park_key):
        response = client.open(url, method=method, data={"name": ""})
        expected = EDIT[role][park_key]
        if method == "POST" and expected == 200:
            expected = 400  # allowed in, but the blank name is refused
        assert response.status_code == expected, url


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_anonymous_is_sent_to_login_from_edit_pages(client, world, method):
    for url in edit_urls(world, "own"):
        response = client.open(url, method=method, data={"name": ""})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_edit_button_only_for_those_who_may_edit(client, world, as_role):
    as_role("member")
    slug = world.parks["own"].slug
    assert f'href="/parks/{slug}/edit"' not in client.get(f"/parks/{slug}").get_data(as_text=True)
    client.post("/logout")
    as_role("park_manager")
    assert f'href="/parks/{slug}/edit"' in client.get(f"/parks/{slug}").get_data(as_text=True)


def test_company_of_another_park_is_404_through_own_park_url(client, world, as_role):
    as_role("coordinator")
    slug = world.parks["own"].slug
    other_company = world.companies["public"].id
    assert client.get(f"/parks/{slug}/companies/{other_company}/edit").status_code == 404


def test_park_manager_post_to_another_park_changes_nothing(app, client, world, as_role):
    as_role("park_manager")
    target = world.parks["public"]
    before = park_state(app, target.id)
    response = client.post(f"/parks/{target.slug}/edit", data={**PARK_FORM, "name": "Gekaapt"})
    assert response.status_code == 404
    assert park_state(app, target.id) == before


def test_park_manager_post_to_another_parks_company_changes_nothing(app, client, world,
                                                                      as_role):
    as_role("park_manager")
    slug, company = world.parks["public"].slug, world.companies["public"]
    before = company_state(app, company.id)
    companies = count(app, Company)
    assert client.post(f"/parks/{slug}/companies/{company.id}/edit",
                       data={"name": "Gekaapt BV"}).status_code == 404
    assert client.post(f"/parks/{slug}/companies/new",
                       data={"name": "Ingeschoven BV"}).status_code == 404
    assert company_state(app, company.id) == before
    assert count(app, Company) == companies


@pytest.mark.parametrize("role", ["park_manager", "member", "anonymous"])
@pytest.mark.parametrize("scope", ["mine", "all"])
def test_park_list_never_shows_a_private_park_of_another(client, world, as_role, role, scope):
    as_role(role)
    response = client.get("/parks/", query_string={"scope": scope})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Eigen Terrein" in html  # the list is there, with the parks the user may see
    assert "Ander Verborgen" not in html


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_programme_sees_private_parks_in_the_list(client, world, as_role, role):
    as_role(role)
    assert "Ander Verborgen" in client.get("/parks/").get_data(as_text=True)


def test_park_manager_list_defaults_to_own_parks(client, world, as_role):
    as_role("park_manager")
    html = client.get("/parks/").get_data(as_text=True)
    assert "Eigen Terrein" in html
    assert "Ander Openbaar" not in html
    assert "Ander Openbaar" in client.get("/parks/?scope=all").get_data(as_text=True)


def test_park_manager_sees_own_private_park_in_full(client, make_park, make_user, login):
    park = make_park(name="Eigen Verborgen", jobs=987, is_public=False)
    login(make_user("park_manager", parks=[park]))
    assert "Eigen Verborgen" in client.get("/parks/").get_data(as_text=True)
    assert JOBS_CELL in client.get(f"/parks/{park.slug}").get_data(as_text=True)


@pytest.mark.parametrize(("role", "own_jobs"), [("anonymous", ""), ("park_manager", "987")])
def test_csv_export_is_scoped_like_the_list(client, world, as_role, role, own_jobs):
    as_role(role)
    body = client.get("/parks/export.csv?scope=all").get_data(as_text=True)
    rows = csv.DictReader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";")
    jobs_by_park = {row["name"]: row["jobs"] for row in rows}
    assert jobs_by_park == {"Eigen Terrein": own_jobs, "Ander Openbaar": ""}


def list_rows(html: str) -> dict[str, list[str]]:
    """The park list's rows: name -> its number cells (gross area, companies, jobs)."""
    rows = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>(.*?)</tr>', html, re.S)
    return {name: re.findall(r'<td class="num">([^<]*)</td>', cells) for name, cells in rows}


@pytest.mark.parametrize(
    ("role", "full_parks"),
    [("anonymous", set()), ("member", {"Eigen Terrein"}), ("park_manager", {"Eigen Terrein"}),
     ("coordinator", {"Eigen Terrein", "Ander Openbaar", "Ander Verborgen"})],
)
def test_park_list_shows_private_figures_only_of_parks_seen_in_full(client, world, as_role, role,
                                                                    full_parks):
    as_role(role)
    html = client.get("/parks/", query_string={"scope": "all"}).get_data(as_text=True)
    jobs = {name: cells[-1] for name, cells in list_rows(html).items()}
    assert {"Eigen Terrein", "Ander Openbaar"} | full_parks <= set(jobs)
    assert jobs == {name: "987" if name in full_parks else "–" for name in jobs}


@pytest.mark.parametrize(("role", "visible"), [("anonymous", 2), ("park_manager", 2),
                                               ("member", 2), ("coordinator", 3)])
def test_home_page_counts_only_the_parks_the_visitor_may_see(client, world, as_role, role,
                                                             visible):
    as_role(role)
    html = client.get("/").get_data(as_text=True)
    assert f"{visible} bedrijventerreinen in het register." in html


def test_location_is_shown_only_when_published(client, make_park):
    hidden = make_park(latitude=52.5168, longitude=6.157, public_fields=["description"])
    shown = make_park(latitude=52.5168, longitude=6.157, public_fields=["location"])
    assert "52,5168" not in client.get(f"/parks/{hidden.slug}").get_data(as_text=True)
    assert "52,5168" in client.get(f"/parks/{shown.slug}").get_data(as_text=True)


@pytest.fixture
def jobs_order_parks(make_park):
    """Three public parks whose order by jobs (B, C, A) differs from their order by name."""
    for name, jobs in (("Aaa Terrein", 300), ("Bbb Terrein", 100), ("Ccc Terrein", 200)):
        make_park(name=name, jobs=jobs)
    return ["Aaa Terrein", "Bbb Terrein", "Ccc Terrein"]


def test_sorting_by_a_private_figure_is_ignored_for_anonymous(client, jobs_order_parks):
    for sort in ("jobs", "-jobs"):
        html = client.get("/parks/", query_string={"sort": sort}).get_data(as_text=True)
        assert names_in_order(html, jobs_order_parks) == jobs_order_parks


def test_sorting_by_a_private_figure_is_ignored_in_a_park_managers_public_list(
    client, make_user, login, jobs_order_parks
):
    login(make_user("park_manager"))
    html = client.get("/parks/", query_string={"sort": "jobs", "scope": "all"}).get_data(
        as_text=True)
    assert names_in_order(html, jobs_order_parks) == jobs_order_parks


def test_coordinator_can_sort_by_jobs(client, make_user, login, jobs_order_parks):
    login(make_user("coordinator"))
    html = client.get("/parks/", query_string={"sort": "jobs"}).get_data(as_text=True)
    assert names_in_order(html, jobs_order_parks) == ["Bbb Terrein", "Ccc Terrein", "Aaa Terrein"]
    html = client.get("/parks/", query_string={"sort": "-jobs"}).get_data(as_text=True)
    assert names_in_order(html, jobs_order_parks) == ["Aaa Terrein", "Ccc Terrein", "Bbb Terrein"]


def test_member_cannot_register_a_park(app, client, world, as_role):
    as_role("member")
    parks = count(app, Park)
    assert client.get("/parks/new").status_code == 403
    assert client.post("/parks/new", data=PARK_FORM).status_code == 403
    assert count(app, Park) == parks


def slug_of(response) -> str:
    return response.headers["Location"].removeprefix("/parks/")


def park_by_slug(app, slug: str) -> dict:
    park_id = in_db(app, lambda s: s.scalar(select(Park.id).where(Park.slug == slug)))
    return park_state(app, park_id)


def test_park_manager_cannot_claim_a_programme_role_on_create(app, client, world, as_role):
    as_role("park_manager")
    response = client.post("/parks/new",
                           data={**PARK_FORM, "programme_role": "ambassadeursterrein"})
    assert response.status_code == 302
    assert park_by_slug(app, slug_of(response))["programme_role"] == "deelnemer"


def test_park_manager_cannot_change_the_programme_role_on_edit(app, client, world, as_role):
    park = world.parks["own"]
    in_db(app, lambda s: setattr(s.get(Park, park.id), "programme_role", "living_lab"))
    as_role("park_manager")
    response = client.post(f"/parks/{park.slug}/edit",
                           data={**PARK_FORM, "programme_role": "ambassadeursterrein"})
    assert response.status_code == 302
    state = park_state(app, park.id)
    assert state["name"] == PARK_FORM["name"]  # the rest of the edit did go through
    assert state["programme_role"] == "living_lab"


@pytest.mark.parametrize("url", ["/parks/new", "edit"])
def test_coordinator_sets_the_programme_role(app, client, world, as_role, url):
    as_role("coordinator")
    park = world.parks["public"]
    target = f"/parks/{park.slug}/edit" if url == "edit" else url
    response = client.post(target, data={**PARK_FORM, "programme_role": "ambassadeursterrein"})
    assert response.status_code == 302
    assert park_by_slug(app, slug_of(response))["programme_role"] == "ambassadeursterrein"


SMUGGLED = {"id": "999", "park_id": "999", "role": "admin", "company_id": "999",
            "association_id": "999", "user_id": "999", "created_at": "2000-01-01"}


def test_smuggled_fields_in_the_park_form_change_nothing_else(app, client, world, as_role):
    park = world.parks["own"]
    as_role("park_manager")
    before = park_state(app, park.id)
    response = client.post(f"/parks/{park.slug}/edit", data={**PARK_FORM, **SMUGGLED})
    assert response.status_code == 302
    after = park_state(app, park.id)
    assert after["name"] == PARK_FORM["name"]  # the edit itself went through
    assert after["association_id"] is None
    assert after["created_at"] == before["created_at"]
    assert in_db(app, lambda s: s.get(Park, 999)) is None  # no park took the smuggled id
    assert in_db(app, lambda s: s.get(User, world.users["park_manager"].id).role) == (
        "park_manager")


def test_smuggled_fields_in_the_company_form_keep_it_on_the_url_park(app, client, world,
                                                                      as_role):
    own, other = world.parks["own"], world.parks["public"]
    as_role("park_manager")
    data = {"name": "Nieuw BV", **SMUGGLED, "park_id": str(other.id)}
    assert client.post(f"/parks/{own.slug}/companies/new", data=data).status_code == 302
    created = in_db(app, lambda s: s.scalars(
        select(Company).where(Company.name == "Nieuw BV")).one().park_id)
    assert created == own.id
    company = world.companies["own"]
    response = client.post(f"/parks/{own.slug}/companies/{company.id}/edit",
                           data={"name": "Hernoemd BV", "park_id": str(other.id), "id": "1"})
    assert response.status_code == 302
    state = company_state(app, company.id)
    assert (state["park_id"], state["name"]) == (own.id, "Hernoemd BV")  # read by company.id


# Listing filters: (query string, names expected) over the parks of `filter_parks`.
FILTER_CASES = [
    ({"q": "haven"}, ["Havenkwartier"]),
    ({"q": "HAVEN"}, ["Havenkwartier"]),
    ({"q": "tilburg"}, ["Vossenberg"]),
    ({"province": "Noord-Brabant"}, ["Vossenberg"]),
    ({"province": "Atlantis"}, ["Havenkwartier", "Hessenpoort", "Vossenberg"]),
    ({"programme_role": "living_lab"}, ["Hessenpoort"]),
    ({"organisation_form": "biz"}, ["Havenkwartier"]),
    ({"province": "Noord-Brabant", "organisation_form": "biz"}, []),
    ({}, ["Havenkwartier", "Hessenpoort", "Vossenberg"]),
]


@pytest.fixture
def filter_parks(make_park):
    make_park(name="Havenkwartier", municipality="Deventer", province="Overijssel",
              organisation_form="biz")
    make_park(name="Hessenpoort", municipality="Zwolle", province="Overijssel",
              programme_role="living_lab")
    make_park(name="Vossenberg", municipality="Tilburg", province="Noord-Brabant")
    return ["Havenkwartier", "Hessenpoort", "Vossenberg"]


@pytest.mark.parametrize(("args", "expected"), FILTER_CASES)
def test_park_list_filters(client, filter_parks, args, expected):
    html = client.get("/parks/", query_string=args).get_data(as_text=True)
    assert names_in_order(html, filter_parks) == expected


@pytest.fixture
def five_parks(make_park):
    names = [f"Terrein {letter}" for letter in "ABCDE"]
    for name in names:
        make_park(name=name)
    return names


# (per_page, page, names on that page)
PAGE_CASES = [
    ("2", "1", ["Terrein A", "Terrein B"]),
    ("2", "2", ["Terrein C", "Terrein D"]),
    ("2", "3", ["Terrein E"]),
    ("2", "99", ["Terrein E"]),
    ("2", "0", ["Terrein A", "Terrein B"]),
    ("2", "abc", ["Terrein A", "Terrein B"]),
    ("0", "1", ["Terrein A"]),
    ("abc", "1", ["Terrein A", "Terrein B", "Terrein C", "Terrein D", "Terrein E"]),
]


@pytest.mark.parametrize(("per_page", "page", "expected"), PAGE_CASES)
def test_park_list_pagination(client, five_parks, per_page, page, expected):
    html = client.get("/parks/", query_string={"per_page": per_page, "page": page}).get_data(
        as_text=True)
    assert names_in_order(html, five_parks) == expected


def test_page_beyond_the_last_links_back_not_forward(client, five_parks):
    html = client.get("/parks/", query_string={"per_page": "2", "page": "99"}).get_data(
        as_text=True)
    assert 'rel="next"' not in html
    assert re.search(r'rel="prev" href="[^"]*page=2', html)


LISTING_PARAMETERS = {"q", "province", "programme_role", "organisation_form", "scope", "sort",
                      "page", "per_page"}


def listing_links(html: str) -> list[str]:
    """The links of the park list to itself and to its CSV export (sorting, pages, download)."""
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]
    return [h for h in hrefs if "/parks/?" in h or "/parks/export.csv" in h]


@pytest.mark.parametrize(
    "extra",
    [{"endpoint": "x"}, {"_method": "POST"}, {"_external": "1"}, {"_scheme": "https"},
     {"_anchor": "x"}, {"utm_source": "nieuwsbrief"}],
)
def test_list_links_carry_only_listing_parameters(client, five_parks, extra):
    """Other query parameters are dropped, so none reaches url_for() as one of its options."""
    response = client.get("/parks/", query_string={"per_page": "2", "q": "terrein", **extra})
    assert response.status_code == 200
    links = listing_links(response.get_data(as_text=True))
    assert any("export.csv" in link for link in links) and any("page=2" in link for link in links)
    for link in links:
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc, parts.fragment) == ("", "", ""), link
        assert set(parse_qs(parts.query)) <= LISTING_PARAMETERS, link
        assert parse_qs(parts.query)["q"] == ["terrein"], link
