"""docs/roadmap.md is generated from the code and must agree with it."""

from __future__ import annotations

from pathlib import Path

from roadmap import forecast
from roadmap.docs import REASONS, render_markdown
from roadmap.phases import PHASES, REQUIREMENTS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "roadmap.md"


def test_docs_page_matches_the_code():
    assert PAGE.read_text(encoding="utf-8") == render_markdown()


def test_every_check_has_a_documented_reason():
    assert set(REASONS) == {r.key for r in REQUIREMENTS}


def test_the_page_names_every_phase_and_the_forecast_figures():
    page = render_markdown()
    assert all(p.name_nl in page and p.name_en in page for p in PHASES)
    for figure in (forecast.MIN_DAYS, forecast.RESAMPLES, forecast.DEFAULT_HORIZON):
        assert str(figure) in page
    assert f"{forecast.SATURATION_CAP:,}" in page
