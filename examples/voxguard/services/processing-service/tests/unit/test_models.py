import pytest

from voxguard import CallEvent, InvalidEventError


def test_from_dict_normalises_fields(event_factory):
    event = CallEvent.from_dict(event_factory(carrier="  acme ", region="fr"))
    assert event.carrier == "ACME"
    assert event.region == "FR"
    assert event.duration_s == 42.0
    assert event.answered is True


def test_default_region_and_answered_inferred(event_factory):
    raw = event_factory(duration_s=0)
    del raw["answered"]
    event = CallEvent.from_dict(raw, default_region="us")
    assert event.region == "US"
    assert event.answered is False


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not-an-object", "must be an object"),
        ({"call_id": "x"}, "missing field"),
    ],
)
def test_rejects_malformed_shapes(raw, message):
    with pytest.raises(InvalidEventError, match=message):
        CallEvent.from_dict(raw)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_s": "long"}, "non-numeric"),
        ({"start_ts": None}, "non-numeric"),
        ({"duration_s": -1}, "negative"),
        ({"carrier": "  "}, "carrier"),
    ],
)
def test_rejects_bad_values(event_factory, overrides, message):
    with pytest.raises(InvalidEventError, match=message):
        CallEvent.from_dict(event_factory(**overrides))
