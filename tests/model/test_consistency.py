"""One rule, one place (issue #11, item 2): a probe corpus with the cases where the outputs used to
disagree, built with every output, and each output's facts held against the model's.

The facts of an output are read back from what it wrote (HTML pages parsed; PDF text, metadata
and structure read with pypdf), by one function per output in OUTPUTS. To hold another output to
the same facts (the `json` builder), add its function there: it gets the output folder and
returns a Facts.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import html as lhtml
from pypdf import PdfReader

from toolkit import messages
from toolkit.config import load_config
from toolkit.model import Edition
from toolkit.outputs.runner import build
from toolkit.tei.names import unique_names
from toolkit.tei.entities import heading
from toolkit.tei.notes import hand_name, is_marginal

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}

HANDS = ('<physDesc><handDesc>'
         '<handNote xml:id="hand-archive">Notes of the archive.</handNote>'
         '<handNote xml:id="hand-b"><persName>Molotov</persName> signed.</handNote>'
         '<handNote xml:id="h3" n="C">A hand the edition calls C.</handNote>'
         '</handDesc></physDesc>')


def tei(did: str, title: str, date: str, body: str, lang: str = "", hands: bool = False) -> str:
    ms = (f"<msDesc><msIdentifier><idno>{did}</idno></msIdentifier>{HANDS}</msDesc>" if hands
          else "<p>Probe.</p>")
    text_lang = f' xml:lang="{lang}"' if lang else ""
    return (f'<TEI xmlns="{TEI_NS}" xml:id="{did}"><teiHeader><fileDesc><titleStmt>{title}</titleStmt>'
            f"<publicationStmt><p/></publicationStmt><sourceDesc>{ms}</sourceDesc></fileDesc>"
            f"<profileDesc><creation>{date}</creation></profileDesc></teiHeader>"
            f"<text{text_lang}><body>{body}</body></text></TEI>")


def person(pid: str, name: str) -> str:
    return f'<person xml:id="{pid}"><persName type="preferred">{name}</persName></person>'


PERSONS = {"stalin": "I. V. Stalin", "beria": "Beria, L.", "Hotan-man": "Hasan",
           "hotan-man": "The Emperor", "anna": "Anna Zed", "zola": "Émile Zola"}


HEADINGS = {"I. V. Stalin": "Stalin, I. V."}


def mentions(ids) -> str:
    return " ".join(f'<persName ref="persons.xml#{i}">{PERSONS[i]}</persName>' for i in ids)


PROBE = {
    # <orig> in a title, a date as written, notes with @hand only / a margin @place / a marginal
    # @type / none, hands with and without @n, names for the index
    "doc-a.xml": tei(
        "Doc.1", '<title xml:lang="ger">A letter about <orig>Hotan</orig></title>',
        '<date when="1937-06-14">the 14th of June, 1937</date>',
        "<p>Text<note hand=\"#hand-archive\">hand only</note> with <note place=\"margin\">in the margin</note>"
        " notes<note type=\"marginal\">marginal type</note> and<note>plain footnote</note>"
        " and <foreign xml:lang=\"rus\">da</foreign>.</p>"
        f"<p>{mentions(['stalin', 'beria', 'Hotan-man'])}</p>"
        '<p>Signed <note hand="#h3" place="top">by C</note></p>'
        '<closer><signed hand="#hand-b">Molotov</signed></closer>',
        lang="fra", hands=True),
    # a <sic> in the title; a date known only within bounds
    "doc-1.xml": tei(
        "doc.1", "<title>Letter from <sic>Smirnof</sic></title>",
        '<date notBefore="1930-01-01" notAfter="1931">c. 1930</date>',
        f"<p>{mentions(['hotan-man', 'anna', 'zola'])}<note>one footnote</note></p>"),
    # a month; a non-ASCII id
    "a b.xml": tei("Ämter", "<title>Offices</title>", '<date when="1945-07"/>',
                   f"<p>{mentions(['stalin', 'zola'])}</p>"),
    # a date range; an id of CJK letters
    "a-b.xml": tei("日本", "<title>Japan</title>", '<date from="1930" to="1935">1930s</date>',
                   f"<p>{mentions(['anna'])}</p>"),
}


@dataclass
class Facts:
    """What an output says of the probe corpus, documents by their model title."""
    dates: dict[str, str] = field(default_factory=dict)       # title → date label
    footnotes: dict[str, int] = field(default_factory=dict)   # title → numbered notes
    hands: dict[str, set] = field(default_factory=dict)       # title → hand labels
    langs: dict[str, str] = field(default_factory=dict)       # title → language of the text
    pages: dict[str, str] = field(default_factory=dict)       # title → page/file name (no suffix)
    persons: list[str] = field(default_factory=list)          # the person index, in order


HAND = re.compile(r"\bhand: ([^,)\]\s]+)")


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# -- each output's facts, read back from its files ------------------------------------------------

def html_facts(out: Path) -> Facts:
    site = out / "html"
    facts = Facts()
    for page in sorted((site / "doc").glob("*.html")):
        root = lhtml.parse(str(page)).getroot()
        title = root.xpath("//h1[@id='title']/@data-title")[0]
        assert flat(root.findtext(".//title")).startswith(title + " · "), page
        facts.dates[title] = flat(root.xpath("string(//p[@class='doc-date'])"))
        facts.footnotes[title] = len(root.xpath("//ol[@class='note-list']/li"))
        # the hands the text names ("hand A": a.hand-ref; #14)
        facts.hands[title] = {flat(x.text_content()).removeprefix(messages.message("de", "hand.label") + " ") for x in root.xpath(
            "//article//*[contains(concat(' ', @class, ' '), ' hand-ref ')]")}
        facts.langs[title] = root.xpath("string((//div[@class='text'])[1]/@lang)")
        facts.pages[title] = page.stem
        # the TEI copy the page offers is called as the page is
        source = unquote(root.xpath("//a[@type='application/xml']/@href")[0])
        assert Path(source).name == page.stem + ".xml" and (page.parent / source).is_file(), source
    persons = lhtml.parse(str(site / "persons.html")).getroot()
    facts.persons = [flat(a.text_content()) for a in persons.xpath("//ul[@class='entity-list']/li/a")]
    return facts


def pdf_facts(out: Path) -> Facts:
    facts = Facts()
    for pdf in sorted((out / "pdf").glob("*.pdf")):
        if pdf.name == "edition.pdf":
            continue
        reader = PdfReader(str(pdf))
        date, _, title = reader.metadata.title.partition(": ")  # "<date label>: <title>"
        raw = "\n".join(p.extract_text() or "" for p in reader.pages).replace("\xad", "-")
        facts.dates[title] = date
        facts.footnotes[title] = _struct_count(reader, "/Note")
        facts.hands[title] = _pdf_hands(raw)
        facts.langs[title] = _text_lang(reader)
        facts.pages[title] = pdf.stem
    # the probe's language is de: the index's heading is the catalogue's (#16)
    facts.persons = _index_order(out / "pdf" / "edition.pdf", messages.message("de", "pdf.persons"))
    return facts


def _pdf_hands(raw: str) -> set[str]:
    """The sigla of the hands the PDF's text uses, each in its key: it prints sigla (toolkit/tei/notes.py,
    hand_sigla) in the margin ("C, top of page", ending a line of the text layer) and at signatures
    ("signed (B)"), and the key to them before the text ("B (Molotov): …", "C: …")."""
    key_text = flat(raw)
    # the probe is German (#16): the PDF's words are the catalogue's
    words = {w: re.escape(messages.message("de", "pdf." + w)) for w in ("hands", "signed")}
    hands = re.search(rf"{words['hands']}\. (.*)", key_text, re.I)
    key = {m.group(1): m.group(2) or m.group(1)
           for m in re.finditer(r"(?:^|\. |: )([A-Z]{1,2})(?: \(([^)]+)\))?: ", hands.group(1) if hands else "")}
    used = set(re.findall(r"(?:^|\s)([A-Z]{1,2})(?:, [^\W\d_][\w ]*)?[ \t]*$", raw, re.M)) \
        | set(re.findall(rf"{words['signed']} \(([A-Z]{{1,2}})\)", key_text))
    return {s for s in used if s in key}  # the sigla, as every output names hands (#14)


def json_facts(out: Path) -> Facts:
    data = {n: json.loads((out / "json" / f"{n}.json").read_text(encoding="utf-8")) for n in ("documents", "entities")}
    facts = Facts()
    for d in data["documents"]["documents"]:
        title = d["title"]
        facts.dates[title] = d["date"]["label"] or ""
        facts.footnotes[title] = d["notes"]["numbered"]
        facts.hands[title] = set(d["hands"])
        facts.pages[title] = d["name"]
        # the HTML addresses it gives are called as the page is
        assert (d["html"], d["tei"]) == (f"doc/{d['name']}.html", f"tei/{d['name']}.xml"), d
    persons = [e for e in data["entities"]["entities"] if e["kind"] == "person"]
    facts.persons = [e["heading"] for e in sorted(persons, key=lambda e: (e["sort"], e["id"]))]
    return facts


def model_facts(ed: Edition) -> Facts:
    facts = Facts()
    for d in ed.documents:
        root = ed.files[d.file].root
        notes = root.xpath("t:text//t:note[not(ancestor::t:note)]", namespaces=NS)
        facts.dates[d.title] = d.date_label
        facts.footnotes[d.title] = len([n for n in notes if not is_marginal(n)])
        facts.hands[d.title] = {hand_name(e.get("hand"), e) for e in root.xpath("t:text//*[@hand]", namespaces=NS)}
        facts.pages[d.title] = ed.page_names()[d.id]
    persons = [e for e in ed.entities.values() if e.kind == "person"]
    facts.persons = [heading(e.kind, e.element, e.preferred) for e in sorted(persons, key=lambda e: (e.sort_key, e.id))]
    return facts


# the outputs held to the model: name → function(output folder) → Facts
OUTPUTS = {"html": html_facts, "pdf": pdf_facts, "json": json_facts}


def _struct(reader: PdfReader):
    """The elements of a tagged PDF's structure tree."""
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            yield node
            if node.get("/K") is not None:
                stack.append(node["/K"])


def _struct_count(reader: PdfReader, kind: str) -> int:
    return sum(node.get("/S") == kind for node in _struct(reader))


def _text_lang(reader: PdfReader) -> str:
    """The language of the text: that of its first paragraph (else the document's)."""
    return next((str(n["/Lang"]) for n in _struct(reader) if n.get("/S") == "/P" and "/Lang" in n),
                str(reader.trailer["/Root"].get("/Lang", "")))


def _index_order(pdf: Path, head: str) -> list[str]:
    """The index headings of the probe's persons in the order the PDF's index gives them."""
    text = flat("\n".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages))
    section = text[text.rindex(head) + len(head):]
    # the index gives persons under their headings (#14: "I. V. Stalin" as "Stalin, I. V.")
    names = [HEADINGS.get(n, n) for n in PERSONS.values()]
    found = [(m.start(), name) for name in names for m in [re.search(re.escape(name) + r"\W", section)] if m]
    return [name for _, name in sorted(found)]


# -- the probe, built once ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def probe(tmp_path_factory) -> tuple[Path, Edition]:
    ed = tmp_path_factory.mktemp("probe")
    (ed / "tei").mkdir()
    for name, text in PROBE.items():
        (ed / "tei" / name).write_text(text, encoding="utf-8")
    (ed / "tei" / "persons.xml").write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Persons</title></titleStmt>'
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        f"<text><body><listPerson>{''.join(person(i, n) for i, n in PERSONS.items())}</listPerson>"
        "</body></text></TEI>", encoding="utf-8")
    (ed / "edition.toml").write_text('[edition]\ntitle = "Probe"\nsources = ["tei/*.xml"]\n'
                                     'authority = ["tei/persons.xml"]\nlanguage = "de"\n', encoding="utf-8")
    cfg = load_config(ed / "edition.toml")
    results = build(cfg, list(OUTPUTS), search_index=False, report=lambda d: None)
    assert all(r.ok for r in results), [r.summary() for r in results]
    return ed / "output", Edition.load(load_config(ed / "edition.toml"))


@pytest.fixture(scope="module")
def facts(probe) -> dict[str, Facts]:
    out, ed = probe
    return {"model": model_facts(ed), **{name: read(out) for name, read in OUTPUTS.items()}}


def test_titles_the_model_gives(probe, facts):
    _, ed = probe
    titles = {d.title for d in ed.documents}
    assert "A letter about Hotan" in titles and "Letter from Smirnof" in titles
    for name in OUTPUTS:
        assert set(facts[name].dates) == titles, name


def test_date_labels(facts):
    # the edition's language is "de": its date style in every output (#14)
    want = {"A letter about Hotan": "14. Juni 1937", "Letter from Smirnof": "1. Januar 1930 – 1931",
            "Offices": "Juli 1945", "Japan": "1930–1935"}
    for name, f in facts.items():
        assert f.dates == want, name


def test_note_placement(facts):
    want = {"A letter about Hotan": 1, "Letter from Smirnof": 1, "Offices": 0, "Japan": 0}
    for name, f in facts.items():
        assert f.footnotes == want, name


def test_hand_labels(facts):
    # by siglum (#14): @n, else A, B … in handDesc order (the letter C is taken by an @n)
    want = {"A letter about Hotan": {"A", "B", "C"}, "Letter from Smirnof": set(),
            "Offices": set(), "Japan": set()}
    for name, f in facts.items():
        assert f.hands == want, name


def test_language_tags(probe, facts):
    out, _ = probe
    # the text's xml:lang="fra" as one tag in both; the site's words in [edition] language
    assert facts["html"].langs["A letter about Hotan"] == facts["pdf"].langs["A letter about Hotan"] == "fr"
    page = lhtml.parse(str(out / "html" / "index.html")).getroot()
    assert page.get("lang") == "de"


def test_index_order(facts):
    # initials, articles and accents do not decide the order (the HTML index had "I. V. Stalin"
    # under I and "The Emperor" under T, the PDF its own key)
    # persons under their headings (#14): "I. V. Stalin" as "Stalin, I. V."
    want = ["Anna Zed", "Beria, L.", "Émile Zola", "The Emperor", "Hasan", "Stalin, I. V."]
    for name, f in facts.items():
        assert f.persons == want, name


def test_html_index_groups_by_the_sort_key(probe):
    out, _ = probe
    page = lhtml.parse(str(out / "html" / "persons.html")).getroot()
    groups = {flat(s.findtext(".//h2")): [flat(a.text_content()) for a in s.xpath(".//li/a")]
              for s in page.xpath("//section[@class='index-group']")}
    assert groups == {"A": ["Anna Zed"], "B": ["Beria, L."], "E": ["Émile Zola", "The Emperor"],
                      "H": ["Hasan"], "S": ["Stalin, I. V."]}


def test_page_names(probe, facts):
    # "Doc.1" and "doc.1" are one file on a case-insensitive file system; the HTML said "Doc.1-x"
    # and the PDF "doc.1"; non-ASCII ids keep their letters (the HTML made "mter" and "x")
    want = {"A letter about Hotan": "Doc.1", "Letter from Smirnof": "doc.1-2", "Offices": "Ämter",
            "Japan": "日本"}
    for name, f in facts.items():
        assert f.pages == want, name


def test_popover_ids_are_unique(probe):
    out, _ = probe
    # Hotan-man and hotan-man: two popovers, each link pointing at its own
    for page in (out / "html" / "doc").glob("*.html"):
        root = lhtml.parse(str(page)).getroot()
        ids = root.xpath("//@id")
        assert len(ids) == len(set(ids)), page
    a = lhtml.parse(str(out / "html" / "doc" / "Doc.1.html")).getroot()
    b = lhtml.parse(str(out / "html" / "doc" / "doc.1-2.html")).getroot()
    pa = a.xpath("//a[contains(@href, 'entity/Hotan-man')]/@aria-describedby")
    pb = b.xpath("//a[contains(@href, 'entity/hotan-man')]/@aria-describedby")
    assert pa and pb and pa[0] != pb[0]


@pytest.mark.parametrize("ids,want", [
    (["doc.1", "Doc.1"], {"Doc.1": "Doc.1", "doc.1": "doc.1-2"}),
    (["a b", "a-b", "a_b"], {"a b": "a-b", "a-b": "a-b-2", "a_b": "a_b"}),
    (["Ämter", "ämter", "日本", "-lead", "..."], {"Ämter": "Ämter", "ämter": "ämter-2", "日本": "日本",
                                                 "-lead": "lead", "...": "x"}),
    (["x", "...", "X-2"], {"...": "x", "x": "x-2", "X-2": "X-2-2"}),
    (["A\u0308", "\u00c4"], {"A\u0308": "\u00c4", "\u00c4": "\u00c4-2"}),   # NFC: one name
])
def test_unique_names(ids, want):
    assert unique_names(ids) == want
    assert unique_names(list(reversed(ids))) == want  # decided by the ids, not their order
