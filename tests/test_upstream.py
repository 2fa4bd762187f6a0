"""The pin and the registry: ``make upstream``, ``make drift-latest``, ``make upstream-bump``.

Offline: releases are tarballs the tests build from the synthetic description
(tests/local_registry.py). The functions under test take the registry as an argument; the
last tests point the real npm client at the same releases served on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator import cli
from generator.drift import releases
from generator.drift.pin import read_pin
from generator.drift.provenance import read_provenance, write_provenance
from generator.drift.registry import Npm, RegistryError, Release
from generator.drift.report import drift
from generator.errors import SpecError
from tests.local_registry import PACKAGE, Project, pinned_project, serve, sri
from tests.synthetic_upstream import PATH, ROOT, synthetic_description

API = "generated/api.github.com.json"
GHEC = "generated/ghec.json"
PINNED = "23.0.2"
PINNED_AT = "2026-09-09T22:29:36.037Z"
NEWER_AT = "2030-02-03T04:05:06.000Z"
CODESPACE = "/components/schemas/codespace"

Mutation = Callable[[dict[str, Any]], None]


def description(*mutations: Mutation) -> bytes:
    document = synthetic_description()
    for mutate in mutations:
        mutate(document)
    return json.dumps(document).encode()


def codespace(document: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = document["components"]["schemas"]["codespace"]
    return node


def id_becomes_a_string(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["id"]["type"] = "string"


def add_hibernated_at(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["hibernated_at"] = {"type": "string", "format": "date-time"}


def reword_name(document: dict[str, Any]) -> None:
    codespace(document)["properties"]["name"]["description"] = "Name of the codespace, unique."


def drop_the_operation(document: dict[str, Any]) -> None:
    del document["paths"][PATH]["post"]  # the create: the path has other operations too


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """spec/ transcribed from the synthetic description, published as 23.0.2 and pinned."""
    files = {API: description(), GHEC: description(add_hibernated_at)}
    return pinned_project(tmp_path, files, PINNED, PINNED_AT)


def latest(project: Project, *, name: str = "api.github.com", as_json: bool = False) -> int:
    return releases.run_latest(
        project.spec, name, project.into / "latest", project.registry, as_json=as_json
    )


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line
    assert err.startswith("error: ")
    return err


# -- make drift-latest --------------------------------------------------------------------------


def test_latest_reports_what_a_newer_release_breaks(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish("24.0.0", {API: description(id_becomes_a_string)}, NEWER_AT)
    before = project.provenance
    assert latest(project) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        f"Newest {PACKAGE} on the npm registry: 24.0.0, published {NEWER_AT} (pin: {PINNED})"
    )
    assert "[type-changed] codespace.id: type integer is now string\n" in out
    assert out.rstrip().endswith("DRIFT: spec/ differs from upstream (1 breaking, 1 patched).")
    assert project.provenance == before  # the pin stays
    assert (project.into / "latest" / "api.github.com.json").read_bytes() == description(
        id_becomes_a_string
    )


def test_an_identical_newer_release_is_no_drift(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish("24.0.0", {API: project.files[API]}, NEWER_AT)
    assert latest(project) == 0
    out = capsys.readouterr().out
    assert "Newest @octokit/openapi on the npm registry: 24.0.0" in out
    assert "upstream unchanged since transcription" in out
    assert out.rstrip().endswith("No drift (1 patched).")


def test_latest_when_the_newest_is_the_pin(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert latest(project) == 0
    assert f"{PINNED}, published {PINNED_AT} (the pinned version)" in capsys.readouterr().out


def test_the_pinned_version_with_other_bytes_is_refused(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish(PINNED, {API: description(add_hibernated_at)}, PINNED_AT)
    assert latest(project) == 2
    assert "the registry serves other bytes for the pinned version" in error_line(capsys)


def test_latest_refuses_a_tarball_that_fails_its_integrity(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish("24.0.0", {API: project.files[API]}, NEWER_AT)
    project.registry.tamper("24.0.0", sri(b"something else"))
    assert latest(project) == 2
    err = error_line(capsys)
    assert f"{PACKAGE}@24.0.0: the tarball (octokit-openapi-24.0.0.tgz) has integrity" in err
    assert f"not the registry's {sri(b'something else')}" in err
    assert not (project.into / "latest" / "api.github.com.json").exists()
    assert [p.name for p in (project.into / "latest").iterdir()] == []  # no tarball left


def test_latest_as_json_names_the_release(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    published = project.registry.publish("24.0.0", {API: description(add_hibernated_at)}, NEWER_AT)
    assert latest(project, as_json=True) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["release"] == {
        "package": PACKAGE,
        "version": "24.0.0",
        "published": NEWER_AT,
        "integrity": published.integrity,
        "file": API,
        "pinned_version": PINNED,
    }
    assert (report["drift"], report["counts"]["additive"]) == (True, 1)


def test_latest_of_another_description(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    # GHEC's description has one more property than the one spec/ was transcribed from.
    project.registry.publish("24.0.0", project.files, NEWER_AT)
    assert latest(project, name="ghec") == 1
    out = capsys.readouterr().out
    assert "Drift of " in out
    assert "ghec.json" in out.splitlines()[1]
    assert "[property-added] new optional property codespace.hibernated_at" in out


def test_latest_of_a_file_the_release_lacks(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish("24.0.0", {API: project.files[API]}, NEWER_AT)
    assert latest(project, name="ghec") == 2
    assert "octokit-openapi-24.0.0.tgz: the package has no file generated/ghec.json" in (
        error_line(capsys)
    )


def test_latest_of_a_release_spec_cannot_be_found_in(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish("24.0.0", {API: description(drop_the_operation)}, NEWER_AT)
    assert latest(project) == 2
    assert "no operation 'codespaces/create-with-repo-for-authenticated-user'" in (
        error_line(capsys)
    )


# -- make upstream ------------------------------------------------------------------------------


def test_fetch_the_pinned_description_once(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, file in (("api.github.com", API), ("ghec", GHEC)):
        assert releases.run_fetch(project.spec, name, project.into, project.registry) == 0
        assert (project.into / Path(file).name).read_bytes() == project.files[file]
        assert capsys.readouterr().out == (
            f"fetched {PACKAGE}@{PINNED} {file} into {project.into / Path(file).name} "
            "(sha256 matches the pin)\n"
        )
    assert releases.run_fetch(project.spec, "ghec", project.into, project.registry) == 0
    assert "ghec.json is @octokit/openapi@23.0.2 generated/ghec.json" in capsys.readouterr().out
    assert project.registry.packed == [PINNED, PINNED]  # not fetched again
    assert sorted(p.name for p in project.into.iterdir()) == ["api.github.com.json", "ghec.json"]


def test_fetch_refuses_a_file_that_is_not_the_pinned_one(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = project.into / "api.github.com.json"
    stale.parent.mkdir()
    stale.write_bytes(b"{}")
    project.registry.publish(PINNED, {API: description(reword_name)}, PINNED_AT)
    assert releases.run_fetch(project.spec, "api.github.com", project.into, project.registry) == 2
    err = error_line(capsys)
    assert f"{PACKAGE}@{PINNED} {API} has sha256 {sha256(description(reword_name))}" in err
    assert f"not the pinned {sha256(project.files[API])}" in err
    assert stale.read_bytes() == b"{}"  # left as it was


def test_fetch_of_a_description_that_is_not_pinned(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert releases.run_fetch(project.spec, "ghes-3.19", project.into, project.registry) == 2
    err = error_line(capsys)
    assert "/source/sha256: generated/ghes-3.19.json is not pinned" in err
    assert "(pinned: api.github.com, ghec)" in err
    assert releases.run_fetch(project.spec, "../x", project.into, project.registry) == 2
    assert "'../x' is not the name of a description" in error_line(capsys)


# -- make upstream-bump -------------------------------------------------------------------------


def test_bump_reports_then_moves_the_pin_and_back(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    original = project.provenance
    newer = {API: description(reword_name, add_hibernated_at), GHEC: description()}
    project.registry.publish("24.0.0", newer, NEWER_AT)

    assert releases.run_bump(project.spec, None, project.into, project.registry) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Moving the pin of {PACKAGE} from {PINNED} to 24.0.0, published {NEWER_AT}"
    assert (
        lines[1]
        == f"  {API}: sha256 {sha256(project.files[API])[:12]} -> {sha256(newer[API])[:12]}"
    )
    assert (
        lines[2]
        == f"  {GHEC}: sha256 {sha256(project.files[GHEC])[:12]} -> {sha256(newer[GHEC])[:12]}"
    )
    # Reported against the provenance of the old pin: the rewording shows.
    assert "[description-changed] upstream rewords the description of codespace.name" in out
    assert "[property-added] new optional property codespace.hibernated_at" in out
    assert f"Pinned {PACKAGE}@24.0.0 in {project.spec}/provenance.yaml: sha256 of 2 files" in out
    assert "`make drift` fails until then" in out

    pin = read_pin(project.spec)
    assert (pin.version, dict(pin.sha256)) == (
        "24.0.0",
        {API: sha256(newer[API]), GHEC: sha256(newer[GHEC])},
    )
    assert (project.into / "api.github.com.json").read_bytes() == newer[API]
    assert sorted(p.name for p in project.into.iterdir()) == ["api.github.com.json", "ghec.json"]
    # Against the new pin, the rewording is recorded; the new property is still to transcribe.
    report = drift(project.spec, str(project.into / "api.github.com.json"))
    assert [d.kind for d in report.differences if d.category == "additive"] == ["property-added"]

    assert releases.run_bump(project.spec, PINNED, project.into, project.registry) == 0
    assert project.provenance == original
    assert releases.run_bump(project.spec, PINNED, project.into, project.registry) == 0
    assert f"{PACKAGE} stays pinned at {PINNED}, published" in capsys.readouterr().out
    assert project.provenance == original
    assert (project.into / "ghec.json").read_bytes() == project.files[GHEC]


def test_a_failed_bump_leaves_the_pin(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.provenance
    assert releases.run_bump(project.spec, "99.0.0", project.into, project.registry) == 2
    assert "npm view @octokit/openapi@99.0.0 failed" in error_line(capsys)
    project.registry.publish("24.0.0", {API: description(drop_the_operation), GHEC: b"{}"})
    assert releases.run_bump(project.spec, None, project.into, project.registry) == 2
    assert "no operation" in error_line(capsys)
    project.registry.publish("25.0.0", {API: project.files[API]})  # no ghec.json
    assert releases.run_bump(project.spec, None, project.into, project.registry) == 2
    assert "has no file generated/ghec.json" in error_line(capsys)
    assert project.provenance == before
    assert not project.into.exists() or sorted(p.name for p in project.into.iterdir()) == []


def test_the_pin_is_read_from_provenance_alone(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", spec_dir)
    pin = read_pin(spec_dir)
    assert pin.package == PACKAGE
    assert pin.file == API
    assert set(pin.sha256) == {API, GHEC}
    assert pin.version in (ROOT / "spec" / "provenance.yaml").read_text()
    recorded = read_provenance(spec_dir)
    write_provenance(spec_dir, replace(recorded, sha256={GHEC: recorded.sha256[GHEC]}))
    with pytest.raises(SpecError, match=re.escape(f"no sha256 pinned for {API} (source.file)")):
        read_pin(spec_dir)
    write_provenance(spec_dir, replace(recorded, sha256={API: "not-a-sha256"}))
    with pytest.raises(SpecError, match="/source/sha256: expected a mapping"):
        read_pin(spec_dir)


# -- the real npm client, against the same releases on 127.0.0.1 --------------------------------


@pytest.fixture
def npm_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Point npm (through its environment) at a registry URL, with a cache of the test's own
    and no retries, so that a refused connection fails at once."""
    if shutil.which("npm") is None:
        pytest.fail("npm is needed (the Makefile's upstream targets use it); install Node.js")
    (tmp_path / "npmrc").write_text("")

    def point_at(url: str) -> None:
        monkeypatch.setenv("npm_config_registry", url)
        monkeypatch.setenv("npm_config_userconfig", str(tmp_path / "npmrc"))
        monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
        monkeypatch.setenv("npm_config_fetch_retries", "0")
        monkeypatch.setenv("npm_config_update_notifier", "false")

    return point_at


@pytest.fixture
def served(project: Project, npm_config: Callable[[str], None]) -> Iterator[str]:
    with serve(project.registry) as url:
        npm_config(url)
        yield url


def test_npm_tells_the_newest_release_and_packs_it(
    project: Project, served: str, tmp_path: Path
) -> None:
    published = project.registry.publish("24.0.0", {API: project.files[API]}, NEWER_AT)
    npm = Npm()
    assert npm.release(PACKAGE) == Release(PACKAGE, "24.0.0", NEWER_AT, published.integrity)
    pinned = npm.release(PACKAGE, PINNED)
    assert (pinned.version, pinned.published) == (PINNED, PINNED_AT)
    (tmp_path / "packed").mkdir()
    tarball = npm.pack(pinned, tmp_path / "packed")
    assert tarball.read_bytes() == project.registry.releases[PINNED].path.read_bytes()
    with pytest.raises(RegistryError) as raised:
        npm.release(PACKAGE, "9.9.9")
    assert str(raised.value) == (
        f"npm view {PACKAGE}@9.9.9 failed: E404: No match found for version 9.9.9"
    )


def test_drift_latest_through_npm(
    project: Project, served: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish("24.0.0", {API: description(id_becomes_a_string)}, NEWER_AT)
    argv = ["upstream", "latest", "--spec", str(project.spec), "--into", str(project.into)]
    assert cli.main(argv) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"Newest {PACKAGE} on the npm registry: 24.0.0, published {NEWER_AT}")
    assert "[type-changed] codespace.id" in out


def test_npm_refuses_a_tarball_that_fails_its_integrity(
    project: Project, served: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project.registry.publish("24.0.0", {API: project.files[API]}, NEWER_AT)
    project.registry.tamper("24.0.0", sri(b"something else"))
    argv = ["upstream", "latest", "--spec", str(project.spec), "--into", str(project.into)]
    assert cli.main(argv) == 2
    assert f"error: npm pack {PACKAGE}@24.0.0 failed: EINTEGRITY" in error_line(capsys)


def test_an_unreachable_registry_is_one_clear_line(
    project: Project, npm_config: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    npm_config(f"http://127.0.0.1:{port}/")
    for action, version in (("latest", "latest"), ("bump", "latest"), ("fetch", PINNED)):
        argv = ["upstream", action, "--spec", str(project.spec), "--into", str(project.into)]
        assert cli.main(argv) == 2
        err = error_line(capsys)
        assert err.startswith(f"error: npm view {PACKAGE}@{version} failed: ECONNREFUSED: ")
        assert f"127.0.0.1:{port}" in err


def test_without_the_npm_client(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=r"the npm client \(.*no-npm\) is not installed"):
        Npm(npm=str(tmp_path / "no-npm")).release(PACKAGE)
