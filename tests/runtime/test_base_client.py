"""The client's own settings, checked when it is made (generator/runtime/_base_client.py).

These checks take ``object``: they are for callers without a type checker, which is why the
calls below need ``type: ignore``.
"""

from __future__ import annotations

import pytest

from generator.runtime._base_client import SyncAPIClient
from generator.runtime._retries import RetryPolicy

URL = "https://api.example.com"


@pytest.mark.parametrize(("token", "name"), [(b"ghp_x", "bytes"), (42, "int")])
def test_a_token_must_be_text(token: object, name: str) -> None:
    with pytest.raises(TypeError, match=f"token must be a str or an httpx.Auth, not {name}"):
        SyncAPIClient(token, base_url=URL)  # type: ignore[arg-type]


def test_an_empty_token_means_no_token() -> None:
    with SyncAPIClient("", base_url=URL) as client:
        assert repr(client).endswith("authenticated=False)")
        assert "Authorization" not in client._default_headers()


def test_a_retry_policy_must_be_a_retry_policy() -> None:
    assert SyncAPIClient(None, base_url=URL, retry_policy=RetryPolicy(max_wait=1)).max_retries
    with pytest.raises(TypeError, match="retry_policy must be a RetryPolicy, not dict"):
        SyncAPIClient(None, base_url=URL, retry_policy={"max_wait": 1})  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "name"), [(True, "bool"), (1.0, "float"), ("2", "str")])
def test_max_retries_must_be_an_int(value: object, name: str) -> None:
    with pytest.raises(TypeError, match=f"max_retries must be an int, not {name}"):
        SyncAPIClient(None, base_url=URL, max_retries=value)  # type: ignore[arg-type]
