"""Mechanical names: Python identifiers from wire names, operationIds and status codes.

Every rule here is a pure function of the spec, so that the same spec always yields the same
public API and a new schema or status never renames an existing one.
"""

from __future__ import annotations

import keyword
import re
from http import HTTPStatus

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")
_SIGNS = {"+": "plus", "-": "minus"}


def words(text: str) -> list[str]:
    """``"scimType"`` -> ``["scim", "Type"]``; ``"WestUs2"`` -> ``["West", "Us", "2"]``."""
    found = _WORD.findall(text)
    if text[:1] in _SIGNS:
        found.insert(0, _SIGNS[text[0]])
    return found


def pascal(text: str) -> str:
    """``"pet-store"`` -> ``"PetStore"``."""
    return "".join(w[:1].upper() + w[1:] for w in _join_digits(words(text)))


def snake(text: str) -> str:
    """``"create-with-repo"`` -> ``"create_with_repo"``; ``"scimType"`` -> ``"scim_type"``."""
    return "_".join(w.lower() for w in _join_digits(words(text)))


def constant(text: str) -> str:
    """``"ShuttingDown"`` -> ``"SHUTTING_DOWN"``; ``"in_progress"`` -> ``"IN_PROGRESS"``."""
    name = snake(text).upper()
    if not name:
        return "EMPTY"
    return name if name.isidentifier() and not name[0].isdigit() else f"V_{name}"


def _join_digits(parts: list[str]) -> list[str]:
    # "WestUs2" reads better as WestUs2 / west_us2 than as West_Us_2.
    joined: list[str] = []
    for part in parts:
        if part.isdigit() and joined:
            joined[-1] += part
        else:
            joined.append(part)
    return joined


def identifier(text: str, *, reserved: frozenset[str] = frozenset()) -> str:
    """A snake_case Python identifier for a wire name, never a keyword nor in ``reserved``."""
    name = snake(text) or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    if keyword.iskeyword(name) or name in reserved:
        name += "_"
    return name


def operation_names(operation_id: str, tags: list[str]) -> tuple[str, str]:
    """(namespace, method) for an operation, as Octokit derives them.

    ``"repos/get-content"`` -> ``("repos", "get_content")``; an operationId without a
    scope hangs off its first tag.
    """
    scope, _, name = operation_id.rpartition("/")
    if not scope:
        scope = tags[0] if tags else "default"
    return identifier(scope), identifier(name)


# Exception class names for HTTP statuses, in the vocabulary Python SDKs have settled on.
# A status missing here is named after its standard reason phrase.
STATUS_ERROR_NAMES: dict[int, str] = {
    400: "BadRequestError",
    401: "AuthenticationError",
    402: "PaymentRequiredError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    406: "NotAcceptableError",
    408: "RequestTimeoutError",
    409: "ConflictError",
    410: "GoneError",
    412: "PreconditionFailedError",
    413: "ContentTooLargeError",
    415: "UnsupportedMediaTypeError",
    422: "UnprocessableEntityError",
    423: "LockedError",
    428: "PreconditionRequiredError",
    429: "TooManyRequestsError",
    451: "UnavailableForLegalReasonsError",
    500: "InternalServerError",
    501: "NotImplementedServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
}


def status_error_name(status: int) -> str:
    """The exception class raised for ``status``: ``404`` -> ``"NotFoundError"``."""
    if status in STATUS_ERROR_NAMES:
        return STATUS_ERROR_NAMES[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return f"Status{status}Error"
    return pascal(phrase.replace("'", "")) + "Error"


def class_name(text: str) -> str:
    """A PascalCase class name: ``"pet-store"`` -> ``"PetStore"``."""
    name = pascal(text) or "Schema"
    if not name.isidentifier() or keyword.iskeyword(name) or name[0].isdigit():
        name = f"Schema{name}"
    return name
