"""Which operations are lists, and where their answers hold the items of one page.

An operation is a list when the spec's pagination settings (``info.x-client.pagination``)
recognise it: it takes both the page and the page-size query parameters, or a success response
documents the header that links the next page. Its answer is then the array of items itself,
or an object wrapping them: the object's one array property holds them, whatever it is called.
An operation whose answer cannot hold a page is no list (see ``pagination_of``).
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.model import ir


def pages_by_parameters(
    settings: ir.PaginationSettings, parameters: tuple[ir.Parameter, ...]
) -> bool:
    """Whether the operation takes both the page and the page-size parameters."""
    query = {p.name for p in parameters if p.location == "query"}
    pair = {settings.page_parameter, settings.size_parameter}
    return None not in pair and pair <= query


def is_list(
    settings: ir.PaginationSettings,
    parameters: tuple[ir.Parameter, ...],
    responses: tuple[ir.Response, ...],
) -> bool:
    if pages_by_parameters(settings, parameters):
        return True
    link = settings.link_header.lower()
    return any(link in {h.lower() for h in r.headers} for r in responses if r.is_success)


def pagination_of(
    settings: ir.PaginationSettings | None,
    parameters: tuple[ir.Parameter, ...],
    responses: tuple[ir.Response, ...],
    models: Mapping[str, ir.Model],
) -> ir.Pagination | None:
    """How the answer of a list holds its page; None when the operation is not a list.

    An operation that looks like a list but whose answer cannot hold a page (two JSON schemas,
    an object with no or several arrays, or, recognised by the link header alone, one array
    without the count) is generated as a plain method: descriptions use page parameters for
    the parts of one object too (GitHub pages a commit's files), and document the header on
    single objects. Refusing them would refuse the description.
    """
    if settings is None or not is_list(settings, parameters, responses):
        return None
    types = {c.type for r in responses if r.is_success for c in r.contents if c.type is not None}
    if len(types) != 1:
        return None
    (type_,) = types
    by_header_alone = not pages_by_parameters(settings, parameters)
    if not _holds_a_page(type_, models, settings.total_property, needs_total=by_header_alone):
        return None
    if isinstance(type_, ir.ArrayOf):
        return ir.Pagination(
            items_field=None,
            items=type_.items,
            items_nullable=type_.items_nullable,
            total_field=None,
        )
    assert isinstance(type_, ir.ModelRef)
    model = models[type_.name]
    arrays = [f for f in model.fields if isinstance(f.type, ir.ArrayOf)]
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


def _holds_a_page(
    type_: ir.TypeExpr, models: Mapping[str, ir.Model], total: str | None, *, needs_total: bool
) -> bool:
    """An array, or an object with exactly one array property (and, when ``needs_total``, the
    count of all items: without it, an object with one array is as likely a single resource
    with a list in it, as a page)."""
    if isinstance(type_, ir.ArrayOf):
        return True
    model = models.get(type_.name) if isinstance(type_, ir.ModelRef) else None
    if model is None:
        return False
    if sum(isinstance(f.type, ir.ArrayOf) for f in model.fields) != 1:
        return False
    return not needs_total or any(f.wire_name == total for f in model.fields)
