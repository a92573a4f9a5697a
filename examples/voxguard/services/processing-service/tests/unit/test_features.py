import pytest

from voxguard import CallEvent, score_batch
from voxguard.features import WEIGHTS, ScoringConfig, risk_score

from .conftest import FR_MOBILE, UK_MOBILE, UK_PREMIUM


def events(factory, *overrides):
    return [CallEvent.from_dict(factory(call_id=f"c-{i}", **o)) for i, o in enumerate(overrides)]


def test_clean_domestic_call_has_no_flags(event_factory):
    (item,) = score_batch(events(event_factory, {}))
    assert item.flags == ()
    assert item.score == 0.0
    assert not item.flagged


def test_premium_rate_and_spoofed_caller_are_flagged(event_factory):
    (item,) = score_batch(events(event_factory, {"caller": "12", "callee": UK_PREMIUM}))
    assert set(item.flags) == {"premium_rate_callee", "invalid_caller"}
    assert item.score == pytest.approx(0.8)
    assert item.flagged
    assert item.to_dict()["caller"] == "+4412"


def test_wangiri_needs_short_unanswered_call(event_factory):
    short, answered, silent = score_batch(
        events(
            event_factory,
            {"duration_s": 2, "answered": False},
            {"duration_s": 2, "answered": True},
            {"duration_s": 0, "answered": False},
        )
    )
    assert "wangiri" in short.flags
    assert "wangiri" not in answered.flags
    assert "wangiri" not in silent.flags


def test_velocity_counts_calls_per_caller_in_batch(event_factory):
    batch = events(event_factory, *({} for _ in range(3)))
    scored = score_batch(batch, ScoringConfig(velocity_threshold=3))
    assert all("high_velocity" in item.flags for item in scored)
    assert all("high_velocity" not in item.flags for item in score_batch(batch))


def test_international_and_self_call(event_factory):
    intl, same = score_batch(
        events(event_factory, {"callee": FR_MOBILE}, {"caller": UK_MOBILE, "callee": UK_MOBILE})
    )
    assert intl.flags == ("international",)
    assert same.flags == ("self_call",)


def test_unparseable_caller_keeps_raw_text(event_factory):
    (item,) = score_batch(events(event_factory, {"caller": "anonymous"}))
    assert item.to_dict()["caller"] == "anonymous"
    assert "invalid_caller" in item.flags


def test_risk_score_is_clipped_and_ignores_unknown_flags():
    assert risk_score(list(WEIGHTS)) == 1.0
    assert risk_score(["nope"]) == 0.0
    assert risk_score(["international"]) == WEIGHTS["international"]
