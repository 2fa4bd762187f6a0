"""Comparing operations: servers, parameters, request bodies, responses, headers, content.

A status, content type or parameter is matched by its key (a parameter by where it goes and
its name), never by its position in a list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.drift.compare.base import REQUEST_ONLY, RESPONSE_ONLY, Directions, deref, pair_of
from generator.drift.compare.schemas import SchemaRules
from generator.drift.difference import label
from generator.reading import pointer as jp


def _is_success(status: str) -> bool:
    return status[:1] in ("1", "2", "3")


class OperationRules(SchemaRules):
    """Operations and what they hold; schemas inside them go to :class:`SchemaRules`."""

    def servers(self, a: list[Any], b: list[Any]) -> None:
        urls_a = [server.get("url") for server in a]
        urls_b = [server.get("url") for server in b]
        if urls_a[:1] != urls_b[:1]:
            self.add(
                "server-changed",
                True,
                "/servers/0/url",
                f"the API's base URL is now {urls_b[0] if urls_b else 'unstated'}",
                urls_a[:1],
                urls_b[:1],
            )
        elif a != b:
            self.add("servers-changed", False, "/servers", "the list of servers changed", a, b)

    def operation(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        name = label(where)
        self.parameters(jp.join(where, "parameters"), a.get("parameters"), b.get("parameters"))
        body_a, body_b = a.get("requestBody"), b.get("requestBody")
        body = jp.join(where, "requestBody")
        if body_a is not None and body_b is not None:
            self.pair(body, body_a, body_b, self.request_body)
        elif body_a is not None:
            self.add("request-body-removed", True, body, f"{name} takes no request body", body_a)
        elif body_b is not None:
            required = bool(deref(self.theirs, body_b, body)[0].get("required"))
            self.add(
                "request-body-added",
                required,
                body,
                f"{name} takes a {'required' if required else 'optional'} request body",
                None,
                body_b,
            )
        self.responses(jp.join(where, "responses"), a.get("responses", {}), b.get("responses", {}))
        self.deprecated(where, a, b)
        for key, kind, breaking in (
            ("tags", "tags-changed", False),
            ("externalDocs", "documentation-link-changed", False),
            ("security", "security-changed", True),
            ("servers", "servers-changed", True),
            ("callbacks", "callbacks-changed", False),
        ):
            if a.get(key) != b.get(key):
                self.add(
                    kind,
                    breaking,
                    jp.join(where, key),
                    f"{name}: {key} changed",
                    *pair_of(a, b, key),
                )
        handled = {"operationId", "parameters", "requestBody", "responses", "deprecated"}
        handled |= {"tags", "externalDocs", "security", "servers", "callbacks"}
        self.rest(where, a, b, handled)

    def parameters(self, where: str, a: list[Any] | None, b: list[Any] | None) -> None:
        def key(document: Mapping[str, Any], parameter: Any) -> tuple[str, str]:
            node = deref(document, parameter, where)[0]
            return str(node.get("in")), str(node.get("name"))

        mine = {key(self.ours, p): (index, p) for index, p in enumerate(a or [])}
        other = {key(self.theirs, p): p for p in b or []}
        for (place, name), (index, parameter) in mine.items():
            at = jp.join(where, index)
            if (place, name) in other:
                self.pair(at, parameter, other[(place, name)], self.parameter)
            else:
                self.add(
                    "parameter-removed", True, at, f"{place} parameter {name} removed", parameter
                )
        for (place, name), parameter in other.items():
            if (place, name) not in mine:
                required = bool(deref(self.theirs, parameter, where)[0].get("required"))
                self.add(
                    "parameter-added",
                    required,
                    where,
                    f"new {'required' if required else 'optional'} {place} parameter {name}",
                    None,
                    parameter,
                )

    def parameter(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.parameter_like(where, a, b, REQUEST_ONLY)

    def header(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.parameter_like(where, a, b, RESPONSE_ONLY)

    def parameter_like(
        self, where: str, a: dict[str, Any], b: dict[str, Any], used: Directions
    ) -> None:
        self.required_flag(where, a, b, used)
        self.deprecated(where, a, b)
        if "schema" in a and "schema" in b:
            self.schema(jp.join(where, "schema"), a["schema"], b["schema"], used)
        elif a.get("schema") != b.get("schema"):
            self.add(
                "type-changed",
                True,
                jp.join(where, "schema"),
                f"{label(where)}: schema changed",
                *pair_of(a, b, "schema"),
            )
        self.content(jp.join(where, "content"), a.get("content"), b.get("content"), used)
        for key in ("style", "explode", "allowReserved", "allowEmptyValue"):
            if a.get(key) != b.get(key):
                self.add(
                    "serialization-changed",
                    True,
                    jp.join(where, key),
                    f"{label(where)}: {key} changed",
                    *pair_of(a, b, key),
                )
        handled = {"name", "in", "required", "deprecated", "schema", "content"}
        self.rest(where, a, b, handled | {"style", "explode", "allowReserved", "allowEmptyValue"})

    def request_body(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.required_flag(where, a, b, REQUEST_ONLY)
        self.content(jp.join(where, "content"), a.get("content"), b.get("content"), REQUEST_ONLY)
        self.rest(where, a, b, {"required", "content"})

    def responses(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        for status, response in a.items():
            at = jp.join(where, status)
            if status in b:
                self.pair(at, response, b[status], self.response)
            else:
                self.add(
                    "status-removed", True, at, f"{label(at)} is no longer documented", response
                )
        for status, response in b.items():
            if status not in a:
                at = jp.join(where, status)
                # An undocumented error status still raises its status's error; an undocumented
                # success raises too, so the client must be regenerated to accept it.
                self.add(
                    "status-added",
                    False,
                    at,
                    f"new {label(at)}",
                    None,
                    response,
                    tolerated=not _is_success(status),
                )

    def response(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.content(jp.join(where, "content"), a.get("content"), b.get("content"), RESPONSE_ONLY)
        headers_a = {name.lower(): (name, h) for name, h in a.get("headers", {}).items()}
        headers_b = {name.lower(): (name, h) for name, h in b.get("headers", {}).items()}
        for lower, (name, header) in headers_a.items():
            at = jp.join(where, "headers", name)
            if lower in headers_b:
                self.pair(at, header, headers_b[lower][1], self.header)
            else:
                self.add(
                    "header-removed", True, at, f"{label(where)}: header {name} removed", header
                )
        for lower, (name, header) in headers_b.items():
            if lower not in headers_a:
                at = jp.join(where, "headers", name)
                self.add(
                    "header-added",
                    False,
                    at,
                    f"{label(where)}: new header {name}",
                    None,
                    header,
                    True,
                )
        if a.get("links") != b.get("links"):
            self.add(
                "links-changed",
                False,
                jp.join(where, "links"),
                f"{label(where)}: links changed",
                *pair_of(a, b, "links"),
            )
        self.rest(where, a, b, {"content", "headers", "links"})

    def content(self, where: str, a: Any, b: Any, used: Directions) -> None:
        a, b = a or {}, b or {}
        for media_type, entry in a.items():
            at = jp.join(where, media_type)
            if media_type not in b:
                self.add(
                    "content-type-removed", True, at, f"{label(at)} is no longer documented", entry
                )
            elif "schema" in entry and "schema" in b[media_type]:
                self.schema(jp.join(at, "schema"), entry["schema"], b[media_type]["schema"], used)
                self.rest(at, entry, b[media_type], {"schema"})
            else:
                self.rest(at, entry, b[media_type], set())
        for media_type, entry in b.items():
            if media_type not in a:
                at = jp.join(where, media_type)
                self.add("content-type-added", False, at, f"new {label(at)}", None, entry)
