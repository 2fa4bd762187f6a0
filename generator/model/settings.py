"""The client settings: what the spec says of how to build the client (``info.x-client``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.reading import pointer as jp
from generator.reading.loader import Spec


def client_settings(spec: Spec) -> ir.ClientSettings:
    """The client settings: ``info.x-client`` and the first server."""
    doc = spec.document
    where = "/info/x-client"
    raw = doc["info"].get("x-client")
    if not isinstance(raw, dict):
        raise spec.error(where, "the spec must say how to build the client (info.x-client)")
    strings = (
        "distribution",
        "user-agent",
        "token-env",
        "auth-scheme",
        "request-id-header",
        "poll-interval-header",
    )
    _check_keys(
        spec, raw, where, {"package", "headers", "rate-limit", "pagination", "waiters", *strings}
    )
    package = raw.get("package")
    if not isinstance(package, str) or not package.isidentifier() or package != package.lower():
        raise spec.error(
            jp.join(where, "package"), "'package' must be a lower-case Python identifier"
        )
    for key in strings:
        if key in raw and not isinstance(raw[key], str):
            raise spec.error(jp.join(where, key), f"{key!r} must be a string")
    headers = raw.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise spec.error(jp.join(where, "headers"), "'headers' maps header names to string values")
    servers = doc.get("servers") or [{"url": ""}]
    base_url = servers[0]["url"]
    if not base_url.startswith(("https://", "http://")):
        raise spec.error("/servers/0/url", "the first server must be an absolute http(s) URL")
    return ir.ClientSettings(
        package=package,
        distribution=raw.get("distribution", package.replace("_", "-")),
        user_agent=raw.get("user-agent", package.replace("_", "-")),
        token_env=raw.get("token-env"),
        auth_scheme=raw.get("auth-scheme", "Bearer"),
        headers=tuple(headers.items()),
        request_id_header=raw.get("request-id-header", "x-request-id"),
        rate_limit=rate_limit_settings(
            spec, raw.get("rate-limit", {}), jp.join(where, "rate-limit")
        ),
        base_url=base_url.rstrip("/"),
        pagination=pagination_settings(spec, raw.get("pagination"), jp.join(where, "pagination")),
        poll_interval_header=raw.get("poll-interval-header"),
    )


_PAGINATION_KEYS = ("page-parameter", "size-parameter", "link-header", "total-property")


def pagination_settings(spec: Spec, raw: Any, where: str) -> ir.PaginationSettings | None:
    """How lists are paged; None when the spec does not say (then no operation is a list)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise spec.error(where, "'pagination' must be a mapping")
    _check_keys(spec, raw, where, set(_PAGINATION_KEYS))
    for key in _PAGINATION_KEYS:
        if key in raw and not (isinstance(raw[key], str) and raw[key]):
            raise spec.error(jp.join(where, key), f"{key!r} must be a non-empty string")
    if ("page-parameter" in raw) != ("size-parameter" in raw):
        raise spec.error(
            where, "'page-parameter' and 'size-parameter' name a pair: give both or neither"
        )
    if "link-header" not in raw:
        # Pages are followed only as the server links them, never built by hand.
        raise spec.error(where, "'link-header' must name the header that links the next page")
    return ir.PaginationSettings(
        page_parameter=raw.get("page-parameter"),
        size_parameter=raw.get("size-parameter"),
        link_header=raw["link-header"],
        total_property=raw.get("total-property"),
    )


def rate_limit_settings(spec: Spec, raw: Any, where: str) -> ir.RateLimitSettings:
    if not isinstance(raw, dict):
        raise spec.error(where, "'rate-limit' must be a mapping")
    headers = ("remaining-header", "reset-header", "secondary-marker")
    _check_keys(spec, raw, where, {"statuses", "secondary-wait", *headers})
    statuses = raw.get("statuses", [429])
    if not isinstance(statuses, list) or not all(
        isinstance(s, int) and 400 <= s < 600 for s in statuses
    ):
        raise spec.error(jp.join(where, "statuses"), "'statuses' lists 4xx/5xx status codes")
    for key in headers:
        if key in raw and not isinstance(raw[key], str):
            raise spec.error(jp.join(where, key), f"{key!r} must be a string")
    return ir.RateLimitSettings(
        statuses=tuple(statuses),
        remaining_header=raw.get("remaining-header"),
        reset_header=raw.get("reset-header"),
        secondary_marker=raw.get("secondary-marker"),
        secondary_wait=float(raw.get("secondary-wait", 60)),
    )


def _check_keys(spec: Spec, raw: Mapping[str, Any], where: str, known: set[str]) -> None:
    for key in raw:
        if key not in known:
            raise spec.error(
                jp.join(where, key), f"unknown setting; expected one of {sorted(known)}"
            )
