"""Stage 2: resolve the spec's ``$ref``s and decide every name, giving the intermediate model.

Object schemas become models, enumerations become enums, both named mechanically: a component
after its key, an inline schema after the class and property that hold it. A schema reached
twice (a component used by many operations) is resolved once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.naming import class_name, constant, identifier, operation_names, pascal
from generator.reading import pointer as jp
from generator.reading.loader import Spec

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Attributes every model has, and arguments every operation method takes: a property or
# parameter with one of these names gets a trailing underscore instead.
MODEL_RESERVED = frozenset({"from_dict", "to_dict"})
ARGUMENT_RESERVED = frozenset({"self", "timeout", "max_retries", "retry_non_idempotent"})

_UNSUPPORTED = ("oneOf", "anyOf", "not")
_JSON_CONTENT = re.compile(r"^application/(?:[\w.+-]+\+)?json$")
_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def is_json(content_type: str) -> bool:
    """``application/json`` and structured-syntax relatives such as ``application/scim+json``."""
    return bool(_JSON_CONTENT.match(content_type.split(";")[0].strip().lower()))


def build_api(spec: Spec) -> ir.Api:
    """The intermediate model of ``spec``."""
    return _Resolver(spec).api()


class _Resolver:
    def __init__(self, spec: Spec):
        self.spec = spec
        self.doc: Mapping[str, Any] = spec.document
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.owners: dict[str, str] = {}  # class name -> pointer of the schema that owns it
        self.resolved: dict[
            str, tuple[ir.TypeExpr, bool]
        ] = {}  # schema pointer -> (type, nullable)
        self.component_names = set(self.doc.get("components", {}).get("schemas", {}))

    # -- the document ------------------------------------------------------------------------

    def api(self) -> ir.Api:
        info = self.doc["info"]
        operations = self.operations()
        for key in self.doc.get("components", {}).get("schemas", {}):
            # Components no operation uses still belong to the spec's vocabulary.
            where = jp.join("/components/schemas", key)
            self.schema(self.doc["components"]["schemas"][key], where, self.component_class(key))
        return ir.Api(
            title=info["title"],
            version=info["version"],
            description=_text(info.get("description")),
            client=self.client_settings(),
            models=tuple(self.models.values()),
            enums=tuple(self.enums.values()),
            operations=operations,
            tag_descriptions=tuple(
                (identifier(tag["name"]), tag["description"].strip())
                for tag in self.doc.get("tags", [])
                if isinstance(tag.get("description"), str)
            ),
            spec_sha256=self.spec.sha256,
        )

    def client_settings(self) -> ir.ClientSettings:
        where = "/info/x-client"
        raw = self.doc["info"].get("x-client")
        if not isinstance(raw, dict):
            raise self.spec.error(
                where, "the spec must say how to build the client (info.x-client)"
            )
        strings = ("distribution", "user-agent", "token-env", "auth-scheme", "request-id-header")
        self._check_keys(raw, where, {"package", "headers", "rate-limit", *strings})
        package = raw.get("package")
        if not isinstance(package, str) or not package.isidentifier() or package != package.lower():
            raise self.spec.error(
                jp.join(where, "package"), "'package' must be a lower-case Python identifier"
            )
        for key in strings:
            if key in raw and not isinstance(raw[key], str):
                raise self.spec.error(jp.join(where, key), f"{key!r} must be a string")
        headers = raw.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise self.spec.error(
                jp.join(where, "headers"), "'headers' maps header names to string values"
            )
        servers = self.doc.get("servers") or [{"url": ""}]
        base_url = servers[0]["url"]
        if not base_url.startswith(("https://", "http://")):
            raise self.spec.error(
                "/servers/0/url", "the first server must be an absolute http(s) URL"
            )
        return ir.ClientSettings(
            package=package,
            distribution=raw.get("distribution", package.replace("_", "-")),
            user_agent=raw.get("user-agent", package.replace("_", "-")),
            token_env=raw.get("token-env"),
            auth_scheme=raw.get("auth-scheme", "Bearer"),
            headers=tuple(headers.items()),
            request_id_header=raw.get("request-id-header", "x-request-id"),
            rate_limit=self.rate_limit_settings(
                raw.get("rate-limit", {}), jp.join(where, "rate-limit")
            ),
            base_url=base_url.rstrip("/"),
        )

    def rate_limit_settings(self, raw: Any, where: str) -> ir.RateLimitSettings:
        if not isinstance(raw, dict):
            raise self.spec.error(where, "'rate-limit' must be a mapping")
        headers = ("remaining-header", "reset-header", "secondary-marker")
        self._check_keys(raw, where, {"statuses", "secondary-wait", *headers})
        statuses = raw.get("statuses", [429])
        if not isinstance(statuses, list) or not all(
            isinstance(s, int) and 400 <= s < 600 for s in statuses
        ):
            raise self.spec.error(
                jp.join(where, "statuses"), "'statuses' lists 4xx/5xx status codes"
            )
        for key in headers:
            if key in raw and not isinstance(raw[key], str):
                raise self.spec.error(jp.join(where, key), f"{key!r} must be a string")
        return ir.RateLimitSettings(
            statuses=tuple(statuses),
            remaining_header=raw.get("remaining-header"),
            reset_header=raw.get("reset-header"),
            secondary_marker=raw.get("secondary-marker"),
            secondary_wait=float(raw.get("secondary-wait", 60)),
        )

    def _check_keys(self, raw: Mapping[str, Any], where: str, known: set[str]) -> None:
        for key in raw:
            if key not in known:
                raise self.spec.error(
                    jp.join(where, key), f"unknown setting; expected one of {sorted(known)}"
                )

    def operations(self) -> tuple[ir.Operation, ...]:
        operations: list[ir.Operation] = []
        seen: dict[tuple[str, str], str] = {}
        for path, item in self.doc.get("paths", {}).items():
            item_pointer = jp.join("/paths", path)
            if "$ref" in item:
                raise self.spec.error(
                    jp.join(item_pointer, "$ref"), "path item references are not supported"
                )
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                where = jp.join(item_pointer, method)
                operation = self.operation(path, method, item, where)
                key = (operation.namespace, operation.method_name)
                if key in seen:
                    raise self.spec.error(
                        jp.join(where, "operationId"),
                        f"gives the method {'.'.join(key)} that {seen[key]} already has",
                    )
                seen[key] = where
                operations.append(operation)
        if not operations:
            raise self.spec.error("/paths", "the spec has no operations")
        return tuple(operations)

    def operation(
        self, path: str, method: str, item: Mapping[str, Any], where: str
    ) -> ir.Operation:
        node = item[method]
        operation_id = node.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            raise self.spec.error(
                where, "every operation needs an operationId (it names the method)"
            )
        namespace, method_name = operation_names(operation_id, node.get("tags", []))
        hint = class_name(operation_id)

        parameters = self.parameters(item, node, where)
        declared = {p.name for p in parameters if p.location == "path"}
        templated = set(_PATH_PARAM.findall(path))
        if declared != templated:
            raise self.spec.error(
                where,
                f"path parameters {sorted(declared)} do not match "
                f"the path template's {sorted(templated)}",
            )

        body = None
        if "requestBody" in node:
            taken = {p.attr for p in parameters}
            body = self.request_body(
                node["requestBody"], jp.join(where, "requestBody"), hint + "Request", taken
            )

        responses = tuple(
            self.response(status, raw, jp.join(where, "responses", status), hint)
            for status, raw in node["responses"].items()
        )
        if not any(r.is_success for r in responses):
            raise self.spec.error(
                jp.join(where, "responses"), "the operation documents no 2xx response"
            )

        docs = node.get("externalDocs", {}).get("url")
        return ir.Operation(
            operation_id=operation_id,
            namespace=namespace,
            method_name=method_name,
            http_method=method.upper(),
            path=path,
            summary=_text(node.get("summary")),
            description=_text(node.get("description")),
            docs_url=docs,
            deprecated=bool(node.get("deprecated", False)),
            parameters=parameters,
            body=body,
            responses=responses,
            pointer=where,
        )

    def parameters(
        self, item: Mapping[str, Any], node: Mapping[str, Any], where: str
    ) -> tuple[ir.Parameter, ...]:
        found: dict[tuple[str, str], ir.Parameter] = {}
        # Operation-level parameters override path-level ones with the same name and location.
        sources = [(jp.join(where.rsplit("/", 1)[0], "parameters"), item.get("parameters", []))]
        sources.append((jp.join(where, "parameters"), node.get("parameters", [])))
        for base, raw_list in sources:
            for index, raw in enumerate(raw_list):
                param_where, param = self.follow(
                    raw, jp.join(base, index), "/components/parameters/"
                )
                location = param["in"]
                if location not in ("path", "query", "header"):
                    raise self.spec.error(
                        jp.join(param_where, "in"), f"{location} parameters are not supported"
                    )
                if "schema" not in param:
                    raise self.spec.error(
                        param_where, "parameters described by 'content' are not supported"
                    )
                schema_where = jp.join(param_where, "schema")
                type_, nullable = self.schema(
                    param["schema"], schema_where, class_name(param["name"])
                )
                if isinstance(type_, (ir.ModelRef, ir.MapOf)):
                    raise self.spec.error(
                        schema_where, "object-valued parameters are not supported"
                    )
                found[(location, param["name"])] = ir.Parameter(
                    name=param["name"],
                    attr=identifier(param["name"], reserved=ARGUMENT_RESERVED),
                    location=location,
                    required=bool(param.get("required", False)),
                    type=type_,
                    nullable=nullable,
                    description=_text(param.get("description")),
                    pointer=param_where,
                )
        parameters = tuple(found.values())
        attrs = [p.attr for p in parameters]
        for parameter in parameters:
            if attrs.count(parameter.attr) > 1:
                raise self.spec.error(
                    parameter.pointer, f"two parameters would both be the argument {parameter.attr}"
                )
        return parameters

    def request_body(self, raw: Any, where: str, hint: str, taken: set[str]) -> ir.RequestBody:
        where, node = self.follow(raw, where, "/components/requestBodies/")
        content = node["content"]
        json_types = [ct for ct in content if is_json(ct)]
        if not json_types:
            raise self.spec.error(
                jp.join(where, "content"), "only JSON request bodies are supported"
            )
        content_type = json_types[0]
        schema_where = jp.join(where, "content", content_type, "schema")
        if "schema" not in content[content_type]:
            raise self.spec.error(
                jp.join(where, "content", content_type), "the request body needs a schema"
            )
        type_, nullable = self.schema(content[content_type]["schema"], schema_where, hint)
        arguments: tuple[ir.Argument, ...] = ()
        if isinstance(type_, ir.ModelRef):
            model = self.models[type_.name]
            arguments = tuple(
                ir.Argument(name=identifier(f.attr, reserved=ARGUMENT_RESERVED | taken), field=f)
                for f in model.fields
            )
        return ir.RequestBody(
            content_type=content_type,
            type=type_,
            required=bool(node.get("required", False)),
            nullable=nullable,
            description=_text(node.get("description")),
            pointer=schema_where,
            arguments=arguments,
        )

    def response(self, status: str, raw: Any, where: str, hint: str) -> ir.Response:
        if not (status == "default" or re.fullmatch(r"[1-5](?:\d\d|XX)", status)):
            raise self.spec.error(
                where, f"{status!r} is not a status code, a range such as 4XX, or 'default'"
            )
        component_where, node = self.follow(raw, where, "/components/responses/")
        if component_where != where:
            hint = class_name(component_where.rsplit("/", 1)[1])
        else:
            hint = hint + pascal(_status_phrase(status)) + "Response"
        content = node.get("content", {})
        contents = []
        for content_type, media in content.items():
            media_where = jp.join(component_where, "content", content_type)
            if not is_json(content_type) or "schema" not in media:
                contents.append(
                    ir.ResponseContent(
                        content_type=content_type, type=None, is_json=is_json(content_type)
                    )
                )
                continue
            own_hint = hint if len(content) == 1 else hint + pascal(content_type.split("/")[-1])
            type_, _ = self.schema(media["schema"], jp.join(media_where, "schema"), own_hint)
            contents.append(ir.ResponseContent(content_type=content_type, type=type_, is_json=True))
        return ir.Response(
            status=status,
            description=_text(node.get("description")) or "",
            contents=tuple(contents),
            pointer=component_where,
        )

    # -- schemas -----------------------------------------------------------------------------

    def schema(self, node: Any, where: str, hint: str) -> tuple[ir.TypeExpr, bool]:
        """The type a schema describes and whether ``null`` is allowed in its place."""
        if not isinstance(node, dict):
            raise self.spec.error(where, "a schema must be an object")
        if "$ref" in node:
            target, _ = self.follow(node, where, "/components/schemas/")
            key = target.rsplit("/", 1)[1]
            return self.schema(
                self.doc["components"]["schemas"][jp.unescape(key)],
                target,
                self.component_class(jp.unescape(key)),
            )
        if where in self.resolved:
            return self.resolved[where]
        for keyword in _UNSUPPORTED:
            if keyword in node:
                raise self.spec.error(
                    jp.join(where, keyword), f"'{keyword}' schemas are not supported yet"
                )
        nullable = bool(node.get("nullable", False))
        if "allOf" in node:
            parts = node["allOf"]
            if len(parts) != 1:
                raise self.spec.error(
                    jp.join(where, "allOf"),
                    "only a single-element allOf (a wrapped reference) is supported",
                )
            type_, inner_nullable = self.schema(parts[0], jp.join(where, "allOf", 0), hint)
            result: tuple[ir.TypeExpr, bool] = (type_, nullable or inner_nullable)
        elif "enum" in node:
            result = (self.enum(node, where, hint), nullable or None in node["enum"])
        else:
            result = (self.plain_schema(node, where, hint), nullable)
        self.resolved[where] = result
        return result

    def plain_schema(self, node: Mapping[str, Any], where: str, hint: str) -> ir.TypeExpr:
        kind = node.get("type")
        if kind == "object" or (kind is None and "properties" in node):
            extra = node.get("additionalProperties", False)
            if "properties" not in node and extra is not False:
                if extra is True or extra == {}:
                    return ir.MapOf(values=ir.Primitive("any"))
                values, values_nullable = self.schema(
                    extra, jp.join(where, "additionalProperties"), hint + "Value"
                )
                return ir.MapOf(values=values, values_nullable=values_nullable)
            return self.model(node, where, hint)
        if kind == "array":
            if "items" not in node:
                raise self.spec.error(where, "an array schema needs 'items'")
            items, items_nullable = self.schema(
                node["items"], jp.join(where, "items"), hint + "Item"
            )
            return ir.ArrayOf(items=items, items_nullable=items_nullable)
        if kind == "string":
            fmt = node.get("format")
            kinds: dict[str | None, ir.PrimitiveKind] = {"date-time": "datetime", "date": "date"}
            return ir.Primitive(
                kinds.get(fmt, "str"),
                format=fmt,
                min_length=node.get("minLength"),
                max_length=node.get("maxLength"),
            )
        if kind in ("integer", "number"):
            return ir.Primitive(
                "int" if kind == "integer" else "float",
                format=node.get("format"),
                minimum=node.get("minimum"),
                maximum=node.get("maximum"),
            )
        if kind == "boolean":
            return ir.Primitive("bool")
        if kind is None:
            return ir.Primitive("any")
        raise self.spec.error(jp.join(where, "type"), f"unsupported type {kind!r}")

    def model(self, node: Mapping[str, Any], where: str, name: str) -> ir.ModelRef:
        self.claim(name, where)
        ref = ir.ModelRef(name)
        # Registered before its fields are resolved, so that a recursive schema terminates.
        self.resolved[where] = (ref, bool(node.get("nullable", False)))
        required = node.get("required", [])
        properties = node.get("properties", {})
        for index, key in enumerate(required):
            if key not in properties:
                raise self.spec.error(
                    jp.join(where, "required", index), f"{key!r} is required but not a property"
                )
        fields: list[ir.Field] = []
        attrs: dict[str, str] = {}
        for key, prop in properties.items():
            prop_where = jp.join(where, "properties", key)
            attr = identifier(key, reserved=MODEL_RESERVED)
            if attr in attrs:
                raise self.spec.error(
                    prop_where, f"{key!r} and {attrs[attr]!r} would both be the attribute {attr}"
                )
            attrs[attr] = key
            type_, nullable = self.schema(prop, prop_where, name + pascal(key))
            fields.append(
                ir.Field(
                    wire_name=key,
                    attr=attr,
                    type=type_,
                    required=key in required,
                    nullable=nullable,
                    description=_text(prop.get("description")) if isinstance(prop, dict) else None,
                    pointer=prop_where,
                    default=prop.get("default") if isinstance(prop, dict) else None,
                )
            )
        schema_name = (
            where.rsplit("/", 1)[1]
            if where.startswith("/components/schemas/") and where.count("/") == 3
            else None
        )
        self.models[name] = ir.Model(
            name=name,
            description=_text(node.get("description")) or _text(node.get("title")),
            fields=tuple(fields),
            pointer=where,
            schema_name=jp.unescape(schema_name) if schema_name else None,
        )
        return ref

    def enum(self, node: Mapping[str, Any], where: str, name: str) -> ir.EnumRef:
        values = tuple(v for v in node["enum"] if v is not None)
        kind = node.get("type", "string")
        expected = str if kind == "string" else int
        for index, value in enumerate(node["enum"]):
            if value is not None and (type(value) is not expected):
                raise self.spec.error(jp.join(where, "enum", index), f"{value!r} is not a {kind}")
        if kind not in ("string", "integer"):
            raise self.spec.error(
                jp.join(where, "type"), "only string and integer enums are supported"
            )
        members = tuple(
            constant(str(v)) if kind == "string" else f"VALUE_{v}".replace("-", "MINUS_")
            for v in values
        )
        for index, member in enumerate(members):
            if members.index(member) != index:
                raise self.spec.error(
                    jp.join(where, "enum", index),
                    f"{values[index]!r} and another value would both be {name}.{member}",
                )
        self.claim(name, where)
        self.enums[name] = ir.Enum(
            name=name,
            values=values,
            members=members,
            description=_text(node.get("description")),
            pointer=where,
        )
        return ir.EnumRef(name)

    # -- helpers -----------------------------------------------------------------------------

    def component_class(self, key: str) -> str:
        """The class of a component schema: its key in PascalCase.

        Descriptions often name a nullable copy of schema ``x`` ``nullable-x``; the
        nullability belongs to the fields that use it, so the class drops the prefix unless
        ``x`` exists as well.
        """
        if (
            key.startswith("nullable-")
            and key.removeprefix("nullable-") not in self.component_names
        ):
            key = key.removeprefix("nullable-")
        return class_name(key)

    def claim(self, name: str, where: str) -> None:
        if name in self.owners and self.owners[name] != where:
            raise self.spec.error(
                where,
                f"would be the class {name}, which {self.owners[name]} already is; "
                "rename one of them",
            )
        self.owners[name] = where

    def follow(self, node: Any, where: str, prefix: str) -> tuple[str, Mapping[str, Any]]:
        """Follow ``$ref``s from ``node`` to the object they name: (its pointer, the object)."""
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            ref_where = jp.join(where, "$ref")
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise self.spec.error(
                    ref_where, f"only local references (#/...) are supported, not {ref!r}"
                )
            target = ref[1:]
            if not target.startswith(prefix):
                raise self.spec.error(ref_where, f"{ref} must point into #{prefix}")
            if target in seen:
                raise self.spec.error(ref_where, f"{ref} is part of a reference cycle")
            seen.add(target)
            try:
                node = jp.resolve(self.doc, target)
            except KeyError:
                raise self.spec.error(ref_where, f"{ref} points at nothing") from None
            where = target
        if not isinstance(node, dict):
            raise self.spec.error(where, "expected an object here")
        return where, node


def _status_phrase(status: str) -> str:
    from http import HTTPStatus

    if status.isdigit():
        try:
            return HTTPStatus(int(status)).phrase
        except ValueError:
            return f"status {status}"
    return "default" if status == "default" else f"status {status}"


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
