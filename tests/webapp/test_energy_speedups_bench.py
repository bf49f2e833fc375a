"""`werklandschap bench dashboards` also times each view cold (month digests emptied first)."""

from __future__ import annotations

from tests.webapp.test_bench_dashboards import run_tiny
from webapp.bench_dashboards import time_cold
from webapp.services import energy_digest, energy_memo

VIEWS = ("park_page", "park_month", "park_year", "meter_year", "meter_year_page",
         "company_year", "api_park_month")


def test_tiny_run_reports_cold_medians_per_view(runner):
    figures = run_tiny(runner)
    assert figures["cold_rounds"] == 3
    for view in VIEWS:
        assert figures[f"{view}_cold_ms_median"] > 0, view
    assert "baseline_cold_ms_median" not in figures


class Client:
    """Answers every GET; notes whether the digests were empty when it was asked."""

    def __init__(self):
        self.empty: list[bool] = []

    def get(self, url):
        self.empty.append(energy_digest.size() == 0)
        energy_memo.remembered(("test", url), (), lambda: None)  # something to forget
        return Response()


class Response:
    status_code = 200

    def get_data(self):
        return b""


def test_every_cold_request_starts_with_empty_digests():
    client = Client()
    timings = time_cold(client, {"baseline": "/", "a": "/a", "b": "/b"}, 2)
    assert sorted(timings) == ["a", "b"] and all(len(v) == 2 for v in timings.values())
    assert client.empty == [True] * 4
    assert energy_digest.size() == 0
