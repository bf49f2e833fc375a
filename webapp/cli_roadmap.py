"""Roadmap commands of the `werklandschap` CLI: phase snapshots and `bench national`."""

from __future__ import annotations

import click


def register(cli: click.Group, app_of) -> None:
    """Add these commands to *cli* and its `bench` group; *app_of(ctx)* returns the app."""
    bench = cli.commands["bench"]
    assert isinstance(bench, click.Group)
