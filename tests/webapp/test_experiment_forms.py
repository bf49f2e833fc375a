"""The living-lab experiment form: a hypothesis is required, results and lessons come with an
outcome, the indicator comes from the catalogue; good input is saved and can be updated."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import count
from tests.webapp import theme_helpers as th
from webapp.models import Experiment

world = th.world


def assert_field_error(response, field: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html[-2000:]
    assert f'href="#{field}"' in html
    assert f'id="{field}-error"' in html


BAD_EXPERIMENT = [
    ({"hypothesis": ""}, "hypothesis"),
    ({"hypothesis": "   "}, "hypothesis"),
    ({"hypothesis": "h" * 5001}, "hypothesis"),
    ({"indicator": "happiness_index"}, "indicator"),
    ({"start_date": "2026-04-01", "end_date": "2025-04-01"}, "end_date"),
    ({"end_date": "1 april"}, "end_date"),
    ({"outcome": "perhaps"}, "outcome"),
    ({"outcome": "confirmed", "results": "", "lessons": "Meer meten."}, "results"),
    ({"outcome": "rejected", "results": "Geen effect.", "lessons": ""}, "lessons"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_EXPERIMENT)
def test_bad_experiment_input_is_refused(app, client, login, world, changes, field):
    measure_id = th.add_measure(app, world.open_park)
    login(world.manager)
    response = client.post(f"/parks/{world.open_park.slug}/measures/{measure_id}/experiment",
                           data={**th.VALID_EXPERIMENT, **changes})
    assert_field_error(response, field)
    assert count(app, Experiment) == 0


def test_experiment_is_saved_and_shown(app, client, login, world):
    measure_id = th.add_measure(app, world.open_park)
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/measures/{measure_id}/experiment"
    response = client.post(url, data=th.VALID_EXPERIMENT)
    assert response.status_code == 302
    experiment = th.measure_state(app, measure_id)["experiment"]
    assert experiment["hypothesis"] == th.VALID_EXPERIMENT["hypothesis"]
    assert experiment["indicator"] == "retention_m3_per_ha"
    assert experiment["start_date"] == "2025-04-01"
    assert experiment["outcome"] is None
    html = client.get(f"/parks/{world.open_park.slug}/measures/{measure_id}").get_data(
        as_text=True)
    assert "Hogeschool Windesheim" in html


def test_experiment_is_closed_with_outcome_results_and_lessons(app, client, login, world):
    measure_id = th.add_measure(app, world.open_park)
    th.add_experiment(app, measure_id)
    login(world.manager)
    url = f"/parks/{world.open_park.slug}/measures/{measure_id}/experiment"
    assert "Hogeschool Windesheim" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={
        **th.VALID_EXPERIMENT, "outcome": "confirmed", "results": "Straat bleef droog.",
        "lessons": "Goten vaker schoonmaken."})
    assert response.status_code == 302
    assert count(app, Experiment) == 1
    experiment = th.measure_state(app, measure_id)["experiment"]
    assert (experiment["outcome"], experiment["results"], experiment["lessons"]) == (
        "confirmed", "Straat bleef droog.", "Goten vaker schoonmaken.")


def test_running_experiment_may_have_no_results(app, client, login, world):
    measure_id = th.add_measure(app, world.open_park)
    login(world.manager)
    response = client.post(
        f"/parks/{world.open_park.slug}/measures/{measure_id}/experiment",
        data={**th.VALID_EXPERIMENT, "indicator": "", "start_date": "", "end_date": ""})
    assert response.status_code == 302
    experiment = th.measure_state(app, measure_id)["experiment"]
    assert experiment["indicator"] is None and experiment["start_date"] is None


@pytest.mark.parametrize("who", ["member", "other_manager"])
def test_only_the_parks_editors_set_up_experiments(app, client, login, world, who):
    measure_id = th.add_measure(app, world.open_park)
    login(getattr(world, who))
    response = client.post(f"/parks/{world.open_park.slug}/measures/{measure_id}/experiment",
                           data=th.VALID_EXPERIMENT)
    assert response.status_code == 404
    assert count(app, Experiment) == 0


def test_dutch_dates_are_read_too(app, client, login, world):
    measure_id = th.add_measure(app, world.open_park)
    login(world.manager)
    client.post(f"/parks/{world.open_park.slug}/measures/{measure_id}/experiment",
                data={**th.VALID_EXPERIMENT, "start_date": "01-04-2025"})
    experiment = th.measure_state(app, measure_id)["experiment"]
    assert experiment["start_date"] == date(2025, 4, 1).isoformat()
