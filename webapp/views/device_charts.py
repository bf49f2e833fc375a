"""The charts on a device page: the last day in 15-minute rollups, the last week hourly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..charts import to_html
from ..charts.sensors import device_chart
from ..device_fields import quantity_label
from ..models import Device
from ..services.device_data import rollup_frame

# (period of the rollups, how far back, chart id suffix)
CHARTS = (("15m", timedelta(days=1), "day"), ("1h", timedelta(days=7), "week"))


@dataclass(frozen=True)
class ChartBlock:
    """One chart on the page: its heading and HTML, or empty when there is no data."""

    key: str
    title: str
    html: str
    empty: bool


def _titles() -> dict[str, str]:
    return {"day": _("Last 24 hours (per 15 minutes)"), "week": _("Last 7 days (per hour)")}


def _labelled(frame, device: Device):
    names = {s.id: s.name or s.field for s in device.sensors}
    frame["label"] = [f"{names.get(sid, sid)} · {quantity_label(q)}"
                      for sid, q in zip(frame["sensor_id"], frame["quantity"], strict=True)]
    return frame


def device_charts(db: Session, device: Device, now: datetime) -> list[ChartBlock]:
    """The device page's charts; a chart without data says so instead of drawing axes."""
    blocks = []
    for period, back, key in CHARTS:
        frame = _labelled(rollup_frame(db, device, period, now - back, now), device)
        html = "" if frame.empty else to_html(device_chart(frame), f"chart-{device.uid}-{key}")
        blocks.append(ChartBlock(key, _titles()[key], html, frame.empty))
    return blocks
