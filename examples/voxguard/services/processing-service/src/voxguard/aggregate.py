"""Per-carrier fraud statistics over enriched call events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from voxguard.features import RiskFeatures


@dataclass(slots=True)
class CarrierStats:
    """Running totals for one carrier."""

    carrier: str
    total_calls: int = 0
    flagged_calls: int = 0
    answered_calls: int = 0
    total_duration_s: float = 0.0
    score_sum: float = 0.0
    flag_counts: Counter[str] = field(default_factory=Counter)

    def add(self, item: RiskFeatures) -> None:
        self.total_calls += 1
        self.flagged_calls += int(item.flagged)
        self.answered_calls += int(item.event.answered)
        self.total_duration_s += item.event.duration_s
        self.score_sum += item.score
        self.flag_counts.update(item.flags)

    def merge(self, other: CarrierStats) -> None:
        if other.carrier != self.carrier:
            raise ValueError(f"cannot merge {other.carrier} into {self.carrier}")
        self.total_calls += other.total_calls
        self.flagged_calls += other.flagged_calls
        self.answered_calls += other.answered_calls
        self.total_duration_s += other.total_duration_s
        self.score_sum += other.score_sum
        self.flag_counts.update(other.flag_counts)

    @property
    def fraud_rate(self) -> float:
        return self.flagged_calls / self.total_calls if self.total_calls else 0.0

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.total_calls if self.total_calls else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "carrier": self.carrier,
            "total_calls": self.total_calls,
            "flagged_calls": self.flagged_calls,
            "answered_calls": self.answered_calls,
            "total_duration_s": round(self.total_duration_s, 3),
            "fraud_rate": round(self.fraud_rate, 4),
            "mean_score": round(self.mean_score, 4),
            "top_flags": [name for name, _ in self.flag_counts.most_common(3)],
        }


def aggregate_by_carrier(items: Iterable[RiskFeatures]) -> dict[str, CarrierStats]:
    """Group enriched events by carrier, sorted by carrier name."""
    stats: dict[str, CarrierStats] = {}
    for item in items:
        carrier = item.event.carrier
        if carrier not in stats:
            stats[carrier] = CarrierStats(carrier=carrier)
        stats[carrier].add(item)
    return dict(sorted(stats.items()))
