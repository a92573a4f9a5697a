import pytest

from voxguard import CallEvent, CarrierStats, aggregate_by_carrier, score_batch

from .conftest import UK_PREMIUM


def test_aggregates_per_carrier_sorted(event_factory):
    batch = [
        CallEvent.from_dict(event_factory(call_id="1", carrier="zeta", callee=UK_PREMIUM)),
        CallEvent.from_dict(event_factory(call_id="2", carrier="acme", duration_s=10)),
        CallEvent.from_dict(event_factory(call_id="3", carrier="acme", caller="1", duration_s=5)),
    ]
    stats = aggregate_by_carrier(score_batch(batch))
    assert list(stats) == ["ACME", "ZETA"]
    acme = stats["ACME"].to_dict()
    assert acme["total_calls"] == 2
    assert acme["total_duration_s"] == 15.0
    assert acme["top_flags"] == ["invalid_caller"]
    assert stats["ZETA"].mean_score == pytest.approx(0.45)


def test_empty_stats_have_zero_rates():
    stats = CarrierStats(carrier="ACME")
    assert stats.fraud_rate == 0.0
    assert stats.mean_score == 0.0


def test_merge_adds_totals_and_refuses_other_carrier(event_factory):
    scored = score_batch([CallEvent.from_dict(event_factory(caller="1", callee=UK_PREMIUM))])
    first = aggregate_by_carrier(scored)["ACME"]
    second = aggregate_by_carrier(scored)["ACME"]
    first.merge(second)
    assert first.total_calls == 2
    assert first.fraud_rate == 1.0
    assert first.flag_counts["premium_rate_callee"] == 2
    with pytest.raises(ValueError, match="cannot merge"):
        first.merge(CarrierStats(carrier="OTHER"))
