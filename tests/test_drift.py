"""``make drift``: every kind of difference, classified for a client, against a synthetic
upstream; the exit statuses; the ``--json`` shape; patches; announcements; unusable input."""

from __future__ import annotations

import copy
import functools
import json
import shutil
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml

from generator import cli
from generator.drift import report as drift_module
from generator.drift.difference import ANNOUNCED, DRIFT, PATCHED
from generator.drift.provenance import read_provenance
from generator.drift.report import DriftReport, drift, record_provenance
from generator.reading.loader import load_spec
from generator.reading.patches import read_patches
from tests.synthetic_upstream import PATH, ROOT, synthetic_description

OP = "/paths/~1repos~1{owner}~1{repo}~1codespaces/post"
BODY = OP + "/requestBody/content/application~1json/schema"
CODESPACE = "/components/schemas/codespace"
REFERENCE = ROOT.parent / "shared" / "reference" / "github-rest-2022-11-28.codespaces-create.yaml"
OPERATION_ID = "codespaces/create-with-repo-for-authenticated-user"

Mutation = Callable[[dict[str, Any]], None]
Finding = tuple[str, str, str, "bool | None"]  # kind, category, pointer, tolerated


@pytest.fixture(scope="module", autouse=True)
def _spec_loaded_once() -> Iterator[None]:
    """Load each spec directory once: validating it takes most of a run's time, and the
    loader's own checks are tested in tests/test_loader.py."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(drift_module, "load_spec", functools.cache(load_spec))
        yield


@pytest.fixture(scope="module")
def baseline() -> str:
    return json.dumps(synthetic_description())


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory, baseline: str) -> Path:
    """spec/ as if transcribed from the synthetic description (its provenance recorded)."""
    root = tmp_path_factory.mktemp("drift")
    shutil.copytree(ROOT / "spec", root / "spec")
    (root / "baseline.json").write_text(baseline, encoding="utf-8")
    record_provenance(root / "spec", str(root / "baseline.json"), None)
    return root / "spec"


@pytest.fixture
def upstream(tmp_path: Path, baseline: str) -> Callable[[Mutation], Path]:
    """Write the synthetic description, changed by ``mutate``, to a file."""
    numbers = count()

    def write(mutate: Mutation) -> Path:
        document = json.loads(baseline)
        mutate(document)
        path = tmp_path / f"upstream-{next(numbers)}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return write


def operation(document: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = document["paths"][PATH]["post"]
    return node


def request_schema(document: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = operation(document)["requestBody"]["content"]["application/json"]
    return node["schema"]  # type: ignore[no-any-return]


def codespace(document: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = document["components"]["schemas"]["codespace"]
    return node


def drift_findings(report: DriftReport) -> list[Finding]:
    return [
        (d.kind, d.category, d.pointer, d.tolerated)
        for d in report.differences
        if d.category in DRIFT
    ]


# -- mutations of the upstream description ----------------------------------------------------


def remove_response_property(document: dict[str, Any]) -> None:
    del codespace(document)["properties"]["name"]
    codespace(document)["required"].remove("name")


def make_response_property_nullable(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["url"]["nullable"] = True


def make_response_property_optional(document: dict[str, Any]) -> None:
    codespace(document)["required"].remove("url")


def change_type(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["id"]["type"] = "string"


def change_format(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["created_at"]["format"] = "date"


def remove_request_property(document: dict[str, Any]) -> None:
    del request_schema(document)["properties"]["machine"]


def make_request_property_required(document: dict[str, Any]) -> None:
    request_schema(document)["required"] = ["ref"]


def add_required_request_property(document: dict[str, Any]) -> None:
    request_schema(document)["properties"]["region"] = {"type": "string"}
    request_schema(document)["required"] = ["region"]


def remove_status(document: dict[str, Any]) -> None:
    del operation(document)["responses"]["503"]


def remove_content_type(document: dict[str, Any]) -> None:
    del document["components"]["responses"]["bad_request"]["content"]["application/scim+json"]


def change_path(document: dict[str, Any]) -> None:
    document["paths"][PATH + "/new"] = document["paths"].pop(PATH)


def change_method(document: dict[str, Any]) -> None:
    item = document["paths"][PATH]
    item["put"] = item.pop("post")


def remove_enum_value(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["state"]["enum"].remove("Moved")


def add_optional_property(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["hibernated_at"] = {"type": "string", "format": "date-time"}


def add_optional_request_property(document: dict[str, Any]) -> None:
    request_schema(document)["properties"]["region"] = {"type": "string"}


def add_error_status(document: dict[str, Any]) -> None:
    operation(document)["responses"]["422"] = {"description": "Validation failed"}


def add_success_status(document: dict[str, Any]) -> None:
    operation(document)["responses"]["200"] = copy.deepcopy(operation(document)["responses"]["201"])


def add_content_type(document: dict[str, Any]) -> None:
    content = document["components"]["responses"]["not_found"]["content"]
    content["application/scim+json"] = {"schema": {"$ref": "#/components/schemas/scim-error"}}


def add_response_enum_value(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["state"]["enum"].append("Hibernated")


def add_request_enum_value(document: dict[str, Any]) -> None:
    request_schema(document)["properties"]["geo"]["enum"].append("AfricaNorth")


def change_description(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["name"]["description"] = "Name of the codespace, unique."


def make_request_property_nullable(document: dict[str, Any]) -> None:
    request_schema(document)["properties"]["ref"]["nullable"] = True


def make_response_property_required(document: dict[str, Any]) -> None:
    codespace(document)["required"].append("display_name")


def inline_reference(document: dict[str, Any]) -> None:
    user = copy.deepcopy(document["components"]["schemas"]["simple-user"])
    codespace(document)["properties"]["owner"] = user


def tighten_request_bound(document: dict[str, Any]) -> None:
    request_schema(document)["properties"]["idle_timeout_minutes"]["maximum"] = 240


B, A = "breaking", "additive"
CASES: list[tuple[Mutation, list[Finding]]] = [
    (remove_response_property, [("property-removed", B, CODESPACE + "/properties/name", None)]),
    (make_response_property_nullable, [("made-nullable", B, CODESPACE + "/properties/url", None)]),
    (make_response_property_optional, [("made-optional", B, CODESPACE + "/properties/url", None)]),
    (change_type, [("type-changed", B, CODESPACE + "/properties/id", None)]),
    (change_format, [("format-changed", B, CODESPACE + "/properties/created_at", None)]),
    (remove_request_property, [("property-removed", B, BODY + "/properties/machine", None)]),
    (make_request_property_required, [("made-required", B, BODY + "/properties/ref", None)]),
    (add_required_request_property, [("property-added", B, BODY + "/properties/region", None)]),
    (remove_status, [("status-removed", B, OP + "/responses/503", None)]),
    (
        remove_content_type,
        [
            (
                "content-type-removed",
                B,
                "/components/responses/bad_request/content/application~1scim+json",
                None,
            )
        ],
    ),
    (change_path, [("path-changed", B, OP, None)]),
    (change_method, [("method-changed", B, OP, None)]),
    (remove_enum_value, [("enum-value-removed", B, CODESPACE + "/properties/state/enum", None)]),
    (
        tighten_request_bound,
        [("constraint-tightened", B, BODY + "/properties/idle_timeout_minutes", None)],
    ),
    # The generated models ignore unknown response properties.
    (add_optional_property, [("property-added", A, CODESPACE + "/properties/hibernated_at", True)]),
    (add_optional_request_property, [("property-added", A, BODY + "/properties/region", None)]),
    # An undocumented error status raises its error anyway; an undocumented success does not work.
    (add_error_status, [("status-added", A, OP + "/responses/422", True)]),
    (add_success_status, [("status-added", A, OP + "/responses/200", False)]),
    (
        add_content_type,
        [
            (
                "content-type-added",
                A,
                "/components/responses/not_found/content/application~1scim+json",
                None,
            )
        ],
    ),
    # Response enums are open (an unknown value is kept as a string); request enums are checked.
    (
        add_response_enum_value,
        [("enum-value-added", A, CODESPACE + "/properties/state/enum", True)],
    ),
    (add_request_enum_value, [("enum-value-added", A, BODY + "/properties/geo/enum", False)]),
    (
        change_description,
        [("description-changed", A, CODESPACE + "/properties/name/description", None)],
    ),
    # Direction decides: null may now be sent (fine), a response property is now always there.
    (make_request_property_nullable, [("made-nullable", A, BODY + "/properties/ref", None)]),
    (
        make_response_property_required,
        [("made-required", A, CODESPACE + "/properties/display_name", None)],
    ),
    (inline_reference, [("reference-changed", A, CODESPACE + "/properties/owner", None)]),
]


@pytest.mark.parametrize(("mutate", "expected"), CASES, ids=[m.__name__ for m, _ in CASES])
def test_each_difference_is_classified(
    spec_dir: Path,
    upstream: Callable[[Mutation], Path],
    mutate: Mutation,
    expected: list[Finding],
) -> None:
    report = drift(spec_dir, str(upstream(mutate)))
    assert drift_findings(report) == expected
    assert report.drifted
    assert not report.unchanged
    # The patch and nothing else stays reported beside the drift.
    assert [d.kind for d in report.differences if d.category == PATCHED] == ["patched"]


def test_unchanged_upstream_is_no_drift(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    report = drift(spec_dir, str(upstream(lambda document: None)))
    assert report.unchanged
    assert not report.drifted
    assert [d.category for d in report.differences] == [PATCHED]


def test_the_patch_is_shown_as_patched_with_its_reason(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    (patch,) = read_patches(spec_dir / "patches.yaml")
    report = drift(spec_dir, str(upstream(lambda document: None)))
    (entry,) = report.differences
    assert (entry.kind, entry.category, entry.pointer) == ("patched", PATCHED, patch.target)
    assert entry.reason == patch.reason
    assert entry.old == {"minimum": 0, "maximum": 43200}
    assert entry.new is None


def test_a_patch_upstream_has_caught_up_with_is_reported(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    def state_bounds(document: dict[str, Any]) -> None:
        request_schema(document)["properties"]["retention_period_minutes"].update(
            minimum=0, maximum=43200
        )

    report = drift(spec_dir, str(upstream(state_bounds)))
    assert drift_findings(report) == [
        ("patch-upstreamed", A, BODY + "/properties/retention_period_minutes", None)
    ]


def test_a_patch_upstream_contradicts_is_breaking(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    def other_bound(document: dict[str, Any]) -> None:
        request_schema(document)["properties"]["retention_period_minutes"]["maximum"] = 1440

    report = drift(spec_dir, str(upstream(other_bound)))
    assert drift_findings(report) == [
        ("patch-contradicted", B, BODY + "/properties/retention_period_minutes", None)
    ]


def test_vendor_extensions_and_examples_are_ignored(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    def noise(document: dict[str, Any]) -> None:
        operation(document)["x-octokit"] = {
            "changes": [{"type": "OPERATION", "date": "2030-01-01"}]
        }
        operation(document)["x-github"] = {"githubCloudOnly": True}
        codespace(document)["x-github"] = {"internal": True}
        codespace(document)["properties"]["name"]["example"] = (
            "monalisa-octocat-hello-world-g4wpq6h95q"
        )
        document["components"]["examples"]["codespace"]["value"]["id"] = 2
        document["components"]["schemas"]["dummy-5"]["x-github-breaking-changes"] = [
            {"changeset": "x", "patch": {"properties": {"id": None}}, "version": "2030-01-01"}
        ]
        del document["paths"]["/dummies/7/{dummy_id}"]  # other operations are not ours

    report = drift(spec_dir, str(upstream(noise)))
    assert report.unchanged  # the hash, too, ignores extensions and examples
    assert not report.drifted
    assert [d.category for d in report.differences] == [PATCHED]


def test_a_property_named_like_an_extension_is_still_a_property(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    def add(document: dict[str, Any]) -> None:
        codespace(document)["properties"]["x-octokit"] = {"type": "string"}

    report = drift(spec_dir, str(upstream(add)))
    assert drift_findings(report) == [
        ("property-added", A, CODESPACE + "/properties/x-octokit", True)
    ]


def test_reflowed_description_is_no_drift(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    def reflow(document: dict[str, Any]) -> None:
        text = codespace(document)["properties"]["name"]["description"]
        codespace(document)["properties"]["name"]["description"] = "  " + text.replace(" ", "\n ")

    report = drift(spec_dir, str(upstream(reflow)))
    assert not report.unchanged
    assert not report.drifted


def test_breaking_changes_annotations_are_announced(
    spec_dir: Path, upstream: Callable[[Mutation], Path]
) -> None:
    def announce(document: dict[str, Any]) -> None:
        codespace(document)["x-github-breaking-changes"] = [
            {
                "changeset": "remove_display_name",
                "patch": {"properties": {"display_name": None}},
                "version": "2027-01-01",
            }
        ]
        operation(document)["x-github-breaking-changes"] = [
            {
                "changeset": "drop_202",
                "patch": [{"op": "remove", "path": "/responses/202"}],
                "version": "2027-06-01",
            }
        ]

    report = drift(spec_dir, str(upstream(announce)))
    assert not report.drifted
    assert report.unchanged  # an annotation is an extension: upstream's contract is unchanged
    announced = [d for d in report.differences if d.category == ANNOUNCED]
    assert [(d.kind, d.pointer, d.api_version, d.reason) for d in announced] == [
        (
            "announced-remove",
            CODESPACE + "/properties/display_name",
            "2027-01-01",
            "remove_display_name",
        ),
        ("announced-remove", OP + "/responses/202", "2027-06-01", "drop_202"),
    ]
    assert announced[0].message == (
        "API version 2027-01-01 removes codespace.display_name (changeset remove_display_name)"
    )
    display_name = codespace(synthetic_description())["properties"]["display_name"]
    assert announced[0].old == display_name  # what changes, as upstream has it today


# -- exit statuses, --json, inputs -------------------------------------------------------------


def run(spec_dir: Path, source: str | Path, *extra: str) -> int:
    return cli.main(["drift", "--spec", str(spec_dir), "--upstream", str(source), *extra])


def test_exit_statuses(
    spec_dir: Path, upstream: Callable[[Mutation], Path], tmp_path: Path
) -> None:
    assert run(spec_dir, upstream(lambda document: None)) == 0
    assert run(spec_dir, upstream(add_response_enum_value)) == 1  # additive is drift too
    assert run(spec_dir, upstream(change_type)) == 1
    assert run(spec_dir, tmp_path / "missing.json") == 2


def test_text_report(
    spec_dir: Path, upstream: Callable[[Mutation], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(spec_dir, upstream(add_request_enum_value)) == 1
    out = capsys.readouterr().out
    assert (
        "[enum-value-added] POST /repos/{owner}/{repo}/codespaces request body "
        "(application/json).geo: new value 'AfricaNorth'" in out
    )
    assert "the client must be regenerated to accept it" in out
    assert "why: GitHub bounds the retention period" in out
    assert out.rstrip().endswith("DRIFT: spec/ differs from upstream (1 additive, 1 patched).")


def test_json_report(
    spec_dir: Path, upstream: Callable[[Mutation], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    def changes(document: dict[str, Any]) -> None:
        add_response_enum_value(document)
        make_response_property_nullable(document)

    assert run(spec_dir, upstream(changes), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {
        "format",
        "drift",
        "exit_status",
        "spec",
        "upstream",
        "provenance",
        "operations",
        "counts",
        "differences",
    }
    assert (report["format"], report["drift"], report["exit_status"]) == (1, True, 1)
    assert report["counts"] == {"breaking": 1, "additive": 1, "patched": 1, "announced": 0}
    assert report["upstream"]["format"] == "json"
    assert report["upstream"]["unchanged_since_transcription"] is False
    assert report["operations"][0] == {
        "operation_id": OPERATION_ID,
        "method": "post",
        "path": PATH,
        "upstream_method": "post",
        "upstream_path": PATH,
    }
    assert [o["operation_id"] for o in report["operations"][1:]] == [
        "codespaces/check-permissions-for-devcontainer"
    ]
    keys = {
        "kind",
        "category",
        "pointer",
        "message",
        "old",
        "new",
        "tolerated",
        "reason",
        "api_version",
    }
    assert all(set(d) == keys for d in report["differences"])
    by_kind = {d["kind"]: d for d in report["differences"]}
    assert by_kind["made-nullable"]["category"] == "breaking"
    assert (by_kind["made-nullable"]["old"], by_kind["made-nullable"]["new"]) == (False, True)
    enum = by_kind["enum-value-added"]
    assert (enum["category"], enum["pointer"], enum["new"], enum["tolerated"]) == (
        "additive",
        CODESPACE + "/properties/state/enum",
        "Hibernated",
        True,
    )
    assert by_kind["patched"]["category"] == "patched"
    assert by_kind["patched"]["reason"].startswith("GitHub bounds the retention period")


def test_yaml_upstream_with_unquoted_status_codes(
    spec_dir: Path, baseline: str, tmp_path: Path
) -> None:
    document = json.loads(baseline)
    responses = operation(document)["responses"]
    operation(document)["responses"] = {int(status): value for status, value in responses.items()}
    path = tmp_path / "upstream.yaml"
    path.write_text(yaml.dump(document, Dumper=yaml.CSafeDumper), encoding="utf-8")
    assert "\n        201:" in path.read_text()
    report = drift(spec_dir, str(path))
    assert report.upstream.format == "yaml"
    assert report.unchanged
    assert not report.drifted


def test_https_url(spec_dir: Path, baseline: str) -> None:
    url = "https://descriptions.example/api.github.com.json"
    with respx.mock(assert_all_called=True) as mock:
        mock.get(url).respond(200, content=baseline.encode())
        assert run(spec_dir, url) == 0


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(404), "could not fetch: HTTP 404 Not Found"),
        (httpx.ConnectError("connection refused"), "could not fetch: connection refused"),
    ],
)
def test_https_url_that_fails(
    spec_dir: Path, answer: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://descriptions.example/api.github.com.json"
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(url)
        if isinstance(answer, Exception):
            route.side_effect = answer
        else:
            route.return_value = answer
        assert run(spec_dir, url) == 2
    assert capsys.readouterr().err == f"error: {url}: /: {message}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "/: no such file"),
        (b"\xff\xfe{}", "/: not UTF-8 text (byte 0)"),
        (
            b'{"openapi": "3.0.3",',
            "/: not valid JSON: Expecting property name enclosed in double quotes",
        ),
        (b"openapi: [3.0.3\n", "/: not valid JSON or YAML: "),
        (b"[1, 2]", "/: not an OpenAPI description (not a mapping)"),
        (b"title: a description\n", "/openapi: not an OpenAPI description (no 'openapi' version)"),
        (
            b"openapi: 3.1.0\npaths: {}\n",
            "/openapi: only OpenAPI 3.0.x descriptions are supported, not 3.1.0",
        ),
        (b"openapi: 3.0.3\n", "/paths: not an OpenAPI description (no 'paths' mapping)"),
        (
            b"openapi: 3.0.3\npaths: {}\n",
            f"/paths: no operation '{OPERATION_ID}' in the description",
        ),
    ],
)
def test_unusable_input(
    spec_dir: Path,
    tmp_path: Path,
    content: bytes | None,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "upstream"
    if content is not None:
        path.write_bytes(content)
    assert run(spec_dir, path) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}")
    assert message in err
    assert err.count("\n") == 1  # one line


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda document: operation(document).update(operationId="codespaces/create"),
            f"/paths: no operation '{OPERATION_ID}' in the description",
        ),
        (
            lambda document: document["components"]["schemas"].pop("simple-user"),
            "/components/schemas/simple-user: #/components/schemas/simple-user points at nothing",
        ),
        (
            lambda document: operation(document)["responses"].update({"201": "Created"}),
            f"{OP}/responses/201: 'Created' is not of type 'object'",
        ),
    ],
    ids=["operation-missing", "dangling-ref", "invalid-structure"],
)
def test_unusable_description(
    spec_dir: Path,
    upstream: Callable[[Mutation], Path],
    mutate: Mutation,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = upstream(mutate)
    assert run(spec_dir, path) == 2
    assert capsys.readouterr().err == f"error: {path}: {message}\n"


def test_write_provenance_keeps_the_hand_written_part(
    spec_dir: Path, baseline: str, tmp_path: Path
) -> None:
    copied = tmp_path / "spec"
    shutil.copytree(spec_dir, copied)
    source = tmp_path / "upstream.json"
    source.write_text(baseline, encoding="utf-8")
    assert run(copied, source, "--write-provenance", "--transcribed", "2030-01-02") == 0
    written = read_provenance(copied)
    before = read_provenance(ROOT / "spec")
    assert (written.source, written.api_version) == (before.source, before.api_version)
    assert written.transcribed == "2030-01-02"
    assert written.descriptions == read_provenance(spec_dir).descriptions
    assert CODESPACE + "/properties/name/description" in written.descriptions
    assert not any("dummies" in where or "dummy-" in where for where in written.descriptions)


def test_write_provenance_refuses_a_bad_date(
    spec_dir: Path, baseline: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "upstream.json"
    source.write_text(baseline, encoding="utf-8")
    assert run(spec_dir, source, "--write-provenance", "--transcribed", "23/11/2026") == 2
    assert "'23/11/2026' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_against_githubs_reference_description(tmp_path: Path) -> None:
    """The reference cut of GitHub's description is what spec/'s create operation was
    transcribed from (the cut holds that operation alone)."""
    spec_dir = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", spec_dir)
    document = yaml.safe_load((spec_dir / "openapi.yaml").read_text(encoding="utf-8"))
    document["paths"] = {PATH: document["paths"][PATH]}
    (spec_dir / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    report = drift(spec_dir, str(REFERENCE))
    # (Not "unchanged since transcription": provenance.yaml digests both operations' sources.)
    assert not report.drifted
    assert [d.kind for d in report.differences] == ["patched"]
