"""Hypothesis profiles for every suite (tests/, contract_tests/, conformance_tests/).

They are loaded here, once, so that each suite runs under the same profile whichever of them
pytest collects: ``ci`` (derandomized, so a CI run draws what ``CI=true make test`` draws at a
desk) when CI=true, ``dev`` otherwise; HYPOTHESIS_PROFILE picks any other.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "base",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Every call goes to a mocked transport in this process: a slow example is a real problem,
    # but a loaded CI machine must not fail on a few hundred milliseconds.
    deadline=timedelta(seconds=2),
)
_BASE = settings.get_profile("base")
# CI reports a failure at once with a blob to reproduce it; shrinking a drawn codespace can take
# minutes, which is worth it at a developer's desk (dev), not in CI.
settings.register_profile(
    "ci",
    _BASE,
    derandomize=True,
    max_examples=30,
    print_blob=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
)
settings.register_profile("dev", _BASE, max_examples=30)
settings.register_profile(
    "smoke",
    _BASE,
    derandomize=True,
    max_examples=5,
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)
