"""Call-event records as they arrive from the switch's CDR feed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class InvalidEventError(ValueError):
    """Raised when a raw event cannot be turned into a :class:`CallEvent`."""


_REQUIRED = ("call_id", "carrier", "caller", "callee", "start_ts", "duration_s")


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One call-detail record."""

    call_id: str
    carrier: str
    caller: str
    callee: str
    start_ts: float
    duration_s: float
    answered: bool = True
    region: str = "GB"

    @classmethod
    def from_dict(cls, raw: dict[str, Any], default_region: str = "GB") -> CallEvent:
        """Validate a decoded JSON object and build an event from it."""
        if not isinstance(raw, dict):
            raise InvalidEventError(f"event must be an object, got {type(raw).__name__}")
        missing = [key for key in _REQUIRED if key not in raw]
        if missing:
            raise InvalidEventError(f"missing field(s): {', '.join(missing)}")
        try:
            start_ts = float(raw["start_ts"])
            duration_s = float(raw["duration_s"])
        except (TypeError, ValueError) as exc:
            raise InvalidEventError(f"non-numeric timing field: {exc}") from exc
        if duration_s < 0:
            raise InvalidEventError("duration_s must not be negative")
        carrier = str(raw["carrier"]).strip()
        if not carrier:
            raise InvalidEventError("carrier must not be empty")
        return cls(
            call_id=str(raw["call_id"]),
            carrier=carrier.upper(),
            caller=str(raw["caller"]),
            callee=str(raw["callee"]),
            start_ts=start_ts,
            duration_s=duration_s,
            answered=bool(raw.get("answered", duration_s > 0)),
            region=str(raw.get("region") or default_region).upper(),
        )
