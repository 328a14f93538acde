"""The benchmarks' replicated editions (bench/_common.replicate_edition) stay valid at any size:
document ids keep the schema's doc-YYYY-MM-DD shape with a four-digit year past 9,000 replicas
(issue #18: five-digit years made every replica past 9,000 invalid)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _common import _replica_id, replicate_edition  # noqa: E402


def _doc_id_pattern() -> re.Pattern:
    rng = (REPO / "schema" / "edition.rng").read_text(encoding="utf-8")
    pattern = re.search(r'<param name="pattern">(doc-[^<]+)\\\.xml</param>', rng).group(1)
    return re.compile(pattern)


def test_replica_ids_are_unique_and_valid_up_to_300000():
    shape = _doc_id_pattern()
    ids = [_replica_id(i) for i in range(11, 300_011)]
    assert len(set(ids)) == len(ids)
    bad = [x for x in ids if not shape.fullmatch(x)]
    assert not bad, bad[:5]
    assert _replica_id(9_011) != _replica_id(11)


def test_a_replicated_edition_validates(tmp_path):
    from conftest import run_cli
    ed = replicate_edition(tmp_path / "ed", 30)
    assert len(list((ed / "tei").glob("doc-*.xml"))) == 30
    res = run_cli("validate", "-q", cwd=ed)
    assert res.returncode == 0, res.stdout + res.stderr
