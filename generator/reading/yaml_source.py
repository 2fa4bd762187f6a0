"""Reading YAML while remembering where each value came from.

PyYAML silently keeps the last of two equal keys and forgets line numbers; a spec is easier to
fix when both are reported, so this reader builds plain Python values itself and records the
line of every node by JSON pointer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.errors import SpecError
from generator.reading import pointer as jp

try:  # libyaml's parser is several times faster when it is available
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """The document in ``path`` and the 1-based line of each JSON pointer in it."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            raise SpecError(
                "", f"not valid YAML: {exc.problem}", source=str(path), line=line
            ) from exc
        if root is None:
            raise SpecError("", "the file is empty", source=str(path), line=1)
        lines: dict[str, int] = {}
        value = _build(loader, root, "", lines, str(path))
    finally:
        loader.dispose()
    return value, lines


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, where: str, lines: dict[str, int], source: str
) -> Any:
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise SpecError(
                    where,
                    f"mapping keys must be strings, not {key!r}",
                    source=source,
                    line=key_node.start_mark.line + 1,
                )
            key = str(key)  # an unquoted status code such as 201 is still the key "201"
            if key in result:
                raise SpecError(
                    jp.join(where, key),
                    "duplicate key (YAML would silently keep only the last one)",
                    source=source,
                    line=key_node.start_mark.line + 1,
                )
            result[key] = _build(loader, value_node, jp.join(where, key), lines, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, jp.join(where, i), lines, source)
            for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)
