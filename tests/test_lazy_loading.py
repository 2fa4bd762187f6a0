"""Importing the package, or making a client, loads no operation and no model: a namespace's
module (``_resources/<tag>.py``) is loaded when a client first uses it, and a model's module
(``_models/<name>.py``) when it is first used, with the modules it refers to and no other."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.conftest import ROOT


def _run(script: str) -> Any:
    """What ``script``, run by a fresh Python beside the generated package, prints (JSON)."""
    ran = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT / "generated",
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(ran.stdout)


PROBE = """
import json, sys
import github_codespaces
from github_codespaces import Client
loaded = lambda: sorted(m for m in sys.modules if m.startswith("github_codespaces."))
after_import = loaded()
client = Client(token="t0k3n")
after_client = loaded()
namespace = client.codespaces
after_use = loaded()
from github_codespaces.client import AsyncCodespaces, Codespaces
from github_codespaces._resources import codespaces as module
try:
    github_codespaces.client.NoSuchNamespace
    missing = "no error"
except AttributeError as error:
    missing = str(error)
print(json.dumps({
    "after_import": after_import,
    "after_client": after_client,
    "after_use": after_use,
    "same": type(namespace) is Codespaces is module.Codespaces
        and AsyncCodespaces is module.AsyncCodespaces,
    "missing": missing,
}))
client.close()
"""


def test_a_namespace_and_the_models_load_when_first_used() -> None:
    seen = _run(PROBE)
    lazy = {"github_codespaces._resources.codespaces", "github_codespaces.models"}
    lazy |= {m for m in seen["after_use"] if m.startswith("github_codespaces._models.")}
    assert not lazy & set(seen["after_import"])
    assert not lazy & set(seen["after_client"])
    assert lazy <= set(seen["after_use"])
    assert seen["same"] is True
    assert "github_codespaces._models.codespace" in seen["after_use"]
    assert "has no attribute 'NoSuchNamespace'" in seen["missing"]


MACHINE = """
import json, sys
from github_codespaces import models
machine = models.CodespaceMachine
print(json.dumps(sorted(m for m in sys.modules if m.startswith("github_codespaces._models."))))
"""


def test_a_model_loads_its_own_module_alone() -> None:
    # CodespaceMachine refers to its enum alone, which its module holds.
    assert _run(MACHINE) == ["github_codespaces._models.codespace_machine"]


DECODED = """
import importlib.util, json, sys
from github_codespaces import models
machine = {
    "name": "basicLinux32gb", "display_name": "2 cores", "operating_system": "linux",
    "storage_in_bytes": 1, "memory_in_bytes": 1, "cpus": 2, "prebuild_availability": "ready",
}
decoded = models.CodespaceMachine.from_json(json.dumps(machine))
print(json.dumps({
    "cpus": decoded.cpus,
    "msgspec": importlib.util.find_spec("msgspec") is not None,
    "loaded": sorted(m for m in sys.modules if m.startswith("github_codespaces.")),
}))
"""


def test_decoding_one_model_loads_its_modules_alone_with_or_without_msgspec() -> None:
    """msgspec's accelerator, when installed, defines the structs of a model when it is first
    decoded: it loads no other model's module."""
    seen = _run(DECODED)
    assert seen["cpus"] == 2
    models = [m for m in seen["loaded"] if m.startswith("github_codespaces._models.")]
    assert models == ["github_codespaces._models.codespace_machine"]
    assert ("github_codespaces._accelerated" in seen["loaded"]) is seen["msgspec"]
