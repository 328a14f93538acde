"""docs/configuration.md is generated from the option classes (scripts/config_reference.py): it
must be the generator's current output, and it must name every table and key."""
from __future__ import annotations

import dataclasses
import runpy
import shutil
import subprocess
import sys

from conftest import REPO
from toolkit.config import option_tables

SCRIPT = REPO / "scripts" / "config_reference.py"


def test_the_configuration_reference_is_up_to_date():
    generated = runpy.run_path(str(SCRIPT))["render"]()
    committed = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == generated, ("docs/configuration.md is out of date: "
                                    "run python scripts/config_reference.py --write")


def test_the_reference_names_every_table_and_key_with_type_and_default():
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for table, cls in option_tables().items():
        assert f"## `[{table}]`" in text
        for f in dataclasses.fields(cls):
            section = text.split(f"### `[{table}] {f.name}`", 1)[1].split("\n### ", 1)[0]
            assert "- type: " in section and "- default: " in section, (table, f.name)
            assert f.metadata["doc"].split(".")[0] in section


def test_check_mode_fails_on_a_stale_reference(tmp_path):
    ok = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    # the script of a copy of the repository whose reference misses a key
    copy = tmp_path / "repo"
    for part in ("toolkit", "scripts", "docs"):
        shutil.copytree(REPO / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    ref = copy / "docs" / "configuration.md"
    ref.write_text(ref.read_text(encoding="utf-8").replace("max_volume_pages", "max_pages"), encoding="utf-8")
    stale = subprocess.run([sys.executable, str(copy / "scripts" / "config_reference.py"), "--check"],
                           capture_output=True, text=True)
    assert stale.returncode == 1 and "out of date" in stale.stderr, stale.stderr
