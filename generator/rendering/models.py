"""Stage 3a: the model classes, written by datamodel-code-generator.

The generator hands datamodel-code-generator a schema document of its own making, one
component per class, already named and already flattened, so that every naming decision stays
in ``resolve``. What comes back is checked against the intermediate model (every class, every
attribute, every annotation), so that an upgrade of datamodel-code-generator that changes its
output fails generation loudly instead of producing a codec that disagrees with its models.
"""

from __future__ import annotations

import ast
import textwrap
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError
from generator.model import ir
from generator.planning import codec
from generator.planning.typing_hints import annotation, enum_value_types, field_annotation

DCG_TEMPLATES = Path(__file__).parent / "templates" / "dcg"
DOCSTRING_WIDTH = 88  # leaves room for indentation within the 100-column line length

_REF = "#/components/schemas/"


def dcg_version() -> str:
    return version("datamodel-code-generator")


@dataclass(frozen=True)
class ModelSource:
    """The classes datamodel-code-generator wrote: its import statements, and each class's
    source by name, in the order a module defines them."""

    imports: tuple[str, ...]
    classes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Expected:
    """What one run of datamodel-code-generator must write, as the intermediate model says."""

    models: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # class -> attr, annotation
    enums: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()  # enum -> member, value
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {n for n, _ in self.models} | {n for n, _ in self.enums} | set(self.aliases)


@dataclass(frozen=True)
class Job:
    """One run of datamodel-code-generator: a document of some of the classes, and stubs.

    A stub stands for a class of another run that one of these refers to: it is in the
    document so that the reference resolves, and what is written for it is left out.
    """

    document: str  # JSON
    extra: dict[str, dict[str, Any]]
    expected: Expected
    stubs: tuple[str, ...]


@dataclass(frozen=True)
class Written:
    """What one run wrote: its import statements, and each class's source by name."""

    imports: tuple[str, ...]
    classes: tuple[tuple[str, str], ...]


def run_job(job: Job) -> Written:
    """Run datamodel-code-generator on ``job``; what it wrote is checked against the IR."""
    # Imported here: datamodel-code-generator takes a while to import and only this stage uses it.
    from collections import defaultdict

    from datamodel_code_generator import DatetimeClassType, InputFileType, generate
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import PythonVersion

    extra: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    extra.update(job.extra)
    with warnings.catch_warnings():
        # It warns about options it considers unusual; what it writes is verified below.
        warnings.simplefilter("ignore")
        source = generate(
            job.document,
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.DataclassesDataclass,
            target_python_version=PythonVersion.PY_310,
            dataclass_arguments={"kw_only": True, "slots": True},
            keyword_only=True,
            disable_timestamp=True,
            use_union_operator=True,
            use_standard_collections=True,
            use_schema_description=True,
            use_field_description=True,
            use_subclass_enum=True,
            strict_nullable=True,
            output_datetime_class=DatetimeClassType.Datetime,
            custom_template_dir=DCG_TEMPLATES,
            extra_template_data=extra,
            formatters=[],
        )
    if not isinstance(source, str):
        raise GeneratorError(
            f"datamodel-code-generator returned {type(source).__name__}, expected one module"
        )
    return _checked(source, job.expected, frozenset(job.stubs))


def model_extra(model: ir.Model) -> dict[str, Any]:
    """What the dataclass template needs beyond the schema: the codec's function names."""
    return {
        "decoder": codec.decoder_name(model.name),
        "encoder": codec.encoder_name(model.name),
        "extra_attr": model.extra_attr if model.extra is not None else None,
    }


def expected_of(api: ir.Api) -> dict[str, Expected]:
    """Each class's expectation by name (merged per run by ``merge_expected``)."""
    found: dict[str, Expected] = {}
    for model in api.models:
        wanted = {f.attr: field_annotation(f, api) for f in model.fields}
        if model.extra is not None:
            wanted[model.extra_attr] = annotation(ir.MapOf(model.extra, model.extra_nullable), api)
        found[model.name] = Expected(models=((model.name, tuple(wanted.items())),))
    for enum in api.enums:
        members = tuple(zip(enum.members, enum.values, strict=True))
        found[enum.name] = Expected(enums=((enum.name, members),))
    for union in api.unions:
        if union.alias:
            found[union.name] = Expected(aliases=(union.name,))
    return found


def merge_expected(parts: list[Expected]) -> Expected:
    return Expected(
        models=tuple(m for p in parts for m in p.models),
        enums=tuple(e for p in parts for e in p.enums),
        aliases=tuple(a for p in parts for a in p.aliases),
    )


def dcg_schemas(api: ir.Api) -> dict[str, Any]:
    """One component schema per class, keyed by its final class name.

    A union of a component schema is a component too, which datamodel-code-generator writes
    as a type alias; any other union is spelled out where it is used.
    """
    schemas: dict[str, Any] = {}
    for enum in api.enums:
        kinds = {type(value) for value in enum.values}
        schemas[enum.name] = {
            **(
                {"type": "string"}
                if kinds == {str}
                else {"type": "integer"}
                if kinds == {int}
                else {}
            ),
            "enum": list(enum.values),
            "x-enum-varnames": list(enum.members),
            **_described(enum.description),
        }
    for model in api.models:
        properties = {f.attr: _field_schema(f, api) for f in model.fields}
        required = [f.attr for f in model.fields if f.required]
        if model.extra is not None:
            properties[model.extra_attr] = _type_schema(
                ir.MapOf(model.extra, model.extra_nullable), api
            )
            required.append(model.extra_attr)
        schemas[model.name] = {
            "type": "object",
            "properties": properties,
            "required": required,
            **_described(model.description),
        }
    for union in api.unions:
        if union.alias:
            schemas[union.name] = {
                "anyOf": [_type_schema(v, api) for v in union.variants],
                **_described(union.description),
            }
    return schemas


def dcg_document(api: ir.Api, schemas: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI document of ``schemas``, for datamodel-code-generator to read."""
    return {
        "openapi": "3.0.3",
        "info": {"title": api.title, "version": api.version},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _field_schema(field: ir.Field, api: ir.Api) -> dict[str, Any]:
    schema = _type_schema(field.type, api)
    if field.nullable and (schema or not field.required):  # as field_annotation has it
        schema = {"allOf": [schema]} if "$ref" in schema else schema
        schema["nullable"] = True
    schema.update(_described(field.description))
    return schema


def _type_schema(type_: ir.TypeExpr, api: ir.Api) -> dict[str, Any]:
    if isinstance(type_, ir.Primitive):
        return {
            "str": {"type": "string"},
            "int": {"type": "integer"},
            "float": {"type": "number"},
            "bool": {"type": "boolean"},
            "datetime": {"type": "string", "format": "date-time"},
            "date": {"type": "string", "format": "date"},
            "any": {},
        }[type_.kind]
    if isinstance(type_, ir.ModelRef):
        return {"$ref": _REF + type_.name}
    if isinstance(type_, ir.EnumRef):
        # Open enums: a value the spec does not list yet is kept as it is.
        kinds = enum_value_types(api.enum(type_.name))
        json_types = {"str": "string", "int": "integer"}
        return {"anyOf": [{"$ref": _REF + type_.name}, *({"type": json_types[k]} for k in kinds)]}
    if isinstance(type_, ir.UnionRef):
        union = api.union(type_.name)
        if union.alias:
            return {"$ref": _REF + type_.name}
        if len(union.variants) == 1:  # (alternatives that were all the same)
            return _type_schema(union.variants[0], api)
        return {"anyOf": [_type_schema(v, api) for v in union.variants]}
    if isinstance(type_, ir.ArrayOf):
        items = _type_schema(type_.items, api)
        if type_.items_nullable:
            # As a null alternative: datamodel-code-generator drops some nullable items.
            items = {"anyOf": [items, {"type": "null"}]}
        return {"type": "array", "items": items}
    values = _type_schema(type_.values, api)
    if type_.values_nullable and values:
        values = {"anyOf": [values, {"type": "null"}]}
    return {"type": "object", "additionalProperties": values or True}


def _described(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    # The text goes between triple quotes (datamodel-code-generator escapes backslashes).
    text = text.replace('"""', "'''")
    paragraphs = [textwrap.fill(p, DOCSTRING_WIDTH) for p in text.split("\n\n")]
    return {"description": "\n\n".join(paragraphs)}


def _checked(source: str, expected: Expected, stubs: frozenset[str]) -> Written:
    """The classes of ``source`` by name, after checking that they are exactly ``expected``
    (every class, every attribute, every annotation, every enum member), stubs left out."""
    tree = ast.parse(source)
    lines = source.splitlines()
    imports: list[str] = []
    found: dict[str, ast.ClassDef] = {}
    aliases: set[str] = set()
    spans: dict[str, tuple[int, int]] = {}  # name -> first and last line
    last: str | None = None
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                imports.append(ast.unparse(node))
            continue
        if (
            last in aliases
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            spans[last] = (spans[last][0], node.end_lineno or node.lineno)  # its docstring
            continue
        if isinstance(node, ast.ClassDef):
            name = node.name
            found[name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            aliases.add(name)
        else:
            raise GeneratorError(
                f"datamodel-code-generator wrote an unexpected statement: {ast.unparse(node)}"
            )
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        spans[name] = (first, node.end_lineno or node.lineno)
        last = name
    chunks = {name: "\n".join(lines[first - 1 : end]) for name, (first, end) in spans.items()}
    aliases -= stubs
    if aliases != set(expected.aliases):
        raise GeneratorError(f"datamodel-code-generator wrote the type aliases {sorted(aliases)}")
    names = set(found) - stubs
    wanted_names = {n for n, _ in expected.models} | {n for n, _ in expected.enums}
    if names != wanted_names:
        raise GeneratorError(
            "datamodel-code-generator wrote the classes "
            f"{sorted(names - wanted_names)} and left out {sorted(wanted_names - names)}"
        )
    for name, attributes in expected.models:
        written = {
            node.target.id: _deduplicated(node.annotation)
            for node in found[name].body
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        }
        wanted = dict(attributes)
        if written != wanted:
            differences = sorted(
                f"{attr}: wrote {written.get(attr)!r}, expected {wanted.get(attr)!r}"
                for attr in set(written) | set(wanted)
                if written.get(attr) != wanted.get(attr)
            )
            raise GeneratorError(
                f"datamodel-code-generator wrote {name} unlike the spec: {differences}"
            )
    for name, enum_members in expected.enums:
        members = {
            target.id: ast.literal_eval(node.value)
            for node in found[name].body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        if members != dict(enum_members):
            raise GeneratorError(f"datamodel-code-generator wrote the enum {name} as {members}")
    return Written(
        imports=tuple(imports),
        classes=tuple((n, chunks[n]) for n in sorted(chunks) if n not in stubs),
    )


def _deduplicated(annotation: ast.expr) -> str:
    """An annotation with each alternative once (``int | float | int`` means ``int | float``)."""
    parts: list[str] = []

    def collect(node: ast.expr) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            collect(node.left)
            collect(node.right)
        elif ast.unparse(node) not in parts:
            parts.append(ast.unparse(node))

    collect(annotation)
    return " | ".join(parts)
