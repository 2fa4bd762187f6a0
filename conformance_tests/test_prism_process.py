"""Prism's life in the tests: a bounded start, a failure that says why, nothing left running."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conformance_tests import prism as prism_process
from conformance_tests.prism import PrismError, serving
from conformance_tests.support import PRISM


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_prism_is_stopped_with_its_process_group(prism: prism_process.Prism) -> None:
    document = Path(prism.log_file).parent / "upstream-cut.json"
    with serving(PRISM, document, Path(prism.log_file).with_name("again.log")) as running:
        pid = running.pid
        assert not _gone(pid)
    assert _gone(pid)


def test_a_description_prism_cannot_read_fails_the_start_with_its_log(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    started = time.monotonic()
    with (
        pytest.raises(PrismError, match="Prism exited with status") as caught,
        serving(PRISM, missing, tmp_path / "prism.log"),
    ):
        pass
    assert "nowhere.json" in str(caught.value)  # the tail of Prism's log says what it could not do
    assert time.monotonic() - started < prism_process.START_TIMEOUT


def test_a_prism_that_never_listens_is_given_up_on_and_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    silent = tmp_path / "silent-prism"
    pid_file = tmp_path / "pid"
    silent.write_text(f"#!/bin/sh\necho $$ > {pid_file}\necho starting\nexec sleep 60\n")
    silent.chmod(0o755)
    monkeypatch.setattr(prism_process, "START_TIMEOUT", 0.5)
    started = time.monotonic()
    with (
        pytest.raises(PrismError, match=r"did not start listening within 0.5 s(.|\n)*starting"),
        serving(silent, tmp_path / "document.json", tmp_path / "prism.log"),
    ):
        pass
    assert time.monotonic() - started < 0.5 + 2 * prism_process.STOP_TIMEOUT
    assert _gone(int(pid_file.read_text()))


def test_a_missing_prism_says_how_to_install_it(tmp_path: Path) -> None:
    with (
        pytest.raises(PrismError, match="make prism"),
        serving(tmp_path / "no-prism", tmp_path / "document.json", tmp_path / "prism.log"),
    ):
        pass
