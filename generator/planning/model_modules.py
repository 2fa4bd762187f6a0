"""Which module of the package's ``_models/`` defines each model, enum and union.

Importing one model should load that model and what it refers to, not the thousands of a large
API: ``models`` itself only names them (loading each on first use), and the definitions live in
modules that import one another without a cycle. A module holds one group of types that refer
to each other (a strongly connected component), together with every type that only it uses
(the enums and inline objects of its properties, mostly), so that a module is what one
component schema brings with it.
"""

from __future__ import annotations

import hashlib
import keyword
from dataclasses import dataclass

from generator.model import ir
from generator.model.graphs import components
from generator.model.naming import snake


@dataclass(frozen=True)
class ModelModule:
    """One module of ``_models/``: the names it defines, each list in the IR's order."""

    name: str
    models: tuple[str, ...]
    enums: tuple[str, ...]
    unions: tuple[str, ...]

    def names(self) -> frozenset[str]:
        return frozenset(self.models + self.enums + self.unions)


def references(api: ir.Api) -> dict[str, list[str]]:
    """Each model, enum and union by name -> the names its definition refers to."""
    refs: dict[str, list[str]] = {}
    named = (ir.ModelRef, ir.EnumRef, ir.UnionRef)
    for model in api.models:
        types = [f.type for f in model.fields] + ([model.extra] if model.extra else [])
        leaves = [leaf for t in types for leaf in ir.leaves(t) if isinstance(leaf, named)]
        refs[model.name] = list(dict.fromkeys(leaf.name for leaf in leaves))
    for enum in api.enums:
        refs[enum.name] = []
    for union in api.unions:
        leaves = [leaf for v in union.variants for leaf in ir.leaves(v) if isinstance(leaf, named)]
        refs[union.name] = list(dict.fromkeys(leaf.name for leaf in leaves))
    return refs


def plan_model_modules(
    api: ir.Api, refs: dict[str, list[str]] | None = None
) -> tuple[ModelModule, ...]:
    """The modules of ``_models/``; ``refs`` is ``references(api)`` when the caller has it."""
    refs = references(api) if refs is None else refs
    groups = components(refs)  # sinks first
    group_of = {name: i for i, group in enumerate(groups) for name in group}
    referrers: dict[int, set[int]] = {i: set() for i in range(len(groups))}
    for name, targets in refs.items():
        for target in targets:
            if group_of[target] != group_of[name]:
                referrers[group_of[target]].add(group_of[name])
    things: list[ir.Model | ir.Enum | ir.Union] = [*api.models, *api.enums, *api.unions]
    component = {t.name for t in things if _is_component(t.pointer)}
    # From the sources down: an inline type that one group alone uses joins that group's
    # module; a component schema always has its own (or its group's).
    home: dict[int, int] = {}
    for i in reversed(range(len(groups))):
        users = referrers[i]
        (only,) = groups[i] if len(groups[i]) == 1 else (None,)
        lone = only is not None and only not in component and len(users) == 1
        home[i] = home[next(iter(users))] if lone else i
    members: dict[int, set[str]] = {}
    for name, i in group_of.items():
        members.setdefault(home[i], set()).add(name)
    return _named(api, [(groups[i], found) for i, found in members.items()])


def _is_component(pointer: str) -> bool:
    return pointer.startswith("/components/schemas/") and pointer.count("/") == 3


def _named(api: ir.Api, found: list[tuple[list[str], set[str]]]) -> tuple[ModelModule, ...]:
    """Modules named after the first type (in the IR's order) of the group each grew from."""
    ordered = [m.name for m in api.models] + [e.name for e in api.enums]
    ordered += [u.name for u in api.unions]
    order = {name: i for i, name in enumerate(ordered)}
    found.sort(key=lambda pair: min(order[n] for n in pair[0]))
    roots = [root for root, _ in found]
    groups = [group for _, group in found]
    module_of = {name: i for i, group in enumerate(groups) for name in group}
    kinds: list[tuple[list[str], list[str], list[str]]] = [([], [], []) for _ in groups]
    for model in api.models:
        kinds[module_of[model.name]][0].append(model.name)
    for enum in api.enums:
        kinds[module_of[enum.name]][1].append(enum.name)
    for union in api.unions:
        kinds[module_of[union.name]][2].append(union.name)
    taken: set[str] = {"__init__"}
    modules = []
    for root, (models, enums, unions) in zip(roots, kinds, strict=True):
        first = min(root, key=order.__getitem__)
        base = snake(first) or "types"
        if keyword.iskeyword(base) or keyword.issoftkeyword(base):
            base += "_"  # (``import``, ``match``: a module's name is an identifier)
        if not base.isascii():  # Python would import its NFKC form (see operations.module_name)
            base = "types_" + hashlib.sha256(first.encode()).hexdigest()[:12]
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        modules.append(ModelModule(name, tuple(models), tuple(enums), tuple(unions)))
    return tuple(modules)
