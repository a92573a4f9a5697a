from __future__ import annotations

from typing import Any

import pytest

# Example numbers from libphonenumber's own metadata, so they stay valid across releases.
UK_MOBILE = "07400 123456"
UK_MOBILE_2 = "+44 7400 654321"
UK_PREMIUM = "09012345678"
FR_MOBILE = "+33 6 12 34 56 78"


def make_event(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "call_id": "c-1",
        "carrier": "acme",
        "caller": UK_MOBILE,
        "callee": UK_MOBILE_2,
        "start_ts": 1_700_000_000,
        "duration_s": 42,
        "answered": True,
    }
    event.update(overrides)
    return event


@pytest.fixture
def event_factory():
    return make_event
