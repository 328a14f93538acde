"""Interrupts (issue #10, item 14): Ctrl-C exits 130 and SIGTERM 143, each with one line and no
traceback; neither leaves a staging folder, search copies in /dev/shm or a worker behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _common import replicate_edition  # noqa: E402


@pytest.fixture(scope="module")
def big_edition(tmp_path_factory) -> Path:
    return replicate_edition(tmp_path_factory.mktemp("big") / "ed", 400)


def start_build(ed: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "toolkit.cli", "build", "html", "--full"], cwd=ed,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for_staging(ed: Path, proc: subprocess.Popen) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if list((ed / "output").glob(".html.staging-*")) or proc.poll() is not None:
            time.sleep(0.5)
            return
        time.sleep(0.02)


def leftovers(ed: Path, pid: int) -> list[str]:
    out = [p.name for p in (ed / "output").glob(".html.*")]
    shm = Path("/dev/shm")
    if shm.is_dir():
        out += [p.name for p in shm.glob(f"edition-pagefind-{pid}-*")]
    return out


def children_of(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-s", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return []
    return [int(x) for x in out.split() if int(x) != pid]


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_an_interrupted_build_cleans_up(big_edition, how):
    proc = start_build(big_edition)
    wait_for_staging(big_edition, proc)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    if how == "sigterm":
        proc.send_signal(signal.SIGTERM)  # the main process only, as a service manager does
    else:
        os.killpg(proc.pid, signal.SIGINT)  # the terminal sends Ctrl-C to the whole group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == (143 if how == "sigterm" else 130), err
    assert err.strip() == ("terminated" if how == "sigterm" else "interrupted"), err
    time.sleep(0.5)
    assert leftovers(big_edition, proc.pid) == []
    assert children_of(proc.pid) == []
