"""The plan of the errors module: the exception classes the spec's error statuses call for."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from generator.model import ir
from generator.model.naming import status_error_name


def plan_errors(api: ir.Api) -> dict[str, Any]:
    """What the errors template lays out: one exception class per documented error status.

    A status's class carries the models its documented bodies decode to; a status that is
    also a rate-limit status gets a second class that is both a ``RateLimitError`` and it.
    """
    bodies: dict[int, list[str]] = {}
    descriptions: dict[int, str] = {}
    for operation in api.operations:
        for response in operation.error_responses:
            if response.code is None:
                continue
            descriptions.setdefault(response.code, response.description)
            for content in response.contents:
                if isinstance(content.type, ir.ModelRef) and content.type.name not in bodies.get(
                    response.code, []
                ):
                    bodies.setdefault(response.code, []).append(content.type.name)

    def phrase(code: int) -> str:
        try:
            return HTTPStatus(code).phrase
        except ValueError:
            return f"Status {code}"

    status_classes = [
        {
            "code": code,
            "name": status_error_name(code),
            "phrase": phrase(code),
            "description": descriptions[code].rstrip("."),
            "body": " | ".join([*bodies.get(code, []), "None"]),
        }
        for code in api.error_statuses
    ]
    by_code = {c["code"]: c["name"] for c in status_classes}
    rate_limit_classes = [
        {
            "code": code,
            "name": str(by_code[code]).removesuffix("Error") + "RateLimitError",
            "base": by_code[code],
        }
        for code in api.client.rate_limit.statuses
        if code in by_code
    ]
    return {
        "status_classes": status_classes,
        "rate_limit_classes": rate_limit_classes,
        "rate_limit": api.client.rate_limit,
        "request_id_header": api.client.request_id_header,
        "body_models": sorted({name for names in bodies.values() for name in names}),
        "error_names": sorted(
            [c["name"] for c in status_classes] + [c["name"] for c in rate_limit_classes]
        ),
    }
