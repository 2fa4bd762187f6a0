"""How each waiter becomes a method: the plan the client template lays out.

The method is thin: it builds the call of the polled operation (and of each remedy the caller
asked for) with the builders of those operations, and hands them to the runtime's ``wait``
with the waiter's declaration, which it renders as a constant.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import ir
from generator.model.naming import constant
from generator.planning.operations import Method


@dataclass(frozen=True)
class Remedy:
    option: str  # the keyword argument that asks for it
    description: str
    values: tuple[str, ...]  # Python literals of the watched values it answers
    builder: str  # the call builder of the remedy operation
    arguments: str  # what the builder is called with


@dataclass(frozen=True)
class WaiterPlan:
    name: str  # the method
    namespace: str
    constant: str  # the module constant holding the declaration
    declaration: str  # the waiter's name in messages
    poll: Method  # the plan of the polled operation
    model: str
    path: tuple[str, ...]  # attributes from the model to the watched value
    label: str  # the watched value's wire path
    success: tuple[str, ...]  # Python literals of the values in each state
    failure: tuple[str, ...]
    retry: tuple[str, ...]
    remedies: tuple[Remedy, ...]
    delay: float
    max_delay: float
    timeout: float
    description: str


def plan_waiters(api: ir.Api, methods: dict[str, Method]) -> tuple[WaiterPlan, ...]:
    """One plan per waiter; ``methods`` are the operation plans by operationId."""
    plans = []
    for waiter in api.waiters:
        poll = methods[waiter.operation.operation_id]
        remedies: dict[str, Remedy] = {}
        for acceptor in waiter.acceptors:
            remedy = acceptor.remedy
            if remedy is None:
                continue
            found = remedies.get(remedy.option)
            values = (*(found.values if found else ()), repr(acceptor.expected))
            positional = {p.name: p.attr for p in waiter.operation.parameters}
            remedies[remedy.option] = Remedy(
                option=remedy.option,
                description=remedy.description or f"Call {remedy.operation.method_name} once.",
                values=values,
                builder=methods[remedy.operation.operation_id].builder,
                arguments=", ".join(positional[name] for name in remedy.arguments),
            )

        def in_state(state: str, waiter: ir.Waiter = waiter) -> tuple[str, ...]:
            return tuple(repr(a.expected) for a in waiter.acceptors if a.state == state)

        label = ".".join(f.wire_name for f in waiter.path)
        plans.append(
            WaiterPlan(
                name=waiter.method_name,
                namespace=waiter.operation.namespace,
                constant=f"_{constant(waiter.operation.namespace + '_' + waiter.method_name)}",
                declaration=waiter.name,
                poll=poll,
                model=waiter.model.name,
                path=tuple(f.attr for f in waiter.path),
                label=label,
                success=in_state("success"),
                failure=in_state("failure"),
                retry=in_state("retry"),
                remedies=tuple(remedies.values()),
                delay=waiter.delay,
                max_delay=waiter.max_delay,
                timeout=waiter.timeout,
                description=waiter.description
                or f"Waits until {label} of {poll.name} reaches a value that ends the wait.",
            )
        )
    return tuple(plans)
