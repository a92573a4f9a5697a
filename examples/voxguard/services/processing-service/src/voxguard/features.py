"""Per-call risk features and a simple weighted fraud score."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from voxguard.models import CallEvent
from voxguard.normalize import NormalizedNumber, normalize_number

# Weight of each flag in the risk score; the score is clipped to 1.0.
WEIGHTS: dict[str, float] = {
    "premium_rate_callee": 0.45,
    "invalid_caller": 0.35,
    "wangiri": 0.30,
    "high_velocity": 0.25,
    "international": 0.10,
    "self_call": 0.20,
}


DEFAULT_FLAG_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Thresholds used when deriving flags."""

    wangiri_max_seconds: float = 3.0
    velocity_threshold: int = 5
    flag_threshold: float = DEFAULT_FLAG_THRESHOLD


@dataclass(frozen=True, slots=True)
class RiskFeatures:
    """A call event with its normalised numbers, flags and score."""

    event: CallEvent
    caller: NormalizedNumber
    callee: NormalizedNumber
    flags: tuple[str, ...] = field(default_factory=tuple)
    score: float = 0.0
    flagged: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "call_id": self.event.call_id,
            "carrier": self.event.carrier,
            "caller": self.caller.e164 or self.caller.raw,
            "callee": self.callee.e164 or self.callee.raw,
            "flags": list(self.flags),
            "score": self.score,
            "flagged": self.flagged,
        }


def _flags_for(
    event: CallEvent,
    caller: NormalizedNumber,
    callee: NormalizedNumber,
    caller_volume: int,
    config: ScoringConfig,
) -> list[str]:
    flags: list[str] = []
    if callee.is_premium_rate:
        flags.append("premium_rate_callee")
    if not caller.valid:
        flags.append("invalid_caller")
    if not event.answered and 0 < event.duration_s <= config.wangiri_max_seconds:
        flags.append("wangiri")
    if caller_volume >= config.velocity_threshold:
        flags.append("high_velocity")
    if caller.region and callee.region and caller.region != callee.region:
        flags.append("international")
    if caller.e164 is not None and caller.e164 == callee.e164:
        flags.append("self_call")
    return flags


def risk_score(flags: Sequence[str]) -> float:
    """Sum of flag weights, clipped to [0, 1] and rounded for stable output."""
    return round(min(1.0, sum(WEIGHTS.get(flag, 0.0) for flag in flags)), 4)


def score_batch(
    events: Sequence[CallEvent], config: ScoringConfig | None = None
) -> list[RiskFeatures]:
    """Enrich every event of a batch; velocity is counted within the batch."""
    config = config or ScoringConfig()
    normalized = [
        (
            event,
            normalize_number(event.caller, event.region),
            normalize_number(event.callee, event.region),
        )
        for event in events
    ]
    volume = Counter(caller.e164 or caller.raw for _, caller, _ in normalized)
    enriched: list[RiskFeatures] = []
    for event, caller, callee in normalized:
        flags = _flags_for(event, caller, callee, volume[caller.e164 or caller.raw], config)
        score = risk_score(flags)
        enriched.append(
            RiskFeatures(
                event=event,
                caller=caller,
                callee=callee,
                flags=tuple(flags),
                score=score,
                flagged=score >= config.flag_threshold,
            )
        )
    return enriched
