"""Name matching against the edition's authority files (through the Edition model).

Names and text are compared as token sequences (words, hyphenated words and single punctuation
marks), case and diacritics folded, so "I.V. Stalin" matches "I. V. Stalin", "Ürümqi" matches
"Urumqi" and word boundaries come for free. The longest name wins. Forms of address ("Cde.",
"Governor") are never part of an authority name, so they stay outside the tagged name.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*|[^\s]")

# Forms of address and titles: never part of a name; the next capitalised word is a person.
TITLES = {"cde", "cdes", "comrade", "comrades", "tov", "gen", "general", "marshal", "governor",
          "dr", "mr", "mrs", "ms", "prof", "professor", "colonel", "col", "major", "captain",
          "commander", "ambassador", "consul", "minister", "premier", "chairman", "secretary",
          "lieutenant", "lt", "sgt", "sergeant", "admiral", "president", "academician"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
          "sep", "sept", "oct", "nov", "dec"}
# Capitalised words that are not names: function words that start headings, weekdays.
NOT_NAMES = {"the", "a", "an", "and", "of", "in", "on", "to", "for", "with", "by", "from", "at",
             "as", "it", "he", "she", "we", "they", "this", "that", "these", "those", "his", "her",
             "its", "our", "their", "if", "when", "while", "after", "before", "since", "not", "no",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "i",
             "nº", "mr", "point", "points", "item", "excerpts", "copies"}
PLACE_WORDS = {"district", "province", "region", "oblast", "krai", "river", "lake", "mountains",
               "county", "city", "town", "republic", "valley", "pass", "steppe", "desert"}
ORG_WORDS = {"division", "army", "regiment", "regiments", "brigade", "committee", "government",
             "commissariat", "party", "council", "bureau", "ministry", "corps", "detachment",
             "company", "bank", "consulate", "directorate", "department", "politburo", "front"}
SENTENCE_BREAKS = {".", ":", ";", "!", "?", ")", "(", "“", "\"", "‘", "—"}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and diacritics-insensitive key: 'Ürümqi' → 'urumqi', '’' → '\''."""
    text = text.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    key: str
    bracket: int | None = None      # id of the alternative-name bracket it sits in, if any

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    return [Token(m.start() + offset, m.end() + offset, m.group(), fold(m.group()))
            for m in TOKEN.finditer(text)]


@dataclass(frozen=True)
class EntityRef:
    id: str
    kind: str            # person | place | org
    preferred: str


class Gazetteer:
    """Every name and variant of every entity, as folded token tuples."""

    def __init__(self, entities):
        self.names: dict[tuple[str, ...], set[EntityRef]] = {}
        self.lowercase_ok: set[tuple[str, ...]] = set()
        self.prefixes: set[tuple[str, ...]] = set()
        self.name_words: dict[str, set[str]] = {}   # word → ids of the entities using it
        # coordination: shared tail → {distinguishing prefix → entities}
        self.tails: dict[tuple[str, ...], dict[tuple[str, ...], set[EntityRef]]] = {}
        self.by_id: dict[str, EntityRef] = {}
        for ent in entities:
            ref = EntityRef(ent.id, ent.kind, ent.preferred)
            self.by_id[ent.id] = ref
            for surface in [ent.preferred, *ent.variants]:
                self._add(surface, ref)
        # coordination looks tails up by length at each "and", in the order they were added
        self.tail_rank = {tail: n for n, tail in enumerate(self.tails)}
        self.tail_lengths = sorted({len(tail) for tail in self.tails})

    def _add(self, surface: str, ref: EntityRef):
        key = tuple(t.key for t in tokenize(surface))
        if not key:
            return
        self.names.setdefault(key, set()).add(ref)
        if surface[:1].islower():
            self.lowercase_ok.add(key)
        for i in range(1, len(key) + 1):
            self.prefixes.add(key[:i])
        for k in key:
            if k[:1].isalnum():
                self.name_words.setdefault(k, set()).add(ref.id)
        words = [k for k in key]
        if len(words) >= 2 and all(w[:1].isalnum() for w in words):
            for k in range(1, len(words)):
                prefix, tail = tuple(words[:k]), tuple(words[k:])
                self.tails.setdefault(tail, {}).setdefault(prefix, set()).add(ref)
                if tail[-1].isalpha():
                    plural = tail[:-1] + (tail[-1] + "s",)
                    self.tails.setdefault(plural, {}).setdefault(prefix, set()).add(ref)

    def lookup(self, surface: str) -> set[EntityRef]:
        return self.names.get(tuple(t.key for t in tokenize(surface)), set())


@dataclass
class NameMatch:
    start: int                   # character span in the block text
    end: int
    refs: set[EntityRef]
    tokens: list[Token]
    skipped: list[int]           # alternative brackets inside the name (→ choice)
    consumed: list[int]          # brackets whose words are part of the name (→ supplied)
    trailing: int | None = None  # alternative bracket right after the name (→ choice)

    @property
    def ambiguous(self) -> bool:
        return len(self.refs) != 1

    @property
    def ref(self) -> EntityRef:
        return next(iter(self.refs))


def _starts_ok(gaz: Gazetteer, first: Token, key: tuple[str, ...]) -> bool:
    return first.text[0].isupper() or first.text[0].isdigit() or key in gaz.lowercase_ok


def longest_at(gaz: Gazetteer, stream: list[Token], i: int) -> NameMatch | None:
    """Longest name starting at stream[i]. Tokens inside an alternative bracket may be skipped
    as a whole ("Tarbagatai [Tacheng] District") or read as part of the name ("Hotan
    [District]", the translator's supplied word)."""
    if stream[i].bracket is not None or not stream[i].is_word:
        return None
    best: NameMatch | None = None
    best_at: list[int] = []          # stream indices of best's tokens

    def walk(j: int, key: tuple[str, ...], used: list[int], skipped: list[int], consumed: list[int]):
        nonlocal best, best_at
        if key and key in gaz.names and _starts_ok(gaz, stream[used[0]], key):
            end = stream[used[-1]].end
            if best is None or end > best.end:
                best = NameMatch(stream[used[0]].start, end, gaz.names[key], [stream[u] for u in used],
                                 list(skipped), sorted(set(consumed)))
                best_at = used
        if j >= len(stream):
            return
        t = stream[j]
        if t.bracket is not None and key:
            # skip the whole bracket as an alternative
            k = j
            while k < len(stream) and stream[k].bracket == t.bracket:
                k += 1
            if k < len(stream):
                walk(k, key, used, skipped + [t.bracket], consumed)
        nk = key + (t.key,)
        if nk in gaz.prefixes:
            walk(j + 1, nk, used + [j], skipped, consumed + ([t.bracket] if t.bracket is not None else []))

    walk(i, (), [], [], [])
    if best is not None and best.consumed:
        # a bracket holding part of the name must be complete, or the name is cut mid-bracket.
        # A bracket's tokens are contiguous in the stream: look around the name, not at all of it.
        taken = set(best_at)
        for b in best.consumed:
            at = next(u for u in best_at if stream[u].bracket == b)
            lo, hi = at, at
            while lo > 0 and stream[lo - 1].bracket == b:
                lo -= 1
            while hi + 1 < len(stream) and stream[hi + 1].bracket == b:
                hi += 1
            if not taken.issuperset(range(lo, hi + 1)):
                return None
    return best


def coordinated(gaz: Gazetteer, stream: list[Token]) -> list[NameMatch]:
    """'the Uzbek and Kazakh RKKA regiments' → Uzbek (Uzbek RKKA regiment), Kazakh (Kazakh RKKA
    regiment); the shared tail is left to ordinary matching. Both conjuncts must be known."""
    out: list[NameMatch] = []
    keys = [t.key for t in stream]
    for j, t in enumerate(stream):
        if t.key not in ("and", "&") or t.bracket is not None:
            continue
        found = None
        for l2 in (3, 2, 1):
            p2 = tuple(keys[j + 1:j + 1 + l2])
            if len(p2) < l2:
                continue
            rest = j + 1 + l2
            here = {tuple(keys[rest:rest + length]) for length in gaz.tail_lengths}
            for tail in sorted(here & gaz.tails.keys(), key=gaz.tail_rank.__getitem__):
                prefixes = gaz.tails[tail]
                if p2 not in prefixes:
                    continue
                for l1 in (3, 2, 1):
                    p1 = tuple(keys[max(j - l1, 0):j])
                    if len(p1) == l1 and p1 in prefixes:
                        found = (j - l1, j, j + 1, rest, prefixes[p1], prefixes[p2])
                        break
                if found:
                    break
            if found:
                break
        if not found:
            continue
        a, b, c, d, refs1, refs2 = found
        toks1, toks2 = stream[a:b], stream[c:d]
        if any(x.bracket is not None for x in toks1 + toks2) or not toks1[0].text[0].isupper() \
                and not toks1[0].text[0].isdigit():
            continue
        out.append(NameMatch(toks1[0].start, toks1[-1].end, refs1, toks1, [], []))
        out.append(NameMatch(toks2[0].start, toks2[-1].end, refs2, toks2, [], []))
    return out


def find_names(gaz: Gazetteer, stream: list[Token]) -> list[NameMatch]:
    """All names in a token stream, longest first, coordinated phrases split, no overlaps."""
    taken: set[int] = set()
    matches: list[NameMatch] = []
    index = {id(t): i for i, t in enumerate(stream)}
    for m in coordinated(gaz, stream):
        ids = {index[id(t)] for t in m.tokens}
        if not ids & taken:
            taken |= ids
            matches.append(m)
    i = 0
    while i < len(stream):
        if i in taken:
            i += 1
            continue
        m = longest_at(gaz, stream, i)
        if m is None:
            i += 1
            continue
        last = index[id(m.tokens[-1])]
        span = set(range(i, last + 1))
        if span & taken:
            i += 1
            continue
        # an alternative bracket directly after the name: "Hotan [Hetian]"
        nxt = last + 1
        if nxt < len(stream) and stream[nxt].bracket is not None \
                and stream[nxt].bracket not in m.consumed:
            m.trailing = stream[nxt].bracket
            k = nxt
            while k < len(stream) and stream[k].bracket == m.trailing:
                span.add(k)
                k += 1
        taken |= span
        matches.append(m)
        i = max(span) + 1
    return sorted(matches, key=lambda m: m.start)


@dataclass
class Candidate:
    text: str
    start: int
    end: int
    kind: str            # person | place | org | unknown (a guess from titles and head words)


def candidates(gaz: Gazetteer, stream: list[Token], covered, titled_only: bool = False) -> list[Candidate]:
    """Capitalised words that look like names but match no authority entry. `covered(i)` says
    whether a character position is already inside a name, date or remark. `titled_only`: only
    words after a form of address (for titles, which capitalise every word)."""
    out: list[Candidate] = []
    i, n = 0, len(stream)
    while i < n:
        t = stream[i]
        if not (t.is_word and t.capitalised and not covered(t.start) and t.bracket is None) \
                or t.key in TITLES:
            i += 1
            continue
        run = [t]
        j = i + 1
        while j < n:
            u = stream[j]
            if covered(u.start) or u.bracket is not None:
                break
            if u.key in TITLES:
                break
            if u.is_word and u.capitalised:
                run.append(u)
            elif u.text == "." and len(run[-1].text) == 1 and run[-1].is_word:
                run.append(u)   # an initial: "I. Unknownov"
            else:
                break
            j += 1
        while run and (run[-1].text == "." or run[-1].key in NOT_NAMES or run[-1].key in MONTHS):
            run.pop()
        prev = stream[i - 1] if i > 0 else None
        k = i - 1
        while k >= 0 and stream[k].text == ".":
            k -= 1
        after_title = k >= 0 and stream[k].key in TITLES
        possessive = i > 1 and stream[i - 1].key == "s" and stream[i - 2].text in ("'", "’")
        sentence_start = prev is None or prev.text in SENTENCE_BREAKS or \
            (prev.is_word and prev.text.isdigit()) or prev.key in ("a", "b", "c", "d", "e", "f")
        words = [r for r in run if r.is_word]
        keep = bool(words) and not possessive and (after_title or not titled_only)
        if keep:
            first = words[0].key
            if first in TITLES and len(words) == 1:
                keep = False
            elif all(w.key in NOT_NAMES or w.key in MONTHS for w in words):
                keep = False
            elif len(words) == 1 and (sentence_start and not after_title):
                keep = False
            elif len(words) == 1 and len(gaz.name_words.get(first, ())) > 1 and not after_title:
                keep = False   # "Soviet" of "Soviet Union", "Soviet government": an adjective
            elif all(w.text.isupper() and len(w.text) > 1 for w in words) and len(words) > 1:
                keep = False   # headings and role words in capitals
        if keep:
            # drop a leading title inside the run ("Governor Xu" → "Xu")
            while words and words[0].key in TITLES and len(words) > 1:
                words = words[1:]
                after_title = True
            start, end = words[0].start, words[-1].end
            kind = "person" if after_title else _kind_from_words([w.key for w in words])
            out.append(Candidate("", start, end, kind))
        i = max(j, i + 1)
    return out


def _kind_from_words(keys: list[str]) -> str:
    if keys[-1] in PLACE_WORDS:
        return "place"
    if keys[-1] in ORG_WORDS or any(k in ORG_WORDS for k in keys):
        return "org"
    return "unknown"
