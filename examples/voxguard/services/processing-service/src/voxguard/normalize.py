"""Phone-number normalisation on top of Google's libphonenumber port."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

_TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
}


@dataclass(frozen=True, slots=True)
class NormalizedNumber:
    """A dialled or presented number after parsing."""

    raw: str
    e164: str | None
    region: str | None
    number_type: str
    valid: bool

    @property
    def is_premium_rate(self) -> bool:
        return self.number_type == "premium_rate"


@lru_cache(maxsize=65536)
def normalize_number(raw: str, default_region: str = "GB") -> NormalizedNumber:
    """Parse ``raw`` (national or international form) into E.164.

    Unparseable input is returned as an invalid number rather than raising, because
    malformed caller IDs are themselves a fraud signal.
    """
    cleaned = raw.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        parsed = phonenumbers.parse(cleaned, default_region)
    except NumberParseException:
        return NormalizedNumber(raw=raw, e164=None, region=None, number_type="unknown", valid=False)
    valid = phonenumbers.is_valid_number(parsed)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(parsed)
    number_type = _TYPE_NAMES.get(phonenumbers.number_type(parsed), "unknown")
    return NormalizedNumber(raw=raw, e164=e164, region=region, number_type=number_type, valid=valid)
