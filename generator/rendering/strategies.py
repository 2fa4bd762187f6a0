"""Stage 3c: hypothesis strategies for every schema, beside (not inside) the runtime package.

Each model gets a strategy of the JSON objects its schema allows, built from
``fixed_dictionaries`` (required properties always drawn, optional ones sometimes left out),
and each operation a strategy of valid keyword arguments. Drawing from generated strategies is
many times faster than interpreting the JSON schema at test time, and they follow the
intermediate model, so they agree with the client by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from generator.model import ir
from generator.model.resolve import is_json
from generator.planning.operations import body_argument_name
from generator.rendering.package import environment

# Format -> strategy constant of the template; anything else is plain text.
_STRING_FORMATS = {"date-time": "DATE_TIMES", "date": "DATES", "uri": "URIS"}


@dataclass(frozen=True)
class Fields:
    """The strategies of one object's properties (or one operation's keyword arguments)."""

    key: str  # a model's class name, or an operation's "namespace.method"
    required: tuple[tuple[str, str], ...]  # (name, strategy expression)
    optional: tuple[tuple[str, str], ...]


def strategy_expression(type_: ir.TypeExpr, nullable: bool, api: ir.Api) -> str:
    """The strategy of JSON values of ``type_`` (and ``null`` when ``nullable``)."""
    if isinstance(type_, ir.Primitive):
        expression = _primitive(type_)
    elif isinstance(type_, ir.ModelRef):
        expression = f"ref({type_.name!r})"
    elif isinstance(type_, ir.UnionRef):
        expression = f"union_ref({type_.name!r})"
    elif isinstance(type_, ir.EnumRef):
        values = ", ".join(repr(v) for v in api.enum(type_.name).values)
        expression = f"st.sampled_from([{values}])"
    elif isinstance(type_, ir.ArrayOf):
        items = strategy_expression(type_.items, type_.items_nullable, api)
        expression = f"st.lists({items}, max_size=MAX_ITEMS)"
    else:
        values = strategy_expression(type_.values, type_.values_nullable, api)
        expression = f"st.dictionaries(TEXTS, {values}, max_size=MAX_ITEMS)"
    return f"st.none() | {expression}" if nullable else expression


def union_expression(union: ir.Union, api: ir.Api) -> str:
    """Any variant of ``union``; with a discriminator, each object carrying one of its values."""
    tags: dict[int, list[str]] = {}
    for value, index in union.mapping:
        tags.setdefault(index, []).append(value)
    variants = []
    for index, variant in enumerate(union.variants):
        expression = strategy_expression(variant, False, api)
        # (A discriminator tells objects apart; a spec may map a value to an array too.)
        if union.discriminator is not None and index in tags and isinstance(variant, ir.ModelRef):
            expression = f"tagged({expression}, {union.discriminator!r}, {tags[index]!r})"
        variants.append(expression)
    return "st.one_of(" + ", ".join(variants) + ")"


def _body_expression(body: ir.RequestBody, api: ir.Api) -> str:
    """JSON values of a JSON body; text of a text body; bytes of a binary one."""
    if is_json(body.content_type):
        return strategy_expression(body.type, body.nullable, api)
    if isinstance(body.type, ir.Primitive) and body.type.format == "binary":
        return "st.binary(max_size=64)"
    return "TEXTS"


def _primitive(type_: ir.Primitive) -> str:
    if type_.kind in ("str", "datetime", "date"):
        if type_.format in _STRING_FORMATS:
            return _STRING_FORMATS[type_.format]
        if type_.pattern is not None:
            return f"matching({type_.pattern!r}, {type_.min_length or 0}, {type_.max_length!r})"
        if type_.min_length is None and type_.max_length is None:
            return "TEXTS"
        return f"text({type_.min_length or 0}, {type_.max_length!r})"
    if type_.kind == "int":
        if type_.minimum is None and type_.maximum is None:
            return "INTEGERS"
        return f"integers({_bound(type_.minimum)}, {_bound(type_.maximum)})"
    if type_.kind == "float":
        if type_.minimum is None and type_.maximum is None:
            return "NUMBERS"
        return f"numbers({_bound(type_.minimum)}, {_bound(type_.maximum)})"
    if type_.kind == "bool":
        return "BOOLEANS"
    return "JSON_VALUES"


def _bound(value: float | None) -> str:
    if value is None:
        return "None"
    return repr(int(value)) if float(value).is_integer() else repr(value)


def plan_models(api: ir.Api) -> tuple[Fields, ...]:
    return tuple(
        Fields(
            key=model.name,
            required=tuple(
                (f.wire_name, strategy_expression(f.type, f.nullable, api))
                for f in model.fields
                if f.required
            ),
            optional=tuple(
                (f.wire_name, strategy_expression(f.type, f.nullable, api))
                for f in model.fields
                if not f.required
            ),
        )
        for model in api.models
    )


def plan_arguments(api: ir.Api) -> tuple[Fields, ...]:
    plans = []
    for op in api.operations:
        arguments: list[tuple[str, str, bool]] = [
            (p.attr, strategy_expression(p.type, p.nullable, api), p.required)
            for p in op.parameters
            if p.location != "path"
        ]
        if op.body is not None:
            for argument in op.body.arguments:
                field = argument.field
                expression = strategy_expression(field.type, field.nullable, api)
                arguments.append((argument.name, expression, field.required))
            if not op.body.arguments:
                # A body that is not one object is one argument.
                name = body_argument_name(op)
                arguments.append((name, _body_expression(op.body, api), op.body.required))
        plans.append(
            Fields(
                key=f"{op.namespace}.{op.method_name}",
                required=tuple((name, expr) for name, expr, required in arguments if required),
                optional=tuple((name, expr) for name, expr, required in arguments if not required),
            )
        )
    return tuple(plans)


def render_strategies(api: ir.Api, header: str, env: jinja2.Environment | None = None) -> str:
    env = env or environment()
    template = env.get_template("strategies.py.jinja")
    return template.render(
        header=header,
        title=api.title,
        package=api.client.package,
        models=plan_models(api),
        unions=[(u.name, union_expression(u, api)) for u in api.unions],
        operations=plan_arguments(api),
    )
