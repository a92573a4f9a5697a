import pytest

from voxguard import normalize_number


@pytest.mark.parametrize(
    ("raw", "region", "e164", "number_type"),
    [
        ("07400 123456", "GB", "+447400123456", "mobile"),
        ("0044 7400 123456", "US", "+447400123456", "mobile"),
        ("09012345678", "GB", "+449012345678", "premium_rate"),
        ("(201) 555-0123", "US", "+12015550123", "fixed_line_or_mobile"),
        ("+33 6 12 34 56 78", "GB", "+33612345678", "mobile"),
    ],
)
def test_valid_numbers_become_e164(raw, region, e164, number_type):
    number = normalize_number(raw, region)
    assert number.valid
    assert number.e164 == e164
    assert number.number_type == number_type


def test_premium_rate_property():
    assert normalize_number("09012345678").is_premium_rate
    assert not normalize_number("07400 123456").is_premium_rate


def test_unparseable_number_is_invalid_not_an_error():
    number = normalize_number("anonymous")
    assert number.valid is False
    assert number.e164 is None
    assert number.number_type == "unknown"


def test_too_short_number_is_invalid():
    number = normalize_number("123")
    assert number.valid is False
    assert number.region is None
