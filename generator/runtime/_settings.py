"""A stand-in for the generated ``_settings`` module, so the runtime type-checks where it stands.

Each generated package writes its own ``_settings.py`` from the spec (the template
``_settings.py.jinja``); this one declares the same names with the same types, and values of
the kind a spec gives, and is never copied. A test holds the two to the same names and types.
"""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.0.0"
DEFAULT_BASE_URL: Final = "https://api.example.com"
USER_AGENT: Final = "runtime-python/0.0.0"
TOKEN_ENV: Final[str | None] = "EXAMPLE_TOKEN"
AUTH_SCHEME: Final = "Bearer"
DEFAULT_HEADERS: Final[dict[str, str]] = {"Accept": "application/json"}
REQUEST_ID_HEADER: Final = "x-request-id"
RATE_LIMIT_STATUSES: Final = frozenset({403, 429})
RATE_LIMIT_REMAINING_HEADER: Final[str | None] = "x-ratelimit-remaining"
RATE_LIMIT_RESET_HEADER: Final[str | None] = "x-ratelimit-reset"
RATE_LIMIT_SECONDARY_MARKER: Final[str | None] = "secondary rate limit"
RATE_LIMIT_SECONDARY_WAIT: Final = 60.0
LOGGER_NAME: Final = "runtime"
PAGINATION_LINK_HEADER: Final[str | None] = "Link"
POLL_INTERVAL_HEADER: Final[str | None] = "x-poll-interval"
