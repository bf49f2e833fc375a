"""Locale choice and the translated labels of the registry's codes."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l

ORGANISATION_FORM_LABELS = {
    "ondernemersvereniging": _l("Business association"),
    "biz": _l("Business investment zone (BIZ)"),
    "parkmanagementorganisatie": _l("Park management organisation"),
    "cooperatie": _l("Cooperative"),
    "geen": _l("None"),
}

PROGRAMME_ROLE_LABELS = {
    "deelnemer": _l("Participant"),
    "living_lab": _l("Living lab"),
    "ambassadeursterrein": _l("Ambassador park"),
}

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "coordinator": _l("Programme coordinator"),
    "park_manager": _l("Park manager"),
    "member": _l("Member company"),
}

FIELD_LABELS = {
    "slug": _l("Short name in web addresses"),
    "name": _l("Name"),
    "municipality": _l("Municipality"),
    "province": _l("Province"),
    "ibis_rin": _l("IBIS RIN number"),
    "gross_ha": _l("Gross area (ha)"),
    "net_ha": _l("Net area (ha)"),
    "companies_count": _l("Number of companies"),
    "jobs": _l("Jobs"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "location": _l("Location"),
    "organisation_form": _l("Organisation form"),
    "programme_role": _l("Programme role"),
    "description": _l("Description"),
    "association": _l("Association"),
    "themes": _l("Theme compass"),
    "measures": _l("Measures and experiments"),
    "is_public": _l("Public profile"),
    "public_fields": _l("Fields shown publicly"),
}


def select_locale() -> str:
    """The user's chosen language (session), else the default (Dutch)."""
    chosen = session.get("lang") if request else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
