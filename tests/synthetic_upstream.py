"""A synthetic "full description" for the drift tests, built from the project's own spec.

It holds the spec's operations and components as GitHub would publish them (no patches applied),
buried among a few hundred dummy operations and schemas, with the vendor extensions and
examples the real description carries: drift must find its way through all of that.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PATH = "/repos/{owner}/{repo}/codespaces"
DUMMIES = 300


def synthetic_description() -> dict[str, Any]:
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    paths: dict[str, Any] = copy.deepcopy(spec["paths"])
    for item in paths.values():
        for operation in item.values():
            operation["x-github"] = {"category": "codespaces", "subcategory": "codespaces"}
            operation["x-octokit"] = {}
    for status in ("201", "202"):
        media = paths[PATH]["post"]["responses"][status]["content"]["application/json"]
        media["examples"] = {"default": {"$ref": "#/components/examples/codespace"}}
    components = copy.deepcopy(spec["components"])
    components["examples"] = {"codespace": {"value": {"id": 1, "name": "monalisa-octocat"}}}
    for index in range(DUMMIES):
        name = f"dummy-{index}"
        components["schemas"][name] = {
            "title": f"Dummy {index}",
            "description": f"Dummy schema number {index}.",
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64", "example": index},
                "label": {"type": "string", "nullable": True},
                "owner": {"$ref": "#/components/schemas/simple-user"},
                "previous": {"$ref": f"#/components/schemas/dummy-{max(index - 1, 0)}"},
            },
            "required": ["id"],
        }
        paths[f"/dummies/{index}/{{dummy_id}}"] = {
            "get": {
                "summary": f"Get dummy {index}",
                "operationId": f"dummies/get-{index}",
                "parameters": [
                    {
                        "name": "dummy_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Response",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                    "404": {"$ref": "#/components/responses/not_found"},
                },
                "x-github": {"category": "dummies"},
                "x-octokit": {},
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Synthetic GitHub", "version": "0.0.1"},
        "servers": copy.deepcopy(spec["servers"]),
        "paths": paths,
        "components": components,
    }
