"""Numbers as typed in the Netherlands: Dutch, English and the refusal to guess."""

from __future__ import annotations

from decimal import Decimal

import pytest

from webapp.numbers import NumberError, parse_decimal


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        ("12,5", "auto", Decimal("12.5")),
        ("12,5", "nl", Decimal("12.5")),
        ("12.5", "auto", Decimal("12.5")),
        ("12.5", "en", Decimal("12.5")),
        ("1.234,5", "auto", Decimal("1234.5")),
        ("1.234,5", "nl", Decimal("1234.5")),
        ("1,234.5", "auto", Decimal("1234.5")),
        ("1,234.5", "en", Decimal("1234.5")),
        ("1.234", "nl", Decimal("1234")),
        ("1.234", "en", Decimal("1.234")),
        ("1,234", "nl", Decimal("1.234")),
        ("1,234", "en", Decimal("1234")),
        ("1.234.567,8", "nl", Decimal("1234567.8")),
        ("-3,5", "auto", Decimal("-3.5")),
        ("-3,5", "nl", Decimal("-3.5")),
        ("+7", "auto", Decimal("7")),
        ("42", "auto", Decimal("42")),
        (" 1 234 ", "auto", Decimal("1234")),
        ("1\u00a0234,5", "nl", Decimal("1234.5")),
        ("\u00a012,5\u00a0", "auto", Decimal("12.5")),
    ],
)
def test_parse_decimal_reads(text, mode, expected):
    assert parse_decimal(text, mode) == expected


@pytest.mark.parametrize("text", ["1.234", "1,234", "-1.500", "12.345"])
def test_auto_refuses_a_single_group_separator_as_ambiguous(text):
    with pytest.raises(NumberError) as info:
        parse_decimal(text, "auto")
    assert info.value.ambiguous is True
    assert info.value.text == text


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("12.5", "nl"),
        ("12,5", "en"),
        ("1.23.4", "auto"),
        ("1.23.4", "nl"),
        ("1.23.4", "en"),
        ("1,2,3", "auto"),
        ("1.234,5", "en"),
        ("1,234.5", "nl"),
        ("abc", "auto"),
        ("abc", "nl"),
        ("12abc", "auto"),
        ("1e999", "auto"),
        ("1e999", "en"),
        ("1e3", "auto"),
        ("NaN", "auto"),
        ("NaN", "en"),
        ("nan", "nl"),
        ("Infinity", "auto"),
        ("-Infinity", "en"),
        ("inf", "auto"),
        ("--3", "auto"),
        ("1,", "nl"),
        (",5", "nl"),
        ("1" + "0" * 15, "auto"),
    ],
)
def test_parse_decimal_refuses(text, mode):
    with pytest.raises(NumberError) as info:
        parse_decimal(text, mode)
    assert info.value.ambiguous is False


@pytest.mark.parametrize("mode", ["auto", "nl", "en"])
@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_blank_is_none(text, mode):
    assert parse_decimal(text, mode) is None


def test_unknown_mode_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown number mode") as info:
        parse_decimal("1", "fr")
    assert not isinstance(info.value, NumberError)
