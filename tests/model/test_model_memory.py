"""The model holds no reference to itself from outside: an Edition that nobody uses any more is
freed with its parsed trees (`edition serve` makes one per rebuild)."""
from __future__ import annotations

import gc
import weakref

from conftest import REPO
from toolkit.config import load_config
from toolkit.model import Edition


def test_an_edition_is_freed_when_dropped():
    refs = []
    for _ in range(3):
        ed = Edition.load(load_config(REPO / "edition.toml"))
        assert ed.mentions  # resolves every pointer (the memo of resolve)
        assert ed.resolve("persons.xml#stalin", REPO / "tei" / "doc-1937-06-14.xml") is not None
        refs.append(weakref.ref(ed))
        del ed
    gc.collect()
    assert [r() for r in refs] == [None, None, None]
