"""Reading GitHub's published description (a local file or an https URL, JSON or YAML).

The full description is 10-13 MB. JSON is parsed by ``json.loads`` (a tenth of a second);
YAML by libyaml's CSafeLoader, which takes seconds, so the format is told from the first
character rather than by trying one parser after the other.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import SpecError

FETCH_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Description:
    """An upstream OpenAPI description as read, with what reading it cost."""

    source: str
    document: dict[str, Any]
    format: str  # "json" or "yaml"
    size: int  # bytes
    seconds: float  # time to parse (not to fetch)


class _Loader(yaml.CSafeLoader):  # type: ignore[misc,name-defined,unused-ignore]
    """CSafeLoader that keeps timestamps as the strings JSON would have."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def read_description(source: str) -> Description:
    """The OpenAPI 3.0 document at ``source`` (a path or an https URL)."""
    data = _fetch(source) if "://" in source else _read_file(source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError("", f"not UTF-8 text (byte {exc.start})", source=source) from None
    started = time.perf_counter()
    if text.lstrip()[:1] in ("{", "["):
        kind, document = "json", _parse_json(text, source)
    else:
        kind, document = "yaml", _parse_yaml(text, source)
    seconds = time.perf_counter() - started
    _check_openapi(document, source)
    return Description(source, document, kind, len(data), seconds)


def _read_file(source: str) -> bytes:
    path = Path(source)
    if not path.is_file():
        raise SpecError("", "no such file", source=source)
    return path.read_bytes()


def _fetch(url: str) -> bytes:
    if not url.startswith("https://"):
        raise SpecError("", "only local files and https:// URLs are read", source=url)
    import httpx  # only needed for URLs

    try:
        response = httpx.get(url, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True)
    except httpx.HTTPError as exc:
        detail = str(exc) or type(exc).__name__
        raise SpecError("", f"could not fetch: {detail}", source=url) from None
    if response.status_code != 200:
        raise SpecError(
            "", f"could not fetch: HTTP {response.status_code} {response.reason_phrase}", source=url
        )
    return response.content


def _parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError("", f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from None


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise SpecError(
            "", f"not valid JSON or YAML: {exc.problem}", source=source, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError("", f"not valid JSON or YAML: {exc}", source=source) from None


def _check_openapi(document: Any, source: str) -> None:
    if not isinstance(document, dict):
        raise SpecError("", "not an OpenAPI description (not a mapping)", source=source)
    version = document.get("openapi")
    if not isinstance(version, str):
        raise SpecError(
            "/openapi", "not an OpenAPI description (no 'openapi' version)", source=source
        )
    if not version.startswith("3.0."):
        raise SpecError(
            "/openapi",
            f"only OpenAPI 3.0.x descriptions are supported, not {version}",
            source=source,
        )
    if not isinstance(document.get("paths"), dict):
        raise SpecError("/paths", "not an OpenAPI description (no 'paths' mapping)", source=source)
