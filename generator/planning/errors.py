"""The plan of the errors module: the exception classes the spec's error statuses call for."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from generator.model import ir
from generator.model.naming import status_error_name


def plan_errors(api: ir.Api) -> dict[str, Any]:
    """What the errors template lays out: one exception class per documented error status.

    A status's class carries the models its bodies decode to (``body``: their annotation, or
    None when a body may be something else, which leaves the base class's ``object``); a
    status that is also a rate-limit status gets a second class that is both a
    ``RateLimitError`` and it.
    """
    descriptions: dict[int, str] = {}
    for operation in api.operations:
        for response in operation.error_responses:
            if response.code is not None:
                descriptions.setdefault(response.code, response.description)
    bodies = {code: _body_models(api, code) for code in api.error_statuses}

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
            "body": _annotation(bodies[code]),
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
        "body_models": sorted({name for names in bodies.values() for name in names or ()}),
        "error_names": sorted(
            [c["name"] for c in status_classes] + [c["name"] for c in rate_limit_classes]
        ),
    }


def _annotation(models: list[str] | None) -> str | None:
    return None if models is None else " | ".join([*models, "None"])


def _body_models(api: ir.Api, code: int) -> list[str] | None:
    """The models an error answer with status ``code`` decodes to, whichever operation it
    answers; None when it may decode to something that is not a model."""
    names: list[str] = []
    for operation in api.operations:
        response = _answering(operation, code)
        for content in response.contents if response is not None else ():
            if content.type is None:
                continue
            if not isinstance(content.type, ir.ModelRef):
                return None
            if content.type.name not in names:
                names.append(content.type.name)
    return names


def _answering(operation: ir.Operation, code: int) -> ir.Response | None:
    """The error response whose decoders read a ``code`` answer, as the client picks it
    (``_calls.lookup``): the status itself when the operation documents it (with a schema or
    without, when there is no body to decode), else its range (``4XX``), else ``default``."""
    responses = {r.status: r for r in operation.error_responses}
    exact = responses.get(str(code))
    if exact is not None:
        return exact
    return responses.get(f"{code // 100}XX", responses.get("default"))
