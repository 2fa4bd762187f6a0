"""The runtime's pagination, where it stands (generator/runtime/_pagination.py).

The Link header is parsed as RFC 8288 writes it; the paginator follows ``rel="next"`` exactly
as linked, one request per page, and refuses links that leave the client's origin.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from generator.runtime import _pagination as pagination
from generator.runtime._base_client import SyncAPIClient, SyncTransport
from generator.runtime._calls import Call, ResponseMap
from generator.runtime._exceptions import ResponseValidationError

BASE = "https://api.example.com"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            '<https://api.example.com/r?page=2>; rel="next", '
            '<https://api.example.com/r?page=5>; rel="last"',
            {
                "next": "https://api.example.com/r?page=2",
                "last": "https://api.example.com/r?page=5",
            },
        ),
        ("<https://x.test/a?page=3>; rel=next", {"next": "https://x.test/a?page=3"}),
        (
            '<https://x.test/a?b=1,2>; title="a, b; c"; rel="NEXT last"',
            {"next": "https://x.test/a?b=1,2", "last": "https://x.test/a?b=1,2"},
        ),
        (
            '<https://x.test/1>; rel="next", <https://x.test/2>; rel="next"',
            {"next": "https://x.test/1"},
        ),
        ('<https://x.test/1>; rel="prev"; rel="next"', {"prev": "https://x.test/1"}),
        ("", {}),
        ("garbage, ; rel=next", {}),
        (
            '<https://x.test/1>; title="\\"quoted\\"", <https://x.test/2>; rel="next"',
            {"next": "https://x.test/2"},
        ),
    ],
    ids=[
        "github",
        "token-rel",
        "commas-and-several-rels",
        "first-wins",
        "first-rel-only",
        "empty",
        "no-link",
        "escaped-quotes",
    ],
)
def test_link_headers(header: str, expected: dict[str, str]) -> None:
    assert pagination.links(header) == expected


TARGETS = st.from_regex(
    r"https://[a-z]{1,8}\.test/[a-z0-9/]{0,10}(\?[a-z]+=[a-z0-9,;]{0,6}(&[a-z]+=[0-9]{1,3}){0,2})?",
    fullmatch=True,
)
RELATIONS = st.lists(
    st.sampled_from(["next", "prev", "last", "first"]), min_size=1, max_size=2, unique=True
)
TITLES = st.text(st.characters(codec="ascii", exclude_characters='"\\\r\n'), max_size=8)


@given(links=st.lists(st.tuples(TARGETS, RELATIONS, TITLES), max_size=4))
def test_any_link_header_gives_the_first_target_of_each_relation(
    links: list[tuple[str, list[str], str]],
) -> None:
    header = ", ".join(
        f'<{target}>; title="{title}"; rel="{" ".join(relations)}"'
        for target, relations, title in links
    )
    expected: dict[str, str] = {}
    for target, relations, _ in links:
        for relation in relations:
            expected.setdefault(relation, target)
    assert pagination.links(header) == expected


def _call() -> Call[Any]:
    decode = json.loads
    return Call(
        method="GET",
        path="/items",
        responses=ResponseMap(success={"200": {"application/json": decode}}, errors={}),
        params={"per_page": "2"},
    )


def _client() -> SyncTransport:
    """What a client hands its paginators: its transport."""
    return SyncAPIClient("token-0123", base_url=BASE, max_retries=0)._transport


def _items(body: Any) -> list[Any]:
    items: list[Any] = body["items"]
    return items


def _page(items: list[int], link: str | None, total: int = 5) -> httpx.Response:
    headers = {"link": link} if link else {}
    return httpx.Response(200, json={"total_count": total, "items": items}, headers=headers)


def test_every_item_of_every_page_one_request_each_following_the_links_exactly() -> None:
    second = f"{BASE}/items?per_page=2&page=2&cursor=Zm9v%3D"
    third = "/items?per_page=2&page=3"  # relative: to the URL requested
    with respx.mock(base_url=BASE) as router:
        route = router.get("/items").mock(
            side_effect=[
                _page([1, 2], f'<{second}>; rel="next", <{BASE}/items?page=3>; rel="last"'),
                _page([3, 4], f'<{third}>; rel="next"'),
                _page([5], f'<{BASE}/items?page=1>; rel="first"'),
            ]
        )
        paginator = pagination.SyncPaginator(
            _client(), _call(), _items, lambda body: body["total_count"]
        )
        assert route.call_count == 0  # nothing is sent before iterating
        assert list(paginator) == [1, 2, 3, 4, 5]
    urls = [str(call.request.url) for call in route.calls]
    assert urls == [f"{BASE}/items?per_page=2", second, f"{BASE}{third}"]
    assert all(call.request.headers["authorization"] == "Bearer token-0123" for call in route.calls)


def test_pages_come_with_their_answers_and_counts() -> None:
    with respx.mock(base_url=BASE) as router:
        router.get("/items").mock(
            side_effect=[_page([1], f'<{BASE}/items?page=2>; rel="next"'), _page([2], None)]
        )
        pages = list(
            pagination.SyncPaginator(_client(), _call(), _items, lambda b: b["total_count"]).pages()
        )
    assert [p.items for p in pages] == [[1], [2]]
    assert [p.total_count for p in pages] == [5, 5]
    assert [p.response.status_code for p in pages] == [200, 200]
    assert pages[0].next_url == f"{BASE}/items?page=2"
    assert pages[1].next_url is None


def test_iteration_is_lazy_and_starts_again_each_time() -> None:
    with respx.mock(base_url=BASE) as router:
        route = router.get("/items").mock(
            side_effect=[
                _page([1, 2], f'<{BASE}/items?page=2>; rel="next"'),
                _page([1, 2], f'<{BASE}/items?page=2>; rel="next"'),
            ]
        )
        paginator = pagination.SyncPaginator(_client(), _call(), _items)
        assert next(iter(paginator)) == 1
        assert route.call_count == 1  # the second page is not fetched before it is needed
        assert next(iter(paginator)) == 1
        assert route.call_count == 2
        assert [str(c.request.url) for c in route.calls] == [f"{BASE}/items?per_page=2"] * 2


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.test/items?page=2",
        "http://api.example.com/items?page=2",
        "https://api.example.com:8443/items",
    ],
    ids=["host", "scheme", "port"],
)
def test_a_link_to_another_origin_is_refused(elsewhere: str) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/items").mock(return_value=_page([1], f'<{elsewhere}>; rel="next"'))
        other = respx.route(url__startswith=elsewhere.split("/items")[0])
        items = iter(pagination.SyncPaginator(_client(), _call(), _items))
        assert next(items) == 1
        with pytest.raises(ResponseValidationError, match="leaves the origin") as caught:
            next(items)
    assert not other.called
    assert "token-0123" not in str(caught.value)
    assert caught.value.response is not None


def test_a_link_back_to_a_page_already_fetched_is_refused() -> None:
    with respx.mock(base_url=BASE) as router:
        router.get("/items").mock(
            side_effect=[
                _page([1], f'<{BASE}/items?page=2>; rel="next"'),
                _page([2], f'<{BASE}/items?per_page=2>; rel="next"'),
            ]
        )
        with pytest.raises(ResponseValidationError, match="already fetched"):
            list(pagination.SyncPaginator(_client(), _call(), _items))


def test_several_link_headers_are_read_as_one() -> None:
    with respx.mock(base_url=BASE) as router:
        first = httpx.Response(
            200,
            json={"items": [1]},
            headers=[
                ("link", f'<{BASE}/x>; rel="prev"'),
                ("link", f'<{BASE}/items?page=2>; rel="next"'),
            ],
        )
        router.get("/items").mock(side_effect=[first, _page([2], None)])
        assert list(pagination.SyncPaginator(_client(), _call(), _items)) == [1, 2]
