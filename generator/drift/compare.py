"""The semantic comparison of two subsets (spec/ and upstream), for a client of the API.

What a difference means depends on the direction data flows: a property that becomes
nullable breaks a client that reads it, but not one that sends it; a property that becomes
required breaks a client that sends it, but not one that reads it. Every schema is compared
with the directions it is used in (a component used both ways gets the stricter verdict), and
each component is compared once, at its own pointer, however often it is referenced.

Both subsets are expected without prose (descriptions are compared by digest elsewhere) and
with upstream's operations moved to where the spec has them (a moved operation is reported by
the caller).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generator.drift.difference import ADDITIVE, BREAKING, REQUEST, RESPONSE, Difference, label
from generator.drift.extract import references
from generator.model.resolve import HTTP_METHODS
from generator.reading import pointer as jp

Directions = frozenset[str]
BOTH: Directions = frozenset({REQUEST, RESPONSE})
_REQUEST: Directions = frozenset({REQUEST})
_RESPONSE: Directions = frozenset({RESPONSE})

# Validation keywords, and which way a value makes them stricter: a stricter request
# constraint rejects values the client used to send.
_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
_FLAGS = ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems")
_OTHER_CONSTRAINTS = ("pattern", "multipleOf")
_CONSTRAINTS = (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_FLAGS, *_OTHER_CONSTRAINTS)
# Keywords that change what a reader is told, not what goes over the wire.
_INFORMATIVE = ("title", "default", "readOnly", "writeOnly", "xml", "externalDocs")
_SCHEMA_HANDLED = frozenset(
    {
        "type",
        "format",
        "nullable",
        "properties",
        "required",
        "enum",
        "items",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "deprecated",
        *_CONSTRAINTS,
        *_INFORMATIVE,
    }
)


def compare(
    ours: Mapping[str, Any], theirs: Mapping[str, Any], skip: Mapping[str, frozenset[str]]
) -> list[Difference]:
    """Every difference between two aligned, prose-free subsets.

    ``skip`` names keywords not to compare (pointer -> keys): those spec/patches.yaml sets.
    """
    return _Comparison(ours, theirs, skip).run()


def directions(subset: Mapping[str, Any]) -> dict[str, Directions]:
    """Component pointer -> the directions (request, response) data through it flows."""
    found: dict[str, set[str]] = {}

    def visit(node: Any, direction: str) -> None:
        for ref in references(node):
            where = ref.removeprefix("#")
            if direction in found.setdefault(where, set()):
                continue
            found[where].add(direction)
            try:
                visit(jp.resolve(subset, where), direction)
            except KeyError:
                continue  # a dangling reference is the extractor's to report

    for item in subset.get("paths", {}).values():
        visit(item.get("parameters"), REQUEST)
        for method in HTTP_METHODS:
            operation = item.get(method, {})
            visit([operation.get("parameters"), operation.get("requestBody")], REQUEST)
            visit(operation.get("responses"), RESPONSE)
    return {where: frozenset(used) for where, used in found.items()}


def _deref(document: Mapping[str, Any], node: Any, where: str) -> tuple[Any, str]:
    """Follow ``$ref``s to the object they name, and its pointer."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and where not in seen:
        seen.add(where)
        where = node["$ref"].removeprefix("#")
        try:
            node = jp.resolve(document, where)
        except KeyError:
            return {}, where
    return node, where


def _is_success(status: str) -> bool:
    return status[:1] in ("1", "2", "3")


class _Comparison:
    def __init__(
        self, ours: Mapping[str, Any], theirs: Mapping[str, Any], skip: Mapping[str, frozenset[str]]
    ):
        self.ours = ours
        self.theirs = theirs
        self.skip = skip
        self.found: list[Difference] = []
        self.compared: set[tuple[str, str]] = set()
        self.uses: dict[str, Directions] = directions(ours)
        for where, used in directions(theirs).items():
            self.uses[where] = self.uses.get(where, frozenset()) | used

    def add(
        self,
        kind: str,
        breaking: bool,
        where: str,
        message: str,
        old: Any = None,
        new: Any = None,
        tolerated: bool | None = None,
    ) -> None:
        category = BREAKING if breaking else ADDITIVE
        self.found.append(Difference(kind, category, where, message, old, new, tolerated))

    def run(self) -> list[Difference]:
        self.servers(self.ours.get("servers", []), self.theirs.get("servers", []))
        for path, item in self.ours.get("paths", {}).items():
            other = self.theirs["paths"][path]
            where = jp.join("/paths", path)
            if "parameters" in item or "parameters" in other:
                self.parameters(
                    jp.join(where, "parameters"), item.get("parameters"), other.get("parameters")
                )
            for method in HTTP_METHODS:
                if method in item:
                    self.operation(jp.join(where, method), item[method], other[method])
        compare_component: dict[str, Callable[[str, Any, Any], None]] = {
            "schemas": lambda where, a, b: self.schema(where, a, b, self.uses.get(where, BOTH)),
            "responses": lambda where, a, b: self.pair(where, a, b, self.response),
            "parameters": lambda where, a, b: self.pair(where, a, b, self.parameter),
            "requestBodies": lambda where, a, b: self.pair(where, a, b, self.request_body),
            "headers": lambda where, a, b: self.pair(where, a, b, self.header),
        }
        theirs_components = self.theirs.get("components", {})
        for section, entries in self.ours.get("components", {}).items():
            for name, node in entries.items():
                if name not in theirs_components.get(section, {}):
                    continue  # no longer referenced upstream: the reference's change is reported
                where = jp.join("/components", section, name)
                other = theirs_components[section][name]
                if section in compare_component:
                    compare_component[section](where, node, other)
                elif node != other:
                    self.unclassified(where, node, other)
        return self.found

    # -- references -------------------------------------------------------------------------

    def pair(self, where: str, a: Any, b: Any, compare: Callable[..., None], *args: Any) -> None:
        """Compare two objects either of which may be a ``$ref``."""
        ref_a, ref_b = a.get("$ref"), b.get("$ref")
        if ref_a is not None and ref_a == ref_b:
            return  # the component is compared once, at its own pointer
        if ref_a != ref_b:
            target = f"now refers to {ref_b}" if ref_b else "is now written inline"
            self.add(
                "reference-changed",
                False,
                where,
                f"{label(where)} {target} (a generated class may be renamed on regeneration)",
                ref_a,
                ref_b,
            )
        node_a, where_a = _deref(self.ours, a, where)
        node_b, where_b = _deref(self.theirs, b, where)
        if (where_a, where_b) in self.compared:
            return  # a recursive schema, or two references to the same pair
        self.compared.add((where_a, where_b))
        compare(where_a, node_a, node_b, *args)

    # -- operations --------------------------------------------------------------------------

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
            required = bool(_deref(self.theirs, body_b, body)[0].get("required"))
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
                    kind, breaking, jp.join(where, key), f"{name}: {key} changed", *_pair(a, b, key)
                )
        handled = {"operationId", "parameters", "requestBody", "responses", "deprecated"}
        handled |= {"tags", "externalDocs", "security", "servers", "callbacks"}
        self.rest(where, a, b, handled)

    def parameters(self, where: str, a: list[Any] | None, b: list[Any] | None) -> None:
        def key(document: Mapping[str, Any], parameter: Any) -> tuple[str, str]:
            node = _deref(document, parameter, where)[0]
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
                required = bool(_deref(self.theirs, parameter, where)[0].get("required"))
                self.add(
                    "parameter-added",
                    required,
                    where,
                    f"new {'required' if required else 'optional'} {place} parameter {name}",
                    None,
                    parameter,
                )

    def parameter(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.parameter_like(where, a, b, _REQUEST)

    def header(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.parameter_like(where, a, b, _RESPONSE)

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
                *_pair(a, b, "schema"),
            )
        self.content(jp.join(where, "content"), a.get("content"), b.get("content"), used)
        for key in ("style", "explode", "allowReserved", "allowEmptyValue"):
            if a.get(key) != b.get(key):
                self.add(
                    "serialization-changed",
                    True,
                    jp.join(where, key),
                    f"{label(where)}: {key} changed",
                    *_pair(a, b, key),
                )
        handled = {"name", "in", "required", "deprecated", "schema", "content"}
        self.rest(where, a, b, handled | {"style", "explode", "allowReserved", "allowEmptyValue"})

    def request_body(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.required_flag(where, a, b, _REQUEST)
        self.content(jp.join(where, "content"), a.get("content"), b.get("content"), _REQUEST)
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
        self.content(jp.join(where, "content"), a.get("content"), b.get("content"), _RESPONSE)
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
                *_pair(a, b, "links"),
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

    # -- schemas -----------------------------------------------------------------------------

    def schema(self, where: str, a: Any, b: Any, used: Directions) -> None:
        if a == b:
            return
        if not (isinstance(a, dict) and isinstance(b, dict)):
            self.add("type-changed", True, where, f"{label(where)} changed", a, b)
        elif "$ref" in a or "$ref" in b:
            self.pair(where, a, b, self.schema_body, used)
        else:
            self.schema_body(where, a, b, used)

    def schema_body(
        self, where: str, a: dict[str, Any], b: dict[str, Any], used: Directions
    ) -> None:
        name = label(where)
        request, response = REQUEST in used, RESPONSE in used
        skip = self.skip.get(where, frozenset())
        for key in ("type", "format"):
            if key not in skip and a.get(key) != b.get(key):
                self.add(
                    f"{key}-changed",
                    True,
                    where,
                    f"{name}: {key} {a.get(key)} is now {b.get(key)}",
                    *_pair(a, b, key),
                )
        nullable_a, nullable_b = bool(a.get("nullable")), bool(b.get("nullable"))
        if nullable_b and not nullable_a:
            self.add("made-nullable", response, where, f"{name} may now be null", False, True)
        elif nullable_a and not nullable_b:
            self.add(
                "made-non-nullable", request, where, f"{name} may no longer be null", True, False
            )
        self.properties(where, a, b, used)
        self.enum(where, a.get("enum"), b.get("enum"), used)
        for key in ("items", "not"):
            if key in a and key in b:
                self.schema(jp.join(where, key), a[key], b[key], used)
            elif a.get(key) != b.get(key):
                self.add(
                    f"{key}-changed",
                    True,
                    jp.join(where, key),
                    f"{name}: {key} changed",
                    *_pair(a, b, key),
                )
        extra_a, extra_b = a.get("additionalProperties", True), b.get("additionalProperties", True)
        if isinstance(extra_a, dict) and isinstance(extra_b, dict):
            self.schema(jp.join(where, "additionalProperties"), extra_a, extra_b, used)
        elif extra_a != extra_b:
            # Forbidding extra properties rejects what a client may send; a reader ignores them.
            narrower = extra_b is False
            self.add(
                "additional-properties-changed",
                narrower and request,
                jp.join(where, "additionalProperties"),
                f"{name}: additionalProperties {extra_a} is now {extra_b}",
                *_pair(a, b, "additionalProperties"),
            )
        for key in ("allOf", "oneOf", "anyOf"):
            list_a, list_b = a.get(key, []), b.get(key, [])
            if len(list_a) == len(list_b):
                for index, (item_a, item_b) in enumerate(zip(list_a, list_b, strict=True)):
                    self.schema(jp.join(where, key, index), item_a, item_b, used)
            else:
                self.add(
                    "composition-changed",
                    True,
                    jp.join(where, key),
                    f"{name}: {key} changed",
                    *_pair(a, b, key),
                )
        for key in _CONSTRAINTS:
            if key not in skip and a.get(key) != b.get(key):
                stricter = _stricter(key, a.get(key), b.get(key))
                self.add(
                    "constraint-tightened" if stricter else "constraint-loosened",
                    stricter and request,
                    where,
                    f"{name}: {key} {a.get(key)} is now {b.get(key)}",
                    *_pair(a, b, key),
                )
        self.deprecated(where, a, b)
        for key in _INFORMATIVE:
            if key not in skip and a.get(key) != b.get(key):
                self.add(
                    f"{key}-changed", False, where, f"{name}: {key} changed", *_pair(a, b, key)
                )
        self.rest(where, a, b, _SCHEMA_HANDLED | skip)

    def properties(
        self, where: str, a: dict[str, Any], b: dict[str, Any], used: Directions
    ) -> None:
        request, response = REQUEST in used, RESPONSE in used
        props_a, props_b = a.get("properties", {}), b.get("properties", {})
        required_a, required_b = set(a.get("required", [])), set(b.get("required", []))
        for name, schema in props_a.items():
            at = jp.join(where, "properties", name)
            if name in props_b:
                self.schema(at, schema, props_b[name], used)
            else:
                self.add("property-removed", True, at, f"{label(at)} removed", schema)
        for name, schema in props_b.items():
            if name not in props_a:
                at = jp.join(where, "properties", name)
                required = name in required_b
                self.add(
                    "property-added",
                    required and request,
                    at,
                    f"new {'required' if required else 'optional'} property {label(at)}",
                    None,
                    schema,
                    # The generated models ignore properties they do not know.
                    tolerated=True if used == _RESPONSE else None,
                )
        for name in sorted(required_a - required_b):
            if name in props_b or name not in props_a:  # a removed property is reported above
                at = jp.join(where, "properties", name)
                self.add(
                    "made-optional", response, at, f"{label(at)} is no longer required", True, False
                )
        for name in sorted(required_b - required_a):
            if name in props_a or name not in props_b:  # a new property is reported above
                at = jp.join(where, "properties", name)
                self.add("made-required", request, at, f"{label(at)} is now required", False, True)

    def enum(self, where: str, a: list[Any] | None, b: list[Any] | None, used: Directions) -> None:
        at, name = jp.join(where, "enum"), label(where)
        # The generated client keeps an unknown response enum value as a string, but checks
        # request arguments against the values it was generated with.
        tolerated = used == _RESPONSE
        if a is not None and b is not None:
            for value in a:
                if value not in b:
                    self.add(
                        "enum-value-removed", True, at, f"{name}: value {value!r} removed", value
                    )
            for value in b:
                if value not in a:
                    self.add(
                        "enum-value-added",
                        False,
                        at,
                        f"{name}: new value {value!r}",
                        None,
                        value,
                        tolerated,
                    )
        elif b is not None:
            self.add(
                "enum-introduced",
                REQUEST in used,
                at,
                f"{name} now lists its values",
                None,
                b,
                tolerated,
            )
        elif a is not None:
            self.add("enum-dropped", False, at, f"{name} no longer lists its values", a, None)

    # -- shared ------------------------------------------------------------------------------

    def required_flag(
        self, where: str, a: dict[str, Any], b: dict[str, Any], used: Directions
    ) -> None:
        was, now = bool(a.get("required")), bool(b.get("required"))
        if now and not was:
            self.add(
                "made-required",
                REQUEST in used,
                where,
                f"{label(where)} is now required",
                False,
                True,
            )
        elif was and not now:
            self.add(
                "made-optional",
                RESPONSE in used,
                where,
                f"{label(where)} is no longer required",
                True,
                False,
            )

    def deprecated(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        was, now = bool(a.get("deprecated")), bool(b.get("deprecated"))
        if was != now:
            text = "is now deprecated" if now else "is no longer deprecated"
            self.add(
                "deprecated" if now else "undeprecated",
                False,
                where,
                f"{label(where)} {text}",
                was,
                now,
            )

    def rest(
        self, where: str, a: dict[str, Any], b: dict[str, Any], handled: set[str] | frozenset[str]
    ) -> None:
        for key in sorted((set(a) | set(b)) - handled):
            if a.get(key) != b.get(key):
                self.unclassified(jp.join(where, key), a.get(key), b.get(key))

    def unclassified(self, where: str, a: Any, b: Any) -> None:
        # Conservatively breaking: a change this tool does not understand deserves a look.
        self.add("unclassified-change", True, where, f"{label(where)} changed", a, b)


def _pair(a: Mapping[str, Any], b: Mapping[str, Any], key: str) -> tuple[Any, Any]:
    return a.get(key), b.get(key)


def _stricter(key: str, old: Any, new: Any) -> bool:
    """Whether changing ``key`` from ``old`` to ``new`` rejects values that passed before."""
    if new is None:
        return False  # the constraint is gone
    if old is None:
        return new is not False  # a new constraint (``uniqueItems: false`` constrains nothing)
    if key in _LOWER_BOUNDS:
        return bool(new > old)
    if key in _UPPER_BOUNDS:
        return bool(new < old)
    if key in _FLAGS:
        return bool(new) and not old
    return True  # another pattern or multipleOf may reject what the old one allowed
