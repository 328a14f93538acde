"""Pages that stay usable at any size (issue #18): how the site pages that list things split
into pages of bounded size — the pager's window of links, the mentions of an entity, the entity
indices by initial, the chronology by years, the listing's filter data in chunks. Pure functions
on lists; site.py decides what goes on the pages."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# The limits. Each keeps a page well under 1 MB (an entity's passage: at most 220 characters of
# snippet and its link, under 1 KB even in a script of three bytes a character; an index entry
# or a chronology line: about 300 bytes) and each filter data file under 200 KB.
PAGER_WINDOW = 5             # the pager links the first, the last and this many either side
MENTIONS_PER_PAGE = 1000     # passages on one page of an entity's mentions
INDEX_ONE_PAGE_UP_TO = 1000  # an index with more entries gets a page per initial
INDEX_PER_PAGE = 2000        # entries on one page of an initial (a larger initial: more pages)
INDEX_MAX_INITIALS = 60      # more initials than this (CJK): neighbouring small ones share a page
CHRONOLOGY_PER_PAGE = 2000   # documents on one page of the chronology
DATA_CHUNK_BYTES = 150_000   # estimated bytes of one filter data file (assets/data*.js)
HOME_FEATURED = 20           # fully transcribed documents the home page names (the listing has all)
FACET_OPTIONS = 500          # a listing filter's options (about 60 bytes each, on every listing page)

OTHER = "#"  # the initial of the names that do not begin with a letter (digits, symbols)
# Hangul's 19 leading consonants (U+1100–U+1112, the conjoining jamo a syllable decomposes to)
# as the letters a reader knows and a font draws alone (Hangul Compatibility Jamo).
_CHOSEONG = {chr(0x1100 + i): c for i, c in enumerate("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")}


def window(current: int, total: int, width: int | None = None) -> list[int]:
    """The page numbers a pager links on page `current` of `total`: the first, the last and
    `width` either side of the current one (at most 2 * width + 3 links, whatever the total)."""
    w = PAGER_WINDOW if width is None else width
    near = range(max(1, current - w), min(total, current + w) + 1)
    return sorted({1, total, *near}) if total else []


def initial(sort_key: str) -> str:
    """The letter an index groups a name under: the first of its sort key (toolkit/tei/names.py,
    accents already dropped), in upper case; OTHER for a digit, a symbol or nothing. Hangul
    syllables, decomposed by the key's NFKD, group by their leading consonant, labelled with its
    compatibility letter (ㅎ, not the conjoining ᄒ that only draws inside a syllable)."""
    c = sort_key[:1]
    if not c or not c.isalpha():
        return OTHER
    return _CHOSEONG.get(c) or unicodedata.normalize("NFC", c.upper())[:1]


def group_adjacent(items: Sequence[T], key: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Runs of neighbouring items with the same key, in order."""
    out: list[tuple[str, list[T]]] = []
    for it in items:
        k = key(it)
        if out and out[-1][0] == k:
            out[-1][1].append(it)
        else:
            out.append((k, [it]))
    return out


def pack(groups: list[tuple[str, list[T]]], size: int) -> list[list[tuple[str, list[T]]]]:
    """Pages of at most `size` items from runs of labelled items: neighbouring runs share a page
    while they fit, a run larger than a page is cut into pages of `size` (each part keeps the
    run's label). Every item on exactly one page, in order."""
    pages: list[list[tuple[str, list[T]]]] = []
    room = 0
    for label, items in groups:
        for i in range(0, len(items), size):
            part = items[i:i + size]
            if not pages or len(part) > room:
                pages.append([])
                room = size
            pages[-1].append((label, part))
            room -= len(part)
    return pages or [[]]


def index_pages(entries: Sequence[T], sort_key: Callable[[T], str]) -> list[list[tuple[str, list[T]]]]:
    """An entity index's pages, each a list of (initial, entries): one page when the index is
    small (INDEX_ONE_PAGE_UP_TO), else one page per initial, a large initial on several pages
    (INDEX_PER_PAGE), and when there are very many initials (INDEX_MAX_INITIALS: ideographs)
    neighbouring small ones together."""
    groups = group_adjacent(entries, lambda e: initial(sort_key(e)))
    if len(entries) <= INDEX_ONE_PAGE_UP_TO:
        return [groups]
    if len(groups) > INDEX_MAX_INITIALS:
        return pack(groups, INDEX_PER_PAGE)
    return [[(label, items[i:i + INDEX_PER_PAGE])] for label, items in groups
            for i in range(0, len(items), INDEX_PER_PAGE)]


def mention_pages(grouped: list[tuple[str, list]], size: int | None = None) -> list[list[tuple[str, list]]]:
    """An entity's mentions ([(document id, passages)], in document order) on pages of at most
    `size` passages (MENTIONS_PER_PAGE); a document with more is continued on the next page."""
    n = MENTIONS_PER_PAGE if size is None else size
    pages = pack(grouped, n)
    return pages if pages != [[]] else [[]]


def chunks_by_bytes(items: Sequence[T], weight: Callable[[T], int], budget: int | None = None) -> list[list[T]]:
    """Neighbouring items in chunks whose weights (estimated bytes) add up to at most `budget`
    (DATA_CHUNK_BYTES; an item heavier than that alone); at least one chunk."""
    limit = DATA_CHUNK_BYTES if budget is None else budget
    out: list[list[T]] = [[]]
    used = 0
    for it in items:
        w = weight(it)
        if out[-1] and used + w > limit:
            out.append([])
            used = 0
        out[-1].append(it)
        used += w
    return out
