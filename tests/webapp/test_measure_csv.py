"""CSV export of a park's measures: Dutch Excel format, formulas neutralised, private columns
only for those who see the park in full."""

from __future__ import annotations

import csv
import io
from datetime import date

from tests.webapp import theme_helpers as th

world = th.world


def read_csv(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_export_in_full(app, client, login, world):
    measure_id = th.add_measure(
        app, world.open_park, title="=HYPERLINK(\"x\")", themes=["water", "natuur"],
        status="gerealiseerd", cost_eur=48500.5, funding_source="SDE++",
        start_date=date(2025, 3, 1), lead_company_id=world.company.id,
        evidence_links=["https://example.org/a", "https://example.org/b"])
    th.add_experiment(app, measure_id, outcome="confirmed", results="Ja.", lessons="Nee.")
    login(world.member)
    response = client.get(f"/parks/{world.open_park.slug}/measures.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    [row] = read_csv(response)
    assert row["titel"] == "'=HYPERLINK(\"x\")"  # Excel will not run it
    assert row["themas"] == "water,natuur"
    assert row["kosten_eur"] == "48500,50"
    assert row["financiering"] == "SDE++"
    assert row["trekker"] == "Groen B.V."
    assert row["startdatum"] == "2025-03-01"
    assert row["bewijs"] == "https://example.org/a https://example.org/b"
    assert row["uitkomst"] == "confirmed"
    assert row["hypothese"] == th.VALID_EXPERIMENT["hypothesis"]


def test_public_export_has_no_private_columns(app, client, world):
    th.add_measure(app, world.open_park, cost_eur=1000, funding_source="Geheim")
    response = client.get(f"/parks/{world.open_park.slug}/measures.csv")
    [row] = read_csv(response)
    assert "kosten_eur" not in row and "financiering" not in row and "trekker" not in row
    assert "Geheim" not in response.get_data(as_text=True)


def test_export_follows_the_filters(app, client, login, world):
    th.add_measure(app, world.open_park, title="Klaar", status="gerealiseerd")
    th.add_measure(app, world.open_park, title="Idee", status="idee")
    login(world.manager)
    rows = read_csv(client.get(f"/parks/{world.open_park.slug}/measures.csv?status=idee"))
    assert [r["titel"] for r in rows] == ["Idee"]
