"""How each operation becomes client methods: the plan the client template lays out.

Everything a method needs is decided here, as strings of Python: its parameters and their
annotations, the checks that run on its arguments before anything is sent, the path it
requests, and how each documented answer is decoded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass

from generator.model import ir
from generator.model.naming import constant, pascal, status_error_name
from generator.model.resolve import is_json
from generator.planning.codec import item_decoder
from generator.planning.typing_hints import annotation


@dataclass(frozen=True)
class Argument:
    """A parameter of an operation method."""

    name: str
    annotation: str
    required: bool
    check: str  # expression checking the argument and giving the value to send
    description: str | None


@dataclass(frozen=True)
class Decoder:
    content_type: str
    expression: str  # a one-argument callable decoding the JSON text of a body


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    decoders: tuple[Decoder, ...]
    error_class: str | None  # the exception a documented error status raises


@dataclass(frozen=True)
class Paging:
    """How a list method's paginator reads each page."""

    item: str  # the annotation of one item
    body: str  # the annotation of a page's decoded body
    items: str  # a one-argument callable: the items of a decoded body
    total: str | None  # a one-argument callable: the count of every item, when a page says


@dataclass(frozen=True)
class Method:
    """One operation, rendered as a method on its namespace (sync, async, with response)."""

    name: str
    operation_id: str
    namespace: str
    builder: str
    responses: str
    http_method: str
    path_expression: str  # an f-string giving the percent-encoded path
    positional: tuple[Argument, ...]
    keywords: tuple[Argument, ...]
    query: tuple[tuple[str, Argument], ...]  # (wire name, argument)
    headers: tuple[tuple[str, Argument], ...]
    body_model: str | None
    body_fields: tuple[tuple[str, Argument], ...]  # (model attribute, argument)
    body_nullable: bool
    body_content_type: str | None
    body_value: Argument | None  # a body that is not an object: one argument, sent whole
    body_encode: str | None  # the bytes sent for ``body_value``, from the checked ``body``
    returns: str
    success: tuple[Answer, ...]
    errors: tuple[Answer, ...]
    summary: str
    description: str | None
    docs_url: str | None
    deprecated: bool
    paging: Paging | None = None

    @property
    def arguments(self) -> tuple[Argument, ...]:
        return self.positional + self.keywords


@dataclass(frozen=True)
class Namespace:
    """The methods of one tag, as ``client.<attr>``."""

    attr: str
    class_name: str
    description: str | None
    methods: tuple[Method, ...]
    module: str  # of the package's _resources/, which holds the namespace


def plan_namespaces(api: ir.Api, tag_descriptions: dict[str, str]) -> tuple[Namespace, ...]:
    grouped: dict[str, list[Method]] = {}
    for operation in api.operations:
        grouped.setdefault(operation.namespace, []).append(plan_method(api, operation))
    return tuple(
        Namespace(
            attr=attr,
            class_name=namespace_class(api, attr),
            description=tag_descriptions.get(attr),
            methods=tuple(methods),
            module=module_name(attr),
        )
        for attr, methods in grouped.items()
    )


def module_name(attr: str) -> str:
    """The module of namespace ``attr``: ``attr`` itself when it is ASCII.

    Python reads a non-ASCII name in an import as its NFKC form, which need not be the file's
    name (``ﬁle`` is imported as ``file``): such a namespace's module is named by a digest.
    """
    if attr.isascii():
        return attr
    return "tag_" + hashlib.sha256(attr.encode()).hexdigest()[:12]


def namespace_class(api: ir.Api, attr: str) -> str:
    """``Pets`` for ``client.pets``; ``PetsOperations`` when a model has that name."""
    models = {m.name for m in api.models} | {e.name for e in api.enums}
    models |= {u.name for u in api.unions}
    name = pascal(attr)
    variants = (name, f"Async{name}", f"{name}WithResponse", f"Async{name}WithResponse")
    return f"{name}Operations" if models.intersection(variants) else name


def plan_method(api: ir.Api, op: ir.Operation) -> Method:
    positional: list[Argument] = []
    query: list[tuple[str, Argument]] = []
    headers: list[tuple[str, Argument]] = []
    path_params = {p.name: p for p in op.parameters if p.location == "path"}
    # Path parameters are positional, in the order the path names them.
    for name in re.findall(r"\{([^{}]+)\}", op.path):
        param = path_params[name]
        positional.append(Argument(param.attr, "str", True, param.attr, param.description))
    for param in op.parameters:
        if param.location == "path":
            continue
        argument = _argument(
            api, param.attr, param.type, param.nullable, param.required, param.description
        )
        if isinstance(param.type, ir.ArrayOf) and param.location == "query" and not param.explode:
            argument = dataclasses.replace(argument, check=f"comma_joined({argument.check})")
        (query if param.location == "query" else headers).append((param.name, argument))

    body_fields: list[tuple[str, Argument]] = []
    body_model = None
    body_value = body_encode = None
    if op.body is not None and isinstance(op.body.type, ir.ModelRef):
        body_model = op.body.type.name
        for arg in op.body.arguments:
            f = arg.field
            body_fields.append(
                (f.attr, _argument(api, arg.name, f.type, f.nullable, f.required, f.description))
            )
    elif op.body is not None:
        # A body that is not one object (a union, an array, text, bytes): one argument.
        body_value, body_encode = _body_argument(api, body_argument_name(op), op.body)

    keywords = [a for _, a in query] + [a for _, a in headers] + [a for _, a in body_fields]
    if body_value is not None:
        keywords.append(body_value)
    # Required keyword arguments first: they have no default.
    keywords.sort(key=lambda a: not a.required)

    success = tuple(_answer(r, None) for r in op.success_responses)
    errors = tuple(
        _answer(r, status_error_name(r.code) if r.code is not None else None)
        for r in op.error_responses
    )
    returns = " | ".join(dict.fromkeys(_returns(api, r) for r in op.success_responses))
    prefix = f"{op.namespace}_{op.method_name}"
    return Method(
        name=op.method_name,
        operation_id=op.operation_id,
        namespace=op.namespace,
        builder=f"_{prefix}_call",
        responses=f"_{constant(prefix)}_RESPONSES",
        http_method=op.http_method,
        path_expression=_path_expression(op.path, path_params),
        positional=tuple(positional),
        keywords=tuple(keywords),
        query=tuple(query),
        headers=tuple(headers),
        body_model=body_model,
        body_fields=tuple(body_fields),
        body_nullable=op.body.nullable if op.body else False,
        body_content_type=op.body.content_type if op.body else None,
        body_value=body_value,
        body_encode=body_encode,
        returns=returns,
        success=success,
        errors=errors,
        summary=op.summary or op.operation_id,
        description=op.description,
        docs_url=op.docs_url,
        deprecated=op.deprecated,
        paging=_paging(op.pagination, returns),
    )


def _paging(pagination: ir.Pagination | None, body: str) -> Paging | None:
    if pagination is None:
        return None
    item = annotation(pagination.items)
    if pagination.items_nullable:
        item += " | None"
    field = pagination.items_field
    total = pagination.total_field
    # A success without data (a 204 for an empty list, say) is a page without items.
    bodiless = "None" in body.split(" | ")
    items = "lambda body: body or []" if bodiless else "lambda body: body"
    if field is not None:
        # An optional or nullable array that is absent or null holds no items.
        empty = " or []" if field.nullable or not field.required else ""
        items = f"body.{field.attr}{empty}"
        items = (
            f"lambda body: [] if body is None else {items}" if bodiless else f"lambda body: {items}"
        )
    counted = None
    if total is not None:
        counted = f"body.{total.attr}"
        if total.nullable or not total.required:
            counted += f" if isinstance(body.{total.attr}, int) else None"
        counted = (
            f"lambda body: None if body is None else {counted}"
            if bodiless
            else f"lambda body: {counted}"
        )
    return Paging(item=item, body=body, items=items, total=counted)


def _path_expression(path: str, params: dict[str, ir.Parameter]) -> str:
    """``/repos/{owner}/x`` -> ``f"/repos/{path_segment('owner', owner)}/x"``.

    A long path is one string literal per segment, so that the formatter can break the line.
    """
    segments: list[tuple[str, str | None]] = []  # (as in an f-string, as a plain literal)
    for segment in re.split(r"(?=/)", path):
        if not segment:
            continue
        pieces, templated = [], False
        for piece in re.split(r"(\{[^{}]+\})", segment):
            match = re.fullmatch(r"\{([^{}]+)\}", piece)
            if match:
                param = params[match.group(1)]
                pieces.append("{path_segment(" + repr(param.name) + ", " + param.attr + ")}")
                templated = True
            else:
                pieces.append(piece.replace("\\", "\\\\").replace('"', '\\"'))
        plain = None if templated else "".join(pieces)
        escaped = "".join(
            p if p.startswith("{path_segment(") else p.replace("{", "{{").replace("}", "}}")
            for p in pieces
        )
        segments.append((escaped, plain))
    whole = 'f"' + "".join(escaped for escaped, _ in segments) + '"'
    if len(whole) <= 80:
        return whole
    literals = [f'f"{escaped}"' if plain is None else f'"{plain}"' for escaped, plain in segments]
    return "(" + " ".join(literals) + ")"


def body_argument_name(op: ir.Operation) -> str:
    """The keyword argument of a body that is not one object: ``body``, unless a parameter
    already takes that name."""
    return "body" if "body" not in {p.attr for p in op.parameters} else "request_body"


def _body_argument(api: ir.Api, name: str, body: ir.RequestBody) -> tuple[Argument, str]:
    """The argument of a body that is not an object, and how the checked value is sent."""
    type_ = body.type
    if is_json(body.content_type):
        argument = _argument(api, name, type_, body.nullable, body.required, body.description)
        return argument, f"encode_json(encode_value({name}))"
    if isinstance(type_, ir.Primitive) and type_.format == "binary":
        check = f"check_bytes({name!r}, {name})"
        return Argument(name, "bytes", body.required, check, body.description), name
    argument = _argument(api, name, ir.Primitive("str"), False, body.required, body.description)
    return argument, f'{name}.encode("utf-8")'


def _argument(
    api: ir.Api,
    name: str,
    type_: ir.TypeExpr,
    nullable: bool,
    required: bool,
    description: str | None,
) -> Argument:
    hint = argument_annotation(api, type_)
    if nullable:
        hint += " | None"
    check = _check(api, name, repr(name), type_, nullable)
    return Argument(name, hint, required, check, _describe(description, type_))


def argument_annotation(api: ir.Api, type_: ir.TypeExpr, seen: frozenset[str] = frozenset()) -> str:
    """What an argument accepts: an enum member or the string of one of its values."""
    if isinstance(type_, ir.EnumRef):
        return f"{type_.name} | {_literal(api.enum(type_.name).values)}"
    if isinstance(type_, ir.ArrayOf):
        return f"list[{argument_annotation(api, type_.items, seen)}]"
    if isinstance(type_, ir.UnionRef):
        if type_.name in seen:  # a union that holds itself is named (it is an alias)
            return type_.name
        variants = api.union(type_.name).variants
        parts = [argument_annotation(api, v, seen | {type_.name}) for v in variants]
        return " | ".join(dict.fromkeys(parts))
    return annotation(type_, api, open_enums=False)


def _literal(values: tuple[str | int, ...]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


def _check(
    api: ir.Api,
    name: str,
    label: str,
    type_: ir.TypeExpr,
    nullable: bool,
    seen: frozenset[str] = frozenset(),
) -> str:
    extra = ", nullable=True" if nullable else ""
    if isinstance(type_, ir.Primitive):
        bounds = ""
        if type_.kind in ("int", "float"):
            for key in ("minimum", "maximum"):
                value = getattr(type_, key)
                if value is not None:
                    bounds += f", {key}={value!r}"
        if type_.kind == "str":
            for key in ("min_length", "max_length"):
                value = getattr(type_, key)
                if value is not None:
                    bounds += f", {key}={value!r}"
        function = {
            "str": "check_str",
            "int": "check_int",
            "float": "check_number",
            "bool": "check_bool",
            "datetime": "check_datetime",
            "date": "check_date",
            "any": "check_any",
        }[type_.kind]
        return f"{function}({label}, {name}{bounds}{extra})"
    if isinstance(type_, ir.EnumRef):
        return f"check_enum({label}, {name}, {type_.name}{extra})"
    if isinstance(type_, ir.ModelRef):
        return f"check_model({label}, {name}, {type_.name}{extra})"
    if isinstance(type_, ir.UnionRef):
        if type_.name in seen:  # a union that holds itself: checked as far as it unfolds
            return f"check_any({label}, {name}{extra})"
        inner = seen | {type_.name}
        checks = "".join(
            f"lambda label, item: {_check(api, 'item', 'label', v, False, inner)}, "
            for v in api.union(type_.name).variants
        )
        return f"check_union({label}, {name}, ({checks}){extra})"
    if isinstance(type_, ir.ArrayOf):
        item = _check(api, "item", "label", type_.items, type_.items_nullable, seen)
        return f"check_list({label}, {name}, lambda label, item: {item}{extra})"
    item = _check(api, "item", "label", type_.values, type_.values_nullable, seen)
    return f"check_map({label}, {name}, lambda label, item: {item}{extra})"


def _describe(description: str | None, type_: ir.TypeExpr) -> str | None:
    notes = []
    if isinstance(type_, ir.Primitive):
        if type_.minimum is not None and type_.maximum is not None:
            notes.append(f"From {type_.minimum:g} to {type_.maximum:g}.")
        elif type_.minimum is not None:
            notes.append(f"At least {type_.minimum:g}.")
        elif type_.maximum is not None:
            notes.append(f"At most {type_.maximum:g}.")
    text = " ".join(filter(None, [description, *notes]))
    return text or None


def _answer(response: ir.Response, error_class: str | None) -> Answer:
    decoders = []
    for content in response.contents:
        if content.type is None:
            if not content.is_json:
                body = "binary_body" if content.binary else "text_body"
                decoders.append(Decoder(content.content_type, body))
            continue  # a JSON body that carries no data is never decoded
        if isinstance(content.type, ir.ModelRef):
            expression = f"{content.type.name}.from_json"
        else:
            expression = f"json_decoder({item_decoder(content.type, outside=True)})"
        decoders.append(Decoder(content.content_type, expression))
    return Answer(response.status, response.description, tuple(decoders), error_class)


def _returns(api: ir.Api, response: ir.Response) -> str:
    """What a success decodes to: None for a JSON body that carries no data (or none at all)."""
    types = []
    for content in response.contents:
        if content.type is not None:
            types.append(annotation(content.type, api))
        elif content.is_json:
            types.append("None")  # no schema, or one that declares nothing: no data
        else:
            types.append("bytes" if content.binary else "str")
    return " | ".join(dict.fromkeys(types)) if types else "None"
