"""Waiters: methods that poll an operation until its answer settles (``info.x-client.waiters``).

A waiter is declared in botocore's shape: the operation it polls and a list of acceptors, each
matching one value at a path of the answer (``matcher: path``) to a state: ``success`` and
``failure`` end the wait, ``retry`` keeps polling. Which value means what is data in the spec,
never code: when the watched value is an enum, every value of it must be classified, so that a
value added to the spec cannot leave the wait undecided. An acceptor of a failure may carry a
remedy, an operation the waiter calls once, when the caller asks, instead of failing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, cast

from generator.model import ir
from generator.model.naming import identifier
from generator.model.schemas import SchemaResolver, text
from generator.reading import pointer as jp
from generator.reading.loader import Spec

STATES = ("success", "failure", "retry")
# The waiter method's own keyword arguments: no operation argument or remedy option may be one.
WAITER_ARGUMENTS = frozenset({"self", "timeout", "interval", "max_interval", "on_poll"})

_WAITER_KEYS = {"description", "operation", "delay", "max-delay", "timeout", "acceptors"}
_ACCEPTOR_KEYS = {"state", "matcher", "argument", "expected", "remedy"}
_REMEDY_KEYS = {"operation", "option", "description"}


def build_waiters(
    spec: Spec, operations: tuple[ir.Operation, ...], schemas: SchemaResolver
) -> tuple[ir.Waiter, ...]:
    where = "/info/x-client/waiters"
    raw = spec.document["info"].get("x-client", {}).get("waiters", {})
    if not isinstance(raw, dict):
        raise spec.error(where, "'waiters' maps waiter names to their declarations")
    by_id = {op.operation_id: op for op in operations}
    methods = {(op.namespace, op.method_name): op.pointer for op in operations}
    waiters = []
    for name, node in raw.items():
        waiter = _Builder(spec, by_id, schemas).waiter(str(name), node, jp.join(where, name))
        key = (waiter.operation.namespace, waiter.method_name)
        if key in methods:
            raise spec.error(
                waiter.pointer, f"would be the method {'.'.join(key)}, which {methods[key]} is"
            )
        methods[key] = waiter.pointer
        waiters.append(waiter)
    return tuple(waiters)


class _Builder:
    def __init__(self, spec: Spec, by_id: Mapping[str, ir.Operation], schemas: SchemaResolver):
        self.spec = spec
        self.by_id = by_id
        self.schemas = schemas

    def waiter(self, name: str, node: Any, where: str) -> ir.Waiter:
        self.mapping(node, where, _WAITER_KEYS)
        operation = self.operation(node.get("operation"), jp.join(where, "operation"))
        if operation.http_method != "GET":
            raise self.spec.error(
                jp.join(where, "operation"),
                f"a waiter polls with conditional GET requests; {operation.operation_id} is a "
                f"{operation.http_method}",
            )
        model = self.polled_model(operation, jp.join(where, "operation"))
        taken = {p.attr for p in operation.parameters} & WAITER_ARGUMENTS
        if taken:
            raise self.spec.error(
                operation.pointer, f"a parameter would be the waiter's own argument {min(taken)}"
            )
        delay = self.seconds(node, "delay", where, default=None)
        max_delay = self.seconds(node, "max-delay", where, default=delay)
        if max_delay < delay:
            raise self.spec.error(jp.join(where, "max-delay"), "'max-delay' is less than 'delay'")
        timeout = self.seconds(node, "timeout", where, default=None)
        acceptors_where = jp.join(where, "acceptors")
        raw_acceptors = node.get("acceptors")
        if not isinstance(raw_acceptors, list) or not raw_acceptors:
            raise self.spec.error(acceptors_where, "a waiter needs a list of acceptors")
        paths = {self.argument(a, jp.join(acceptors_where, i)) for i, a in enumerate(raw_acceptors)}
        if len(paths) != 1:
            raise self.spec.error(acceptors_where, "every acceptor must watch the same argument")
        (argument,) = paths
        path = self.path(model, argument, jp.join(acceptors_where, 0, "argument"))
        acceptors = tuple(
            self.acceptor(a, jp.join(acceptors_where, i), operation, path[-1])
            for i, a in enumerate(raw_acceptors)
        )
        self.check_classification(acceptors, path[-1], acceptors_where)
        options: dict[str, str] = {}
        for acceptor in acceptors:
            remedy = acceptor.remedy
            if remedy is None:
                continue
            if options.setdefault(remedy.option, remedy.operation.operation_id) != (
                remedy.operation.operation_id
            ):
                raise self.spec.error(
                    jp.join(acceptor.pointer, "remedy", "option"),
                    f"{remedy.option!r} already asks for another remedy",
                )
        return ir.Waiter(
            name=name,
            method_name=f"wait_until_{identifier(name)}",
            description=text(node.get("description")),
            operation=operation,
            model=ir.ModelRef(model.name),
            path=path,
            acceptors=acceptors,
            delay=delay,
            max_delay=max_delay,
            timeout=timeout,
            pointer=where,
        )

    # -- the parts ---------------------------------------------------------------------------

    def mapping(self, node: Any, where: str, known: set[str]) -> None:
        if not isinstance(node, dict):
            raise self.spec.error(where, "expected a mapping")
        for key in node:
            if key not in known:
                raise self.spec.error(
                    jp.join(where, key), f"unknown key; expected one of {sorted(known)}"
                )

    def operation(self, operation_id: Any, where: str) -> ir.Operation:
        if operation_id not in self.by_id:
            raise self.spec.error(where, f"no operation has the operationId {operation_id!r}")
        return self.by_id[operation_id]

    def polled_model(self, operation: ir.Operation, where: str) -> ir.Model:
        types = {c.type for r in operation.success_responses for c in r.contents}
        if len(types) != 1 or not isinstance(next(iter(types)), ir.ModelRef):
            raise self.spec.error(
                where, f"{operation.operation_id} must answer every success with one object schema"
            )
        ref = next(iter(types))
        assert isinstance(ref, ir.ModelRef)
        return self.schemas.models[ref.name]

    def seconds(
        self, node: Mapping[str, Any], key: str, where: str, default: float | None
    ) -> float:
        value = node.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value <= 0
        ):
            raise self.spec.error(jp.join(where, key), f"{key!r} must be a number of seconds > 0")
        return float(value)

    def argument(self, node: Any, where: str) -> str:
        self.mapping(node, where, _ACCEPTOR_KEYS)
        if node.get("matcher") != "path":
            raise self.spec.error(
                jp.join(where, "matcher"),
                "only the 'path' matcher is supported (not pathAll, pathAny, status or error)",
            )
        argument = node.get("argument")
        if not isinstance(argument, str) or not argument:
            raise self.spec.error(jp.join(where, "argument"), "'argument' is a dotted path")
        return argument

    def path(self, model: ir.Model, argument: str, where: str) -> tuple[ir.Field, ...]:
        """The fields from ``model`` along ``argument`` (``state``, ``machine.name``)."""
        fields: list[ir.Field] = []
        current: ir.Model | None = model
        for name in argument.split("."):
            found = (
                next((f for f in current.fields if f.wire_name == name), None) if current else None
            )
            if found is None:
                owner = current.name if current else fields[-1].wire_name
                raise self.spec.error(where, f"{owner} has no property {name!r} ({argument})")
            fields.append(found)
            current = (
                self.schemas.models[found.type.name]
                if isinstance(found.type, ir.ModelRef)
                else None
            )
        last = fields[-1].type
        if not isinstance(last, ir.EnumRef) and not (
            isinstance(last, ir.Primitive) and last.kind in ("str", "int", "bool")
        ):
            raise self.spec.error(
                where, f"{argument} must lead to an enum, a string, an integer or a boolean"
            )
        return tuple(fields)

    def acceptor(
        self, node: Mapping[str, Any], where: str, polled: ir.Operation, watched: ir.Field
    ) -> ir.Acceptor:
        state = node.get("state")
        if state not in STATES:
            raise self.spec.error(jp.join(where, "state"), f"'state' is one of {list(STATES)}")
        expected = node.get("expected")
        if isinstance(watched.type, ir.EnumRef):
            values = self.schemas.enums[watched.type.name].values
            if expected not in values:
                raise self.spec.error(
                    jp.join(where, "expected"),
                    f"{expected!r} is not a value of {watched.wire_name}: "
                    + ", ".join(map(str, values)),
                )
        else:
            assert isinstance(watched.type, ir.Primitive)
            kind = {"str": str, "int": int, "bool": bool}[watched.type.kind]
            if type(expected) is not kind:
                raise self.spec.error(
                    jp.join(where, "expected"), f"{expected!r} is not a {watched.type.kind}"
                )
        remedy = None
        if "remedy" in node:
            if state != "failure":
                raise self.spec.error(jp.join(where, "remedy"), "only a failure can have a remedy")
            remedy = self.remedy(node["remedy"], jp.join(where, "remedy"), polled)
        return ir.Acceptor(
            state=cast(Literal["success", "failure", "retry"], state),
            expected=cast("str | int | bool", expected),
            remedy=remedy,
            pointer=where,
        )

    def remedy(self, node: Any, where: str, polled: ir.Operation) -> ir.Remedy:
        self.mapping(node, where, _REMEDY_KEYS)
        operation = self.operation(node.get("operation"), jp.join(where, "operation"))
        option = node.get("option")
        if not isinstance(option, str) or not option.isidentifier() or option != identifier(option):
            raise self.spec.error(
                jp.join(where, "option"), "'option' must be a snake_case Python identifier"
            )
        if option in WAITER_ARGUMENTS or option in {p.attr for p in polled.parameters}:
            raise self.spec.error(jp.join(where, "option"), f"{option!r} is already an argument")
        available = {p.name for p in polled.parameters if p.location == "path"}
        path_names = tuple(p.name for p in operation.parameters if p.location == "path")
        missing = [n for n in path_names if n not in available]
        if missing:
            raise self.spec.error(
                jp.join(where, "operation"),
                f"{operation.operation_id} needs {missing[0]!r}, which the polled operation "
                "does not take",
            )
        required = [p.name for p in operation.parameters if p.location != "path" and p.required]
        if operation.body is not None and operation.body.required and not operation.body.nullable:
            required.append("its request body")
        if required:
            raise self.spec.error(
                jp.join(where, "operation"),
                f"{operation.operation_id} needs {required[0]}, which a waiter cannot give",
            )
        return ir.Remedy(
            operation=operation,
            option=option,
            description=text(node.get("description")),
            arguments=path_names,
        )

    def check_classification(
        self, acceptors: tuple[ir.Acceptor, ...], watched: ir.Field, where: str
    ) -> None:
        seen: dict[object, str] = {}
        for acceptor in acceptors:
            if acceptor.expected in seen:
                raise self.spec.error(
                    jp.join(acceptor.pointer, "expected"),
                    f"{acceptor.expected!r} is already accepted at {seen[acceptor.expected]}",
                )
            seen[acceptor.expected] = acceptor.pointer
        if not any(a.state == "success" for a in acceptors):
            raise self.spec.error(where, "no acceptor ends the wait in success")
        if isinstance(watched.type, ir.EnumRef):
            values = self.schemas.enums[watched.type.name].values
            missing = [v for v in values if v not in seen]
            if missing:
                raise self.spec.error(
                    where,
                    f"{watched.wire_name} may also be {', '.join(map(repr, missing))}: say whether "
                    "each is a success, a failure or a retry",
                )
