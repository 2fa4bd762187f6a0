"""Which operations are lists, and where their answers hold the items of one page.

An operation is a list when the spec's pagination settings (``info.x-client.pagination``)
recognise it: it takes both the page and the page-size query parameters, or a success response
documents the header that links the next page. Its answer is then the array of items itself,
or an object wrapping them: the object's one array property holds them, whatever it is called.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.model import ir
from generator.reading import pointer as jp
from generator.reading.loader import Spec


def is_list(
    settings: ir.PaginationSettings,
    parameters: tuple[ir.Parameter, ...],
    responses: tuple[ir.Response, ...],
) -> bool:
    query = {p.name for p in parameters if p.location == "query"}
    pair = {settings.page_parameter, settings.size_parameter}
    if None not in pair and pair <= query:
        return True
    link = settings.link_header.lower()
    return any(link in {h.lower() for h in r.headers} for r in responses if r.is_success)


def pagination_of(
    spec: Spec,
    settings: ir.PaginationSettings | None,
    parameters: tuple[ir.Parameter, ...],
    responses: tuple[ir.Response, ...],
    models: Mapping[str, ir.Model],
) -> ir.Pagination | None:
    """How the answer of a list holds its page; None when the operation is not a list."""
    if settings is None or not is_list(settings, parameters, responses):
        return None
    answers = [
        (jp.join(r.pointer, "content", c.content_type, "schema"), c.type)
        for r in responses
        if r.is_success
        for c in r.contents
    ]
    where = answers[0][0] if answers else next(r.pointer for r in responses if r.is_success)
    types = {type_ for _, type_ in answers}
    if len(types) != 1 or None in types:
        raise spec.error(
            where, "a list's success answers must all be one JSON schema: an array, or an object"
        )
    (type_,) = types
    assert type_ is not None
    if isinstance(type_, ir.ArrayOf):
        return ir.Pagination(
            items_field=None,
            items=type_.items,
            items_nullable=type_.items_nullable,
            total_field=None,
        )
    model = models.get(type_.name) if isinstance(type_, ir.ModelRef) else None
    arrays = [f for f in model.fields if isinstance(f.type, ir.ArrayOf)] if model else []
    if model is None or len(arrays) != 1:
        found = f"{len(arrays)} array properties" if model else "no object"
        raise spec.error(
            where,
            "the answer of a list must be an array, or an object with exactly one array "
            f"property holding the page's items; this has {found}",
        )
    (items_field,) = arrays
    assert isinstance(items_field.type, ir.ArrayOf)
    total = next(
        (
            f
            for f in model.fields
            if f.wire_name == settings.total_property
            and isinstance(f.type, ir.Primitive)
            and f.type.kind == "int"
        ),
        None,
    )
    return ir.Pagination(
        items_field=items_field,
        items=items_field.type.items,
        items_nullable=items_field.type.items_nullable,
        total_field=total,
    )
