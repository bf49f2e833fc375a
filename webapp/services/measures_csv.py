"""A park's measures as CSV for Dutch Excel (BOM, ';', decimal commas, formulas neutralised)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..models import Measure
from .measures import measure_to_dict
from .registry_csv import neutralise

# (column header, key in measure_to_dict); private columns only for full viewers.
PUBLIC_COLUMNS = (
    ("id", "id"), ("titel", "title"), ("status", "status"), ("themas", "themes"),
    ("catalogus", "catalogue_code"), ("startdatum", "start_date"), ("einddatum", "end_date"),
    ("partners", "partners"), ("verwacht_effect", "expected_effect"),
    ("gemeten_effect", "measured_effect"), ("bewijs", "evidence_links"),
    ("overgenomen_van", "adopted_from_id"), ("hypothese", "hypothesis"),
    ("uitkomst", "outcome"),
)
PRIVATE_COLUMNS = (("kosten_eur", "cost_eur"), ("financiering", "funding_source"),
                   ("trekker", "lead_company"))


def _row(measure: Measure, full: bool) -> dict:
    data = measure_to_dict(measure, full)
    experiment = measure.experiment
    data["hypothesis"] = experiment.hypothesis if experiment else ""
    data["outcome"] = (experiment.outcome or "") if experiment else ""
    data["evidence_links"] = " ".join(data["evidence_links"])
    if full and measure.cost_eur is not None:
        # Two decimals with a comma, as Dutch Excel reads money.
        data["cost_eur"] = f"{measure.cost_eur:.2f}".replace(".", ",")
    return data


def export_measures_csv(measures: Iterable[Measure], full: bool) -> str:
    """Measures as CSV; cost, funding and lead company only when *full*."""
    columns = PUBLIC_COLUMNS + (PRIVATE_COLUMNS if full else ())
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for header, _key in columns])
    for measure in measures:
        row = _row(measure, full)
        writer.writerow([neutralise(row.get(key)) for _header, key in columns])
    return out.getvalue()
