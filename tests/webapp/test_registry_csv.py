"""CSV import and export of the park registry: as Dutch Excel writes and reads it."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from webapp import db
from webapp.models import AuditEntry, Park
from webapp.services import parks as park_service
from webapp.services.registry_csv import import_parks

BOM = b"\xef\xbb\xbf"
DUTCH_HEADER = "naam;gemeente;provincie;bruto_ha;netto_ha;banen"
DUTCH_EXCEL = (
    DUTCH_HEADER + "\r\n"
    "Coöperatie Bedrijvenpark Één;Súdwest-Fryslân;Fryslân;1.234,5;1.000,25;2.500\r\n"
    "Kanaalzone;Zwolle;overijssel;12,5;10;80\r\n"
).encode("cp1252")
ENGLISH = (
    "name,municipality,province,gross_ha,net_ha,jobs\n"
    'Port of Tëst,Hengelo,Overijssel,"1,234.5",900.25,"2,500"\n'
).encode()


def good_rows(n: int, start: int = 1) -> list[str]:
    """Valid rows in the Dutch way: decimal commas, thousands dots ("2.000.000" jobs)."""
    jobs = (f"{i * 1000:,}".replace(",", ".") for i in range(start, start + n))
    return [f"Terrein {i};Zwolle;Overijssel;{i},5;{i};{j}"
            for i, j in zip(range(start, start + n), jobs, strict=True)]


def dutch_file(*rows: str, header: str = DUTCH_HEADER) -> bytes:
    return "\r\n".join([header, *rows, ""]).encode("cp1252")


def park_count(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Park))


def parks_in(session) -> int:
    """How many parks *session* sees, rows it flushed but did not commit included."""
    return session.scalar(select(func.count()).select_from(Park))


def park_by_slug(app, slug: str) -> Park | None:
    with app.app_context():
        return db.session().scalar(select(Park).where(Park.slug == slug))


def error_cells(result) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in result.errors]


# --- the service -----------------------------------------------------------------------------

def test_dutch_excel_file_imports_in_nl_mode(app, session):
    result = import_parks(session, DUTCH_EXCEL, "nl")
    session.commit()
    assert (result.ok, result.created, result.updated) == (True, 2, 0)
    park = park_by_slug(app, "cooperatie-bedrijvenpark-een")
    assert park.name == "Coöperatie Bedrijvenpark Één"
    assert park.municipality == "Súdwest-Fryslân"
    assert park.province == "Friesland"
    assert (park.gross_ha, park.net_ha, park.jobs) == (Decimal("1234.5"), Decimal("1000.25"), 2500)
    # No "openbaar" or "openbare velden" column: a new park gets the defaults, as on the web page.
    assert (park.is_public, park.public_fields) == (True, park_service.DEFAULT_PUBLIC_FIELDS)
    assert park_by_slug(app, "kanaalzone").province == "Overijssel"


def test_utf8_with_bom_imports(app, session):
    raw = BOM + "\n".join([DUTCH_HEADER, "Één Park;Leeuwarden;Friesland;7,5;;"]).encode()
    result = import_parks(session, raw, "nl")
    session.commit()
    assert result.ok, result.errors
    park = park_by_slug(app, "een-park")
    assert (park.name, park.gross_ha, park.jobs) == ("Één Park", Decimal("7.5"), None)


def test_comma_separated_english_headers_import_in_en_mode(app, session):
    result = import_parks(session, ENGLISH, "en")
    session.commit()
    assert result.ok, result.errors
    park = park_by_slug(app, "port-of-test")
    assert park.name == "Port of Tëst"
    assert (park.gross_ha, park.net_ha, park.jobs) == (Decimal("1234.5"), Decimal("900.25"), 2500)


def test_auto_mode_refuses_ambiguous_number_naming_line_and_column(app, session):
    raw = dutch_file("Kanaalzone;Zwolle;Overijssel;1.234;;", "Haven;Zwolle;Overijssel;;;1,250")
    result = import_parks(session, raw, "auto")
    assert error_cells(result) == [(2, "gross_ha"), (3, "jobs")]
    assert "1.234" in result.errors[0].message
    assert parks_in(session) == 0  # nothing flushed either, not only nothing committed


def test_one_bad_row_imports_nothing_and_names_line_and_column(app, session, make_park):
    make_park()
    before = park_count(app)
    raw = dutch_file(*good_rows(2), "Fout;Zwolle;Atlantis;1;1;1", *good_rows(1, start=3))
    result = import_parks(session, raw, "nl")
    assert parks_in(session) == before  # nothing flushed either, not only nothing committed
    session.rollback()
    assert (result.created, result.updated) == (0, 0)
    assert error_cells(result) == [(4, "province")]
    assert result.errors[0].message
    assert park_count(app) == before


def test_every_bad_row_is_listed(session):
    raw = dutch_file(
        "Goed;Zwolle;Overijssel;10;5;1",
        "Geen getal;Zwolle;Overijssel;abc;;",
        ";Zwolle;Overijssel;;;",
        "Te groot netto;Zwolle;Overijssel;5;9;",
        "Halve baan;Zwolle;Overijssel;;;12,5",
    )
    result = import_parks(session, raw, "nl")
    assert error_cells(result) == [(3, "gross_ha"), (4, "name"), (5, "net_ha"), (6, "jobs")]
    assert all(e.message for e in result.errors)


@pytest.mark.parametrize(
    ("header", "value", "column"),
    [("openbaar", "misschien", "is_public"),
     ("openbare velden", "jobs,wachtwoord", "public_fields")],
)
def test_publication_columns_take_only_known_values(session, header, value, column):
    raw = dutch_file(f'Kanaalzone;Zwolle;Overijssel;"{value}"',
                     header=f"naam;gemeente;provincie;{header}")
    result = import_parks(session, raw, "nl")
    assert error_cells(result) == [(2, column)]
    assert parks_in(session) == 0


def test_duplicate_slug_within_file_is_an_error(session):
    raw = dutch_file("Kanaalzone;Zwolle;Overijssel;;;", "Kanaalzone;Kampen;Overijssel;;;")
    result = import_parks(session, raw, "nl")
    assert error_cells(result) == [(3, "slug")]
    assert "kanaalzone" in result.errors[0].message


def test_explicit_duplicate_slug_column_is_an_error(session):
    raw = dutch_file("a;A;Zwolle;Overijssel", "a;B;Zwolle;Overijssel",
                     header="slug;naam;gemeente;provincie")
    result = import_parks(session, raw, "nl")
    assert error_cells(result) == [(3, "slug")]


def test_unknown_column_header_is_refused(app, session):
    raw = dutch_file("Kanaalzone;Zwolle;Overijssel;groen", header="naam;gemeente;provincie;kleur")
    result = import_parks(session, raw, "nl")
    assert error_cells(result) == [(1, "")]
    assert "kleur" in result.errors[0].message
    assert park_count(app) == 0


def test_missing_required_column_is_refused(session):
    raw = dutch_file("Kanaalzone;Overijssel", header="naam;provincie")
    result = import_parks(session, raw, "nl")
    assert error_cells(result) == [(1, "")]
    assert "municipality" in result.errors[0].message


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n", BOM])
def test_empty_file_is_refused(session, raw):
    result = import_parks(session, raw, "nl")
    assert not result.ok
    assert error_cells(result) == [(1, "")]


def test_row_with_wrong_number_of_cells_is_an_error(session):
    raw = dutch_file("Kanaalzone;Zwolle;Overijssel;1;1", "Haven;Zwolle;Overijssel;1;1;1;1")
    result = import_parks(session, raw, "nl")
    assert error_cells(result) == [(2, ""), (3, "")]
    assert "5" in result.errors[0].message


def test_existing_slug_is_updated_not_duplicated(app, session, make_park):
    make_park(slug="kanaalzone", name="Kanaalzone", jobs=10, description="Blijft staan")
    raw = dutch_file("Kanaalzone;Zwolle;Overijssel;12,5;;3.400", "Haven;Zwolle;Overijssel;;;")
    result = import_parks(session, raw, "nl")
    session.commit()
    assert (result.created, result.updated) == (1, 1)
    assert park_count(app) == 2
    park = park_by_slug(app, "kanaalzone")
    assert (park.jobs, park.gross_ha, park.description) == (3400, Decimal("12.5"), "Blijft staan")


# --- the upload page -------------------------------------------------------------------------

def upload(client, raw: bytes, number_mode: str = "nl", filename: str = "parken.csv"):
    return client.post("/import/parks", data={"file": (io.BytesIO(raw), filename),
                                              "number_mode": number_mode},
                       content_type="multipart/form-data")


def error_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>", html)


def test_coordinator_uploads_dutch_excel_file(app, client, make_user, login):
    login(make_user("coordinator"))
    response = upload(client, DUTCH_EXCEL)
    assert response.status_code == 302
    assert park_by_slug(app, "cooperatie-bedrijvenpark-een").gross_ha == Decimal("1234.5")
    assert park_count(app) == 2


def test_upload_with_errors_lists_each_and_imports_nothing(app, client, make_user, login):
    login(make_user("coordinator"))
    raw = dutch_file(*good_rows(3), "Fout;Zwolle;Atlantis;1;1;1", "Fout 2;Zwolle;Overijssel;x;;")
    response = upload(client, raw)
    assert response.status_code == 400
    assert error_rows(response.get_data(as_text=True)) == [("5", "province"), ("6", "gross_ha")]
    assert park_count(app) == 0


def test_upload_in_auto_mode_refuses_ambiguous_number(app, client, make_user, login):
    login(make_user("coordinator"))
    response = upload(client, dutch_file("Kanaalzone;Zwolle;Overijssel;1.234;;"), "auto")
    assert response.status_code == 400
    assert error_rows(response.get_data(as_text=True)) == [("2", "gross_ha")]
    assert park_count(app) == 0


def test_park_manager_gets_404_on_upload_page(app, client, make_park, make_user, login):
    login(make_user("park_manager", parks=[make_park()]))
    assert client.get("/import/parks").status_code == 404
    assert upload(client, DUTCH_EXCEL).status_code == 404
    assert park_count(app) == 1


def test_anonymous_upload_is_sent_to_login(app, client):
    response = upload(client, DUTCH_EXCEL)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert park_count(app) == 0


# --- the command line ------------------------------------------------------------------------

def test_cli_imports_good_file(app, runner, tmp_path):
    path = tmp_path / "parken.csv"
    path.write_bytes(DUTCH_EXCEL)
    result = runner.invoke(["import-parks", str(path), "--numbers", "nl"])
    assert result.exit_code == 0, result.output
    assert "Imported" in result.stdout
    assert park_count(app) == 2


def test_cli_bad_file_exits_1_with_error_list_on_stderr(app, runner, tmp_path):
    path = tmp_path / "parken.csv"
    path.write_bytes(dutch_file(*good_rows(3), "Fout;Zwolle;Atlantis;;;", "X;Zwolle;;;;"))
    result = runner.invoke(["import-parks", str(path), "--numbers", "nl"])
    assert result.exit_code == 1
    assert "line 5 [province]" in result.stderr
    assert "line 6 [province]" in result.stderr
    assert "Imported" not in result.stdout
    assert park_count(app) == 0


def test_cli_dry_run_changes_nothing(app, runner, tmp_path, make_park):
    make_park(slug="kanaalzone", name="Kanaalzone", jobs=10)
    path = tmp_path / "parken.csv"
    path.write_bytes(dutch_file("Kanaalzone;Zwolle;Overijssel;;;99", *good_rows(2)))
    result = runner.invoke(["import-parks", str(path), "--numbers", "nl", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 new, 1 to update" in result.stdout
    assert park_count(app) == 1
    assert park_by_slug(app, "kanaalzone").jobs == 10


def test_cli_imports_large_file_with_progress_bar(app, runner, tmp_path):
    path = tmp_path / "landelijk.csv"
    path.write_bytes(dutch_file(*good_rows(2000)))
    result = runner.invoke(["import-parks", str(path), "--numbers", "nl"])
    assert result.exit_code == 0, result.output
    assert "Checking landelijk.csv" in result.stderr
    assert "2000 new" in result.stdout
    assert park_count(app) == 2000
    assert park_by_slug(app, "terrein-2000").jobs == 2_000_000


# --- export ----------------------------------------------------------------------------------

def export_rows(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/parks/export.csv{query}")
    assert response.status_code == 200
    assert response.data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(response.data[3:].decode()), delimiter=";"))


def test_export_is_excel_csv_with_bom_semicolons_and_decimal_commas(client, make_park):
    make_park(name="Kanaalzone", gross_ha=Decimal("1234.5"),
              public_fields=["gross_ha", "location"], latitude=52.5, longitude=6.25)
    response = client.get("/parks/export.csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith(BOM + b"slug;name;municipality;province;")
    [row] = export_rows(client)
    assert (row["name"], row["gross_ha"], row["latitude"], row["longitude"]) == (
        "Kanaalzone", "1234,5", "52,5", "6,25")


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)"])
def test_export_neutralises_formulas(client, make_park, name):
    make_park(name=name, description=name, public_fields=["description"])
    [row] = export_rows(client)
    assert row["name"] == "'" + name
    assert row["description"] == "'" + name


def test_anonymous_export_has_public_parks_and_public_fields_only(client, make_park):
    make_park(name="Openbaar terrein", jobs=98765, gross_ha=Decimal("77.5"),
              public_fields=["gross_ha"])
    make_park(name="Geheim terrein", is_public=False, jobs=11111)
    body = client.get("/parks/export.csv").get_data(as_text=True)
    [row] = export_rows(client)
    assert (row["name"], row["gross_ha"], row["jobs"]) == ("Openbaar terrein", "77,5", "")
    assert "98765" not in body
    assert "Geheim" not in body and "11111" not in body


def test_coordinator_export_has_private_parks_and_fields(client, make_park, make_user, login):
    make_park(name="Geheim terrein", is_public=False, jobs=11111, public_fields=[])
    login(make_user("coordinator"))
    [row] = export_rows(client)
    assert (row["name"], row["jobs"], row["is_public"], row["public_fields"]) == (
        "Geheim terrein", "11111", "nee", "")


def snapshot(app) -> dict[str, dict]:
    with app.app_context():
        parks = db.session().scalars(select(Park))
        return {p.slug: park_service.park_to_dict(p, True) for p in parks}


def audit_updates(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(AuditEntry)
                                   .where(AuditEntry.action == "update"))


def test_export_then_import_changes_nothing(app, client, make_park, make_user, login, session):
    park_service.create_park(session, {
        "name": "Coöperatie Één", "municipality": "Súdwest-Fryslân", "province": "Friesland",
        "gross_ha": Decimal("1234.5"), "net_ha": Decimal("1000.25"), "jobs": 2500,
        "companies_count": 40, "latitude": 52.534, "longitude": 6.147, "ibis_rin": "0193-12",
        "organisation_form": "biz", "programme_role": "living_lab", "association": "OV Één",
        "description": 'Regel één; "citaat"\ntweede regel', "public_fields": ["gross_ha"]})
    session.commit()
    make_park(name="Privé", is_public=False, public_fields=[])
    for name in ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)"]:
        make_park(name=name, description="- opsomming")
    login(make_user("coordinator"))
    before, updates_before = snapshot(app), audit_updates(app)
    exported = client.get("/parks/export.csv").data
    result = import_parks(session, exported, "nl")
    session.commit()
    assert result.errors == []
    assert (result.created, result.updated) == (0, len(before))
    assert snapshot(app) == before
    assert audit_updates(app) == updates_before



def test_a_park_named_like_a_page_is_refused_not_hidden(session):
    from webapp.services.registry_csv import import_parks

    result = import_parks(session, b"naam;gemeente;provincie\nNew;Ede;Gelderland\n", "nl")
    assert [(e.line, e.column) for e in result.errors] == [(2, "slug")]
