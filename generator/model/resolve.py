"""Stage 2: resolve the spec's ``$ref``s and decide every name, giving the intermediate model.

This module resolves the operations (parameters, request bodies, responses); the schemas they
use are resolved by ``schemas``, the client settings by ``settings``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.naming import identifier, operation_names
from generator.model.pagination import pagination_of
from generator.model.renaming import name_types
from generator.model.schemas import SchemaResolver, text
from generator.model.settings import client_settings
from generator.model.waiters import build_waiters
from generator.reading import pointer as jp
from generator.reading.loader import Spec

# The one serialisation style each location has by default (OpenAPI 3.0, "style").
_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple"}

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Arguments every operation method takes: a parameter with one of these names gets a trailing
# underscore instead.
ARGUMENT_RESERVED = frozenset({"self", "timeout", "max_retries", "retry_non_idempotent"})

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
        self.schemas = SchemaResolver(spec)
        self.settings = client_settings(spec)

    # -- the document ------------------------------------------------------------------------

    def api(self) -> ir.Api:
        info = self.doc["info"]
        # Components first, in the document's order, then the operations: where a cycle of
        # references is entered (which schema becomes a recursive alias) then depends on the
        # components alone, so adding an operation changes no type that was there.
        # Components no operation uses still belong to the spec's vocabulary.
        for key, node in self.doc.get("components", {}).get("schemas", {}).items():
            where = jp.join("/components/schemas", key)
            if self.schemas.nullable_alias(where) is not None:
                continue  # one class with the schema it copies
            self.schemas.schema(node, where)
        operations = self.operations()
        self.schemas.close_union_cycles()
        api = ir.Api(
            title=info["title"],
            version=info["version"],
            description=text(info.get("description")),
            client=self.settings,
            models=tuple(self.schemas.models.values()),
            enums=tuple(self.schemas.enums.values()),
            unions=tuple(self.schemas.unions.values()),
            operations=operations,
            tag_descriptions=tuple(
                (identifier(tag["name"]), tag["description"].strip())
                for tag in self.doc.get("tags", [])
                if isinstance(tag.get("description"), str)
            ),
            spec_sha256=self.spec.sha256,
            waiters=build_waiters(self.spec, operations, self.schemas),
        )
        # Until now a type names its model, enum or union by pointer: name them all at once.
        return name_types(api, self.doc)

    # -- operations --------------------------------------------------------------------------

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
            body = self.request_body(node["requestBody"], jp.join(where, "requestBody"), taken)

        responses = tuple(
            self.response(status, raw, jp.join(where, "responses", status))
            for status, raw in node["responses"].items()
        )
        if not any(r.status[0] in "23" for r in responses):
            raise self.spec.error(
                jp.join(where, "responses"), "the operation documents no 2xx or 3xx response"
            )

        docs = node.get("externalDocs", {}).get("url")
        pagination = pagination_of(
            self.settings.pagination, parameters, responses, self.schemas.models
        )
        return ir.Operation(
            operation_id=operation_id,
            namespace=namespace,
            method_name=method_name,
            http_method=method.upper(),
            path=path,
            summary=text(node.get("summary")),
            description=text(node.get("description")),
            docs_url=docs,
            deprecated=bool(node.get("deprecated", False)),
            parameters=parameters,
            body=body,
            responses=responses,
            pointer=where,
            pagination=pagination,
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
                param_where, param = self.schemas.follow(
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
                type_, nullable = self.schemas.schema(param["schema"], schema_where)
                if isinstance(type_, (ir.ModelRef, ir.MapOf)):
                    raise self.spec.error(
                        schema_where, "object-valued parameters are not supported"
                    )
                if (
                    location == "query"
                    and param.get("allowEmptyValue") is not True
                    and isinstance(type_, ir.Primitive)
                    and type_.kind == "str"
                    and not type_.min_length
                ):
                    # OpenAPI forbids an empty query value unless allowEmptyValue says otherwise
                    # (a server reads ``?ref=`` as no ``ref`` at all).
                    type_ = dataclasses.replace(type_, min_length=1)
                style = param.get("style", _DEFAULT_STYLES[location])
                if style != _DEFAULT_STYLES[location]:
                    raise self.spec.error(
                        jp.join(param_where, "style"),
                        f"{location} parameters in style {style!r} are not supported",
                    )
                found[(location, param["name"])] = ir.Parameter(
                    name=param["name"],
                    attr=identifier(param["name"], reserved=ARGUMENT_RESERVED),
                    location=location,
                    required=bool(param.get("required", False)),
                    type=type_,
                    nullable=nullable,
                    description=text(param.get("description")),
                    pointer=param_where,
                    explode=param.get("explode", style == "form") is True,
                )
        parameters = tuple(found.values())
        attrs = [p.attr for p in parameters]
        for parameter in parameters:
            if attrs.count(parameter.attr) > 1:
                raise self.spec.error(
                    parameter.pointer, f"two parameters would both be the argument {parameter.attr}"
                )
        return parameters

    def request_body(self, raw: Any, where: str, taken: set[str]) -> ir.RequestBody:
        where, node = self.schemas.follow(raw, where, "/components/requestBodies/")
        content = node["content"]
        # JSON when the spec offers it; else the first type it lists (text, bytes).
        content_type = next((ct for ct in content if is_json(ct)), next(iter(content)))
        schema_where = jp.join(where, "content", content_type, "schema")
        if "schema" in content[content_type]:
            type_, nullable = self.schemas.schema(content[content_type]["schema"], schema_where)
        elif is_json(content_type):
            type_, nullable = ir.Primitive("any"), True
        else:
            type_, nullable = ir.Primitive("str", format="binary"), False
        arguments: tuple[ir.Argument, ...] = ()
        if isinstance(type_, ir.ModelRef):
            model = self.schemas.models[type_.name]
            arguments = tuple(
                ir.Argument(name=identifier(f.attr, reserved=ARGUMENT_RESERVED | taken), field=f)
                for f in model.fields
            )
        return ir.RequestBody(
            content_type=content_type,
            type=type_,
            required=bool(node.get("required", False)),
            nullable=nullable,
            description=text(node.get("description")),
            pointer=schema_where,
            arguments=arguments,
        )

    def response(self, status: str, raw: Any, where: str) -> ir.Response:
        if not (status == "default" or re.fullmatch(r"[1-5](?:\d\d|XX)", status)):
            raise self.spec.error(
                where, f"{status!r} is not a status code, a range such as 4XX, or 'default'"
            )
        component_where, node = self.schemas.follow(raw, where, "/components/responses/")
        content = node.get("content", {})
        contents = []
        for content_type, media in content.items():
            media_where = jp.join(component_where, "content", content_type)
            if "schema" not in media:
                contents.append(
                    ir.ResponseContent(
                        content_type=content_type,
                        type=None,
                        is_json=is_json(content_type),
                        binary=not is_json(content_type),
                    )
                )
                continue
            _, schema = self.schemas.follow(
                media["schema"], jp.join(media_where, "schema"), "/components/schemas/"
            )
            if declares_nothing(schema):
                # "Some object": nothing in it to type or check, so nothing to decode either.
                contents.append(
                    ir.ResponseContent(content_type=content_type, type=None, is_json=True)
                )
                continue
            type_, _ = self.schemas.schema(media["schema"], jp.join(media_where, "schema"))
            # A string under another media type is the body itself (text, or bytes when the
            # spec says binary); anything else can only travel as JSON, whatever its name.
            string = type_ if isinstance(type_, ir.Primitive) and type_.kind == "str" else None
            if string is not None and not is_json(content_type):
                contents.append(
                    ir.ResponseContent(
                        content_type=content_type,
                        type=None,
                        is_json=False,
                        binary=string.format == "binary",
                    )
                )
                continue
            contents.append(ir.ResponseContent(content_type=content_type, type=type_, is_json=True))
        return ir.Response(
            status=status,
            description=text(node.get("description")) or "",
            contents=tuple(contents),
            pointer=component_where,
            headers=tuple(node.get("headers", {})),
        )


# Keywords that say something of a schema's values; an object schema with none of them (and
# no others but prose) declares nothing beyond "an object".
_PROSE = frozenset({"type", "description", "title", "example", "externalDocs"})


def declares_nothing(schema: Mapping[str, Any]) -> bool:
    """Whether ``schema`` is a bare ``type: object``: any object, no property named."""
    return schema.get("type") == "object" and all(
        key in _PROSE or key.startswith("x-") for key in schema
    )
