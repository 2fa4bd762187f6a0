"""The runtime's waiter declaration, where it stands (generator/runtime/_waiters.py); the poll
loop itself is driven over a real socket in tests/test_waiters.py."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest

from generator.runtime._calls import Call, ResponseMap
from generator.runtime._waiters import Waiter, _Watch


class State(str, enum.Enum):
    READY = "Ready"
    BROKEN = "Broken"


@dataclass
class Machine:
    state: State | str | None


@dataclass
class Resource:
    machine: Machine


WAITER = Waiter(
    name="ready",
    path=("machine", "state"),
    success=frozenset({"Ready"}),
    failure=frozenset({"Broken"}),
    retry=frozenset({"Booting"}),
)


@pytest.mark.parametrize(
    ("state", "value", "outcome"),
    [
        (State.READY, "Ready", "success"),
        (State.BROKEN, "Broken", "failure"),
        ("Booting", "Booting", "retry"),
        ("Hibernating", "Hibernating", "retry"),  # a value the declaration does not know
        (None, None, "retry"),
    ],
)
def test_the_watched_value_and_what_it_means(
    state: State | str | None, value: object, outcome: str
) -> None:
    found = WAITER.value_of(Resource(Machine(state)))
    assert found == value
    assert not isinstance(found, enum.Enum)
    assert WAITER.outcome(found) == outcome
    assert WAITER.label == "machine.state"


def test_a_first_poll_is_unconditional_and_later_ones_are_not() -> None:
    call: Call[object] = Call(
        "GET", "/r", ResponseMap(success={}, errors={}), headers={"Accept": "x"}
    )
    watch = _Watch(WAITER, call, {}, timeout=1.0, interval=0.1, max_interval=0.2)
    assert watch.request() is call
    watch.etag = '"e"'
    assert watch.request().headers == {"Accept": "x", "If-None-Match": '"e"'}
    assert call.headers == {"Accept": "x"}  # the polled call itself is left as it was
