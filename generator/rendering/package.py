"""Stage 3b: the runtime package, rendered from Jinja2 templates.

Templates hold the layout of each file; the plans they lay out (``codec``, ``operations``)
and the model classes (``render_models``) are computed before rendering.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import jinja2

from generator import __version__
from generator.model import ir
from generator.planning import codec
from generator.planning.accelerated import plan_structs, struct_helpers
from generator.planning.errors import plan_errors
from generator.planning.model_modules import ModelModule, plan_model_modules, references
from generator.planning.operations import Namespace, plan_namespaces
from generator.planning.waiters import plan_waiters
from generator.rendering.models import ModelSource

TEMPLATES = Path(__file__).parent / "templates" / "package"
RUNTIME = Path(__file__).resolve().parents[1] / "runtime"

# Output file -> template: what the spec decides. Files without a template (py.typed) are
# written empty.
PACKAGE_FILES = {
    "__init__.py": "__init__.py.jinja",
    "_accelerated.py": "_accelerated.py.jinja",
    "_settings.py": "_settings.py.jinja",
    "client.py": "client.py.jinja",
    "errors.py": "errors.py.jinja",
    "py.typed": None,
}
# What every spec shares: the modules of generator/runtime, copied verbatim under the header.
# Its _settings.py is only a stand-in for type-checking there; the template above writes the
# real one.
RUNTIME_FILES = (
    "_arguments.py",
    "_lazy.py",
    "_base_client.py",
    "_calls.py",
    "_codec.py",
    "_exceptions.py",
    "_pagination.py",
    "_rate_limits.py",
    "_retries.py",
    "_types.py",
    "_waiters.py",
)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["py"] = python_literal
    env.filters["py_tuple"] = lambda values: (
        "(" + "".join(python_literal(v) + ", " for v in values) + ")"
    )
    env.filters["doc"] = docstring_text
    env.filters["para"] = paragraphs
    env.filters["lower_or_none"] = lambda value: value.lower() if isinstance(value, str) else value
    return env


def python_literal(value: Any) -> str:
    """A Python literal for a str, int, float, bool or None."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise TypeError(f"no literal for {value!r}")


def docstring_text(value: str) -> str:
    """Text that can sit inside a triple-quoted docstring as is."""
    return value.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()


def paragraphs(text: str, indent: int, hanging: int | None = None, width: int = 100) -> str:
    """``text`` as indented docstring lines, wrapped to ``width``; paragraphs stay apart.

    ``hanging`` indents the lines after the first (the rest of an ``Args:`` entry, say).
    """
    later = " " * (indent if hanging is None else hanging)
    blocks = []
    for index, block in enumerate(text.split("\n\n")):
        first = " " * indent if index == 0 else later
        blocks.append(
            textwrap.fill(
                " ".join(block.split()),
                width,
                initial_indent=first,
                subsequent_indent=later,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n\n".join(blocks)


def render_package(api: ir.Api, header: str, models: ModelSource) -> dict[str, str]:
    """The package's files by name, rendered but not yet formatted, around ``models``."""
    env = environment()
    tag_descriptions = {name: text.rstrip(".") for name, text in api.tag_descriptions}
    namespaces = plan_namespaces(api, tag_descriptions)
    methods = {m.operation_id: m for ns in namespaces for m in ns.methods}
    context = {
        "header": header,
        "title": api.title,
        "version": __version__,
        "client": api.client,
        "namespaces": namespaces,
        "waiters": plan_waiters(api, methods),
        "dcg_imports": models.imports,
        "example": _example(namespaces),
        **_accelerator_context(api),
        **plan_errors(api),
    }
    files = {}
    for name, template in PACKAGE_FILES.items():
        files[name] = env.get_template(template).render(context) if template else ""
    refs = references(api)
    modules = plan_model_modules(api, refs)
    facade = [(m.name, _public(m, api)) for m in modules]
    names = sorted(name for _, offered in facade for name in offered)
    files.update(_resource_modules(env, context, namespaces, set(names)))
    files.update(_model_modules(env, context, api, models, modules, refs))
    for name in ("models.py", "models.pyi"):
        files[name] = env.get_template(f"{name}.jinja").render(
            {**context, "facade": facade, "facade_names": names}
        )
    for name in RUNTIME_FILES:
        files[name] = f"{header}\n{(RUNTIME / name).read_text(encoding='utf-8')}"
    return dict(sorted(files.items()))


def _resource_modules(
    env: jinja2.Environment,
    context: dict[str, Any],
    namespaces: tuple[Namespace, ...],
    offered: set[str],
) -> dict[str, str]:
    """``_resources/<tag>.py`` for each namespace, importing the names of ``models`` (those
    ``offered``) its code uses."""
    body_template = env.get_template("_resource_body.jinja")
    module_template = env.get_template("_resource.py.jinja")
    files = {
        "_resources/__init__.py": (
            f'{context["header"]}\n"""The operations, one module per tag (see ``client``)."""\n'
        )
    }
    for ns in namespaces:
        body = body_template.render({**context, "ns": ns})
        used = sorted(offered.intersection(_WORD.findall(body)))
        files[f"_resources/{ns.module}.py"] = module_template.render(
            {**context, "ns": ns, "body": body, "model_imports": used}
        )
    return files


_WORD = re.compile(r"\b[A-Za-z_]\w*")


def _public(module: ModelModule, api: ir.Api) -> list[str]:
    """What ``models`` offers of ``module``: its classes, type aliases and union decoders."""
    aliases = [u for u in module.unions if api.union(u).alias]
    decoders = [codec.union_decoder_name(u) for u in module.unions]
    return [*module.enums, *module.models, *aliases, *decoders]


def _model_modules(
    env: jinja2.Environment,
    context: dict[str, Any],
    api: ir.Api,
    models: ModelSource,
    modules: tuple[ModelModule, ...],
    refs: dict[str, list[str]],
) -> dict[str, str]:
    """``_models/<name>.py`` for each module: its classes, their codecs, its unions' decoders,
    and imports of what it uses from the others (which never import it back)."""
    template = env.get_template("_model_module.py.jinja")
    home = {name: m.name for m in modules for name in m.names()}
    public = {m.name: set(_public(m, api)) for m in modules}
    classes = dict(models.classes)
    files = {
        "_models/__init__.py": (
            f'{context["header"]}\n"""The definitions behind ``models``: see there."""\n'
        )
    }
    for module in modules:
        local = frozenset(module.models)
        needed: dict[str, set[str]] = {}
        for name in _outside(module, refs, api, home):
            found = home[name]
            wanted = {name, codec.union_decoder_name(name)} & public[found]
            needed.setdefault(found, set()).update(wanted)
        first = (module.models + module.enums + module.unions)[0]
        order = [name for name, _ in models.classes if home.get(name) == module.name]
        files[f"_models/{module.name}.py"] = template.render(
            {
                **context,
                "module_doc": f"{first} and the types only it uses",
                "cross_imports": [(m, sorted(n)) for m, n in sorted(needed.items()) if n],
                "classes": "\n\n\n".join(classes[name] for name in order),
                "codecs": [codec.plan(api.model(m), api, local) for m in module.models],
                "unions": [codec.plan_union(api.union(u), api, local) for u in module.unions],
            }
        )
    return files


def _outside(
    module: ModelModule, refs: dict[str, list[str]], api: ir.Api, home: dict[str, str]
) -> set[str]:
    """The names of other modules ``module`` refers to; through a union that is not a type
    alias, the types it is spelled out with as well (annotations name them)."""
    found: set[str] = set()
    pending = [t for name in module.names() for t in refs[name]]
    unions = {u.name for u in api.unions if not u.alias}
    while pending:
        name = pending.pop()
        if name in found:
            continue
        if home[name] != module.name:
            found.add(name)
        if name in unions:
            pending.extend(refs[name])
    return found


def _accelerator_context(api: ir.Api) -> dict[str, Any]:
    plans = plan_structs(api)
    used = {p.model for p in plans} | {name for p in plans for name in p.enums}
    used |= {name for p in plans for name in p.decoders}
    # What each struct's definition and conversion name of the models: brought in when the
    # struct is first defined, so that the module loads no model by itself.
    uses = {
        p.model: sorted(
            used.intersection(
                {p.model, *p.enums, *p.decoders}
                | {w for f in p.fields for w in _WORD.findall(f.annotation + " " + f.convert)}
            )
        )
        for p in plans
    }
    return {
        "plans": plans,
        "imports": sorted(used),
        "uses": uses,
        "struct_helpers": struct_helpers(plans),
    }


def _example(namespaces: tuple[Namespace, ...]) -> dict[str, str]:
    method = namespaces[0].methods[0]
    return {
        "namespace": namespaces[0].attr,
        "method": method.name,
        "arguments": ", ".join(f'"{a.name}"' for a in method.positional),
    }
