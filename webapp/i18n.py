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


# Why a sensor message was refused, per reason code (the stored reason adds the details).
REJECTION_LABELS = {
    "too_large": _l("Message too large"),
    "not_utf8": _l("Not UTF-8 text"),
    "invalid_json": _l("Not valid JSON"),
    "duplicate_key": _l("A JSON key occurs twice"),
    "non_finite": _l("Number is NaN, infinite or too large"),
    "not_a_number": _l("Value is not a number"),
    "bad_shape": _l("Message does not have the expected structure"),
    "bad_timestamp": _l("Timestamp cannot be read"),
    "naive_timestamp": _l("Timestamp without time zone"),
    "missing_timestamp": _l("Message without timestamp"),
    "future_timestamp": _l("Timestamp more than 5 minutes in the future"),
    "before_commissioning": _l("Timestamp before the device was commissioned"),
    "missing_unit": _l("Unit missing"),
    "wrong_unit": _l("Unit does not fit the quantity"),
    "unknown_quantity": _l("Unknown quantity"),
    "out_of_range": _l("Value outside the plausible range"),
    "unmapped_field": _l("Field not mapped for this device"),
    "no_mapped_fields": _l("No mapped field in the message"),
    "topic_needed": _l("Bare value without a field name in its topic"),
    "no_values": _l("Message holds no values"),
    "no_decoded_payload": _l("LoRaWAN uplink without decoded payload"),
    "duplicate_value": _l("Two values for the same sensor and time"),
    "meter_backwards": _l("Meter reading went backwards"),
    "unknown_device": _l("No device registered for this topic"),
    "wrong_park": _l("Device published under another park"),
    "device_inactive": _l("Device is switched off"),
    "unknown_format": _l("Unknown payload format"),
    "unknown_sensor": _l("Sensor no longer exists"),
    "too_old": _l("Older than the retention period"),
    "internal_error": _l("Internal error while processing"),
    "store_failed": _l("The database refused to store the message"),
}
