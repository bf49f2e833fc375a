"""`werklandschap bench national` on a tiny registry: it runs and ends with one JSON line."""

from __future__ import annotations

import json

import click
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.conftest import PG_URL, in_db
from webapp.bench_national import register_bench_national
from webapp.models import Park, User
from webapp.services.national_synthetic import SLUG_PREFIX


def bench_group(app) -> click.Group:
    group = click.Group("bench")
    register_bench_national(group, lambda _ctx: app)
    return group


def test_bench_national_prints_figures_and_a_json_line(app, database_url):
    args = ["national", "--parks", "24", "--measures", "300", "--days", "45", "--repeat", "2",
            "--json"]
    if PG_URL:  # the PostgreSQL run builds in the test database and removes its parks again
        args += ["--database-url", database_url]
    result = CliRunner().invoke(bench_group(app), args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["parks"] == 24
    assert figures["measures"] == 300
    assert figures["snapshots"] == 24 * 45
    assert figures["database"] == ("postgresql" if PG_URL else "sqlite")
    for key in ("national_page_ms_median", "national_page_ms_p90", "public_page_ms_median",
                "baseline_ms_median", "ratio"):
        assert figures[key] > 0, key
    assert figures["build_seconds"] >= 0
    assert any(line.startswith("GET /national") for line in lines)
    assert in_db(app, lambda s: s.scalar(select(func.count()).select_from(Park).where(
        Park.slug.like(f"{SLUG_PREFIX}%")))) == 0
    assert in_db(app, lambda s: s.scalar(select(func.count()).select_from(User))) == 0


def test_bench_national_refuses_a_bad_option(app):
    result = CliRunner().invoke(bench_group(app), ["national", "--parks", "0"])
    assert result.exit_code == 2
    assert "--parks" in result.output


def test_werklandschap_cli_has_bench_national(runner):
    result = runner.invoke(["bench", "national", "--help"])
    assert result.exit_code == 0, result.output
    assert "--parks" in result.output and "--database-url" in result.output
