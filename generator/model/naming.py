"""Mechanical names: Python identifiers from wire names, operationIds and status codes.

Every rule here is a pure function of the spec, so that the same spec always yields the same
public API and a new schema or status never renames an existing one.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from http import HTTPStatus
from typing import Any

from generator.reading import pointer as jp

# Words split at case changes, found in the text's character classes (U upper, L lower or
# caseless letter, D digit), so that letters of every script split the way ASCII ones do.
_WORD = re.compile(r"U+(?=UL|D|$)|U?L+|U+|D+")
_RUN = re.compile(r"[^\W_]+")
_SIGNS = {"+": "plus", "-": "minus"}
# Names the generated annotations use, which a class attribute or method must not shadow.
ANNOTATION_NAMES = frozenset({"str", "int", "float", "bool", "list", "dict", "date", "datetime"})


def _classes(run: str) -> str:
    return "".join("D" if c.isdigit() else "U" if c.isupper() else "L" for c in run)


def words(text: str) -> list[str]:
    """``"scimType"`` -> ``["scim", "Type"]``; ``"WestUs2"`` -> ``["West", "Us", "2"]``."""
    # Python reads identifiers in NFKC form; names are made in that form from the start.
    text = unicodedata.normalize("NFKC", text)
    found = []
    for run in _RUN.findall(text):
        for match in _WORD.finditer(_classes(run)):
            word = run[match.start() : match.end()]
            if f"x{word}".isidentifier():
                found.append(word)
    if text[:1] in _SIGNS:
        found.insert(0, _SIGNS[text[0]])
    return found


def _clean(name: str) -> str:
    # Changing the case of a letter can give characters an identifier may not hold.
    name = unicodedata.normalize("NFKC", name)
    return "".join(c for c in name if c == "_" or f"x{c}".isidentifier())


def pascal(text: str) -> str:
    """``"pet-store"`` -> ``"PetStore"``."""
    return _clean("".join(w[:1].upper() + w[1:] for w in _join_digits(words(text))))


def snake(text: str) -> str:
    """``"create-with-repo"`` -> ``"create_with_repo"``; ``"scimType"`` -> ``"scim_type"``."""
    return _clean("_".join(w.lower() for w in _join_digits(words(text))))


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
    # A method named ``list`` would be what ``list[...]`` means in the annotations after it.
    return identifier(scope), identifier(name, reserved=ANNOTATION_NAMES)


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


# -- where a schema stands, as a class name -------------------------------------------------------

# What a step down a schema adds to the name of what it leads to. A property adds its own
# name; ``allOf`` parts add nothing, since they are merged into the schema that holds them.
_STEPS = {"items": "Item", "additionalProperties": "Value", "not": "Not"}


def schema_class_name(document: dict[str, Any], pointer: str) -> str:
    """The class name a schema earns by where it stands: a pure function of its pointer.

    The component or operation the pointer starts in gives the first words; each step below
    adds one: ``/components/schemas/pet/properties/owner_info`` is ``PetOwnerInfo``,
    a parameter's schema ``<OperationId><Parameter>``, the second
    alternative of a ``oneOf`` ``...2``.
    """
    tokens = jp.split(pointer)
    name, used = _scope(document, tokens)
    node: Any = document
    for token in tokens[:used]:
        node = _child(node, token)
    index = used
    while index < len(tokens):
        token = tokens[index]
        node = _child(node, token)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and token in ("properties", "oneOf", "anyOf", "allOf"):
            if token == "properties":
                name += pascal(following) or "Property"
            # The one alternative of a oneOf is the schema itself; allOf parts are merged.
            elif token != "allOf" and not (isinstance(node, list) and len(node) == 1):
                name += str(int(following) + 1) if following.isdigit() else ""
            node = _child(node, following)
            index += 1
        else:
            name += _STEPS.get(token, "")
        index += 1
    return name


def component_class(document: dict[str, Any], key: str) -> str:
    """The class of a component schema: its key in PascalCase.

    Descriptions often name a nullable copy of schema ``x`` ``nullable-x``; the nullability
    belongs to the fields that use it, so the class drops the prefix unless ``x`` exists too.
    """
    schemas = document.get("components", {}).get("schemas", {})
    if key.startswith("nullable-") and key.removeprefix("nullable-") not in schemas:
        key = key.removeprefix("nullable-")
    return class_name(key)


def _scope(document: dict[str, Any], tokens: list[str]) -> tuple[str, int]:
    """The name of the component or operation ``tokens`` start in, and how many they used."""
    if tokens[:2] == ["components", "schemas"] and len(tokens) > 2:
        return component_class(document, tokens[2]), 3
    if tokens[:1] == ["components"] and len(tokens) > 2:
        name, used = class_name(tokens[2]), 3
        if tokens[1] == "requestBodies":
            name += "Request"
    elif tokens[:1] == ["paths"] and len(tokens) > 2:
        item = _child(_child(document, "paths"), tokens[1])
        operation = _child(item, tokens[2])
        if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
            name, used = class_name(operation["operationId"]), 3
        else:  # parameters shared by the operations of a path
            name, used = class_name(tokens[1]), 2
    else:
        return class_name(tokens[-1] if tokens else "schema"), len(tokens)
    node: Any = document
    for token in tokens[:used]:
        node = _child(node, token)
    rest = tokens[used:]
    if rest[:1] == ["parameters"] and len(rest) > 2 and rest[2] == "schema":
        parameter = _child(_child(node, "parameters"), rest[1])
        label = parameter.get("name") if isinstance(parameter, dict) else None
        return name + pascal(str(label or rest[1])), used + 3
    if rest[:1] == ["requestBody"] and len(rest) > 3 and rest[3] == "schema":
        return name + "Request", used + 4
    if rest[:1] == ["responses"] and len(rest) > 1:
        name += pascal(_status_phrase(rest[1])) + "Response"
        used += 2
        rest = rest[2:]
    if rest[:1] == ["content"] and len(rest) > 2 and rest[2] == "schema":
        media = _child(_walk(document, tokens[:used]), "content")
        if isinstance(media, dict) and len(media) > 1:
            name += pascal(rest[1].split("/")[-1])
        return name, used + 3
    if rest[:1] == ["schema"]:
        return name, used + 1
    return name, used


def _walk(document: Any, tokens: list[str]) -> Any:
    node = document
    for token in tokens:
        node = _child(node, token)
    return node


def _status_phrase(status: str) -> str:
    if status.isdigit():
        try:
            return HTTPStatus(int(status)).phrase
        except ValueError:
            return f"status {status}"
    return "default" if status == "default" else f"status {status}"


def _child(node: Any, token: str) -> Any:
    if isinstance(node, dict):
        return node.get(token)
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    return None


def unique_names(wanted: dict[str, str], reserved: frozenset[str] = frozenset()) -> dict[str, str]:
    """A distinct class name for every schema pointer, from the name each would like.

    Schemas that would share a name are ranked: component schemas first, then schemas inside
    components, then those of operations, each rank in pointer order. The first keeps the name;
    the others get the next free number (``Sort``, ``Sort1``, ...), as datamodel-code-generator
    numbers its duplicates. An operation's schemas include its operationId in their name, so
    adding an operation never renames what another operation or a component already had.
    """
    taken = set(reserved)
    desired = set(wanted.values())
    names: dict[str, str] = {}
    for pointer in sorted(wanted, key=_rank):
        name = wanted[pointer]
        if name in taken:
            number = 1
            while f"{name}{number}" in taken or f"{name}{number}" in desired:
                number += 1
            name = f"{name}{number}"
        taken.add(name)
        names[pointer] = name
    return names


def _rank(pointer: str) -> tuple[int, str]:
    if pointer.startswith("/components/schemas/") and pointer.count("/") == 3:
        return (0, pointer)
    return (1 if pointer.startswith("/components/") else 2, pointer)
