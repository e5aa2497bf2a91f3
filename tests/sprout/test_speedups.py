"""The speed-ups give exactly Rasa's answers: same validation verdicts, same event classes."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.utils.common import all_subclasses
from scipy import sparse

from sprout import speedups

DTYPES = (np.float32, np.float64, np.int64)


@pytest.fixture
def applied() -> Iterator[None]:
    assert speedups.apply()
    yield
    speedups.remove()


def action() -> RemoteAction:
    return RemoteAction("action_suggest_therapy", None)


VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "recommended_therapy", "value": "pt"}], "responses": []},
    {"events": [SlotSet("child_age", "2").as_dict()], "responses": [{"text": "hi"}]},
]
INVALID = [
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": [1, 2]},
]


@pytest.mark.parametrize("reply", VALID)
def test_valid_replies_pass_as_before(applied: None, reply: dict) -> None:
    assert action()._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_replies_fail_as_before(reply: dict) -> None:
    with pytest.raises(ValidationError) as stock:
        action()._validate_action_result(reply)
    speedups.apply()
    try:
        with pytest.raises(ValidationError) as ours:
            action()._validate_action_result(reply)
    finally:
        speedups.remove()
    assert ours.value.message == stock.value.message


def test_every_event_name_resolves_to_rasas_class(applied: None) -> None:
    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None) and cls.type_name != "event":
            speedups.remove()
            expected = Event.resolve_by_type(cls.type_name)
            speedups.apply()
            assert Event.resolve_by_type(cls.type_name) is expected
            assert Event.resolve_by_type(cls.type_name) is expected  # and from the cache


def test_unknown_event_names_behave_as_before(applied: None) -> None:
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None


def test_events_round_trip_with_the_speedups(applied: None) -> None:
    event = SlotSet("child_name", "Leo")
    assert Event.from_parameters(event.as_dict()) == event


@settings(max_examples=80, deadline=None)
@given(
    rows=st.integers(0, 30),
    widths=st.tuples(st.integers(1, 9000), st.integers(1, 3000)),
    densities=st.tuples(st.floats(0, 0.05), st.floats(0, 0.2)),
    dtypes=st.tuples(st.sampled_from(DTYPES), st.sampled_from(DTYPES)),
    seed=st.integers(0, 2**16),
)
def test_joined_features_equal_scipys_hstack(rows, widths, densities, dtypes, seed) -> None:
    left = sparse.random(rows, widths[0], densities[0], "coo", dtypes[0], random_state=seed)
    right = sparse.random(rows, widths[1], densities[1], "coo", dtypes[1], random_state=seed + 1)
    expected, joined = sparse.hstack([left, right]), speedups.join_sparse_columns(left, right)
    assert type(joined) is type(expected)
    assert joined.shape == expected.shape and joined.dtype == expected.dtype
    for part in ("data", "row", "col"):
        assert getattr(joined, part).dtype == getattr(expected, part).dtype
        assert np.array_equal(getattr(joined, part), getattr(expected, part))


def test_combining_message_features_behaves_as_before(applied: None) -> None:
    def features(matrix: object) -> Features:
        return Features(matrix, "sequence", "text", "test")

    ours = features(sparse.coo_matrix(np.eye(3, 4, dtype=np.float32)))
    ours.combine_with_features(features(sparse.coo_matrix(np.ones((3, 2)))))
    expected = sparse.hstack(
        [sparse.coo_matrix(np.eye(3, 4, dtype=np.float32)), sparse.coo_matrix(np.ones((3, 2)))]
    )
    assert np.array_equal(ours.features.toarray(), expected.toarray())
    assert ours.features.dtype == expected.dtype

    other_format = features(sparse.csr_matrix(np.eye(3)))
    other_format.combine_with_features(features(sparse.csr_matrix(np.eye(3))))
    assert other_format.features.shape == (3, 6)
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        ours.combine_with_features(features(sparse.coo_matrix(np.ones((2, 2)))))
