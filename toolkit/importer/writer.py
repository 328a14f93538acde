"""`Page` + inline markup → the TEI draft (an lxml tree), following docs/encoding.md."""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..xmlsafe import TEI_NS, XML_NS
from .markup import Choice, Date, Marker, Name, Note, Supplied
from .reader import Block
from .report import ImportReport
from .structure import HandNote, Lettered, Page

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
NAME_TAG = {"person": "persName", "place": "placeName", "org": "orgName"}
# <?xml-model?> of each kind of schema the edition names ([edition] schema, schematron)
SCHEMA_TYPES = {"rng": "http://relaxng.org/ns/structure/1.0", "sch": "http://purl.oclc.org/dsdl/schematron"}
LANGUAGES = {"ru": "Russian", "zh": "Chinese", "mn": "Mongolian", "en": "English", "uk": "Ukrainian",
             "kk": "Kazakh", "uz": "Uzbek", "ug": "Uyghur", "de": "German", "ja": "Japanese",
             "fr": "French"}
LICENCES = {"https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0"}
# Element-only containers: indented. Everything else is mixed content and left exactly as built.
_STRUCTURAL = {"TEI", "teiHeader", "fileDesc", "titleStmt", "respStmt", "publicationStmt",
               "availability", "notesStmt", "sourceDesc", "msDesc", "msIdentifier", "altIdentifier",
               "msContents", "msItem", "physDesc", "handDesc", "profileDesc", "creation", "langUsage",
               "abstract", "text", "body", "div", "list", "closer"}


@dataclass
class Context:
    doc_id: str
    date_iso: str | None
    hrefs: dict[str, str]                 # entity id → pointer ("persons.xml#stalin")
    edition_title: str
    edition_href: str                     # "edition.xml"
    rights_id: str | None                 # availability/@xml:id in edition.xml, if the statement matches
    rights_text: str | None               # the edition's statement (to compare)
    licence: str | None                   # licence/@target of the edition
    schemas: list[tuple[str, str]]        # (kind, href): ("rng", "../schema/edition.rng"), …
    repositories: dict[str, dict]         # archive → {"settlement", "language"}
    hand_ids: dict[str, str]              # "archive"/"signature" → xml:id ([import] *_hand)


def _model_pi(href: str, schematypens: str) -> str:
    return f'href="{href}" type="application/xml" schematypens="{schematypens}"'


def el(parent, tag, text=None, **attrs):
    e = etree.SubElement(parent, T + tag, attrs)
    if text is not None:
        e.text = text
    return e


def _append_text(parent, s: str):
    if not s:
        return
    # parent[-1] is found from the end; len(parent) counts every child, which made a paragraph
    # of many notes quadratic
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + s
        return
    last.tail = (last.tail or "") + s


def add_inline(parent, nodes: list, ctx: Context):
    pending: list[str] = []      # adjacent strings are joined and appended once: lxml copies
    for n in nodes:              # the whole text on every append (quadratic when done per piece)
        if isinstance(n, str):
            pending.append(n)
            continue
        if pending:
            _append_text(parent, "".join(pending))
            pending = []
        if isinstance(n, Name):
            e = el(parent, NAME_TAG[n.kind], ref=ctx.hrefs[n.ref])
            for p in n.parts:
                if isinstance(p, str):
                    _append_text(e, p)
                elif isinstance(p, Choice):
                    c = el(e, "choice")
                    el(c, "orig", p.orig)
                    el(c, "reg", p.reg)
                elif isinstance(p, Supplied):
                    el(e, "supplied", p.text, reason="translator")
        elif isinstance(n, Date):
            attrs = {"when": n.when} if n.when else {"from": n.from_, "to": n.to}
            d = etree.SubElement(parent, T + "date", attrs)
            d.text = n.text
        elif isinstance(n, Note):
            e = el(parent, "note", type=n.type)
            add_inline(e, n.content, ctx)
    if pending:
        _append_text(parent, "".join(pending))


class Writer:
    def __init__(self, page: Page, marker: Marker, ctx: Context, report: ImportReport):
        self.page = page
        self.marker = marker
        self.ctx = ctx
        self.report = report
        self.hand_phrases: dict[str, None] = {}   # distinct phrases, in order of appearance
        self.msdesc_possible = self._repository() is not None

    # -- helpers ---------------------------------------------------------------------------
    def inline(self, parent, block: Block | None, **kw):
        if block is None or not block.text:
            return
        add_inline(parent, self.marker.mark(block, **kw), self.ctx)

    def _repository(self) -> dict | None:
        cit = self.page.info.citation
        if cit is None:
            return None
        repo = self.ctx.repositories.get(cit.repository)
        if repo is None or not repo.get("language"):
            return None
        return repo

    # -- the document ----------------------------------------------------------------------
    def build(self) -> etree._ElementTree:
        root = etree.Element(T + "TEI", {XML_ID: self.ctx.doc_id, XML_LANG: "en"}, nsmap={None: TEI_NS})
        header = el(root, "teiHeader")
        text = el(root, "text")
        text.set(XML_LANG, "en")
        body = el(text, "body")
        self.body(body)                  # first: it decides which hands are used
        self.header(header)
        tree = etree.ElementTree(root)
        for kind, href in self.ctx.schemas:
            root.addprevious(etree.ProcessingInstruction("xml-model", _model_pi(href, SCHEMA_TYPES[kind])))
        _indent(root)
        return tree

    # -- header ----------------------------------------------------------------------------
    def header(self, header):
        page, info = self.page, self.page.info
        fd = el(header, "fileDesc")
        ts = el(fd, "titleStmt")
        title = el(ts, "title")
        if page.title is None:
            self.report.todo.append("give the document a title (none was found in the input)")
        self.inline(title, page.title, dates=False, notes=False, section="header",
                    report_unknown="titled")
        for role, resp in (("obtained", "Obtained by"), ("translated", "Translated by")):
            person = getattr(info, role)
            if person is None:
                continue
            refs = {r for r in self.marker.gaz.lookup(person.name) if r.kind == "person"}
            line = person.block.position(person.start)[0]
            if len(refs) == 1:
                ref = next(iter(refs))
                rs = el(ts, "respStmt")
                el(rs, "resp", resp)
                el(rs, "persName", person.name, ref=self.ctx.hrefs[ref.id])
                self.report.tag("person", ref.id, person.name, line, "header")
            else:
                self.report.candidate(person.name, "person", line)
                self.report.warn(person.block.diag(person.start, f"“{person.name}” ({resp.lower()}) is not "
                                                   f"in the persons authority file: no respStmt written; "
                                                   f"add the person, then the respStmt",
                                                   "import.header.person"))

        ps = el(fd, "publicationStmt")
        pub = el(ps, "publisher")
        el(pub, "ref", self.ctx.edition_title, target=self.ctx.edition_href)
        av = el(ps, "availability")
        rights = " ".join(" ".join(b.text for b in info.rights).split())
        archive = self._archive_name()
        if rights and self.ctx.rights_id and self.ctx.rights_text and \
                _same_text(rights, self.ctx.rights_text):
            av.set("corresp", f"{self.ctx.edition_href}#{self.ctx.rights_id}")
            what = "Title, summary and translated text" if page.points else "Title and summary"
            el(av, "p", f"{what} come from the {archive or 'source page'} and are subject to its rights "
                        f"statement, quoted in full in the edition file.")
        elif rights:
            for b in info.rights:
                el(av, "p", b.text)
            self.report.warn(info.rights[0].diag(0, "the rights statement differs from the edition's "
                                                    "(edition.xml): quoted in full here; check it",
                                                 "import.header.rights"))
        else:
            el(av, "p", "The source page gives no rights statement.")
            self.report.todo.append("find the rights statement of the source (none in the input)")
        if self.ctx.licence:
            name = LICENCES.get(self.ctx.licence, self.ctx.licence)
            el(av, "licence", f"The TEI encoding (markup, links and editorial notes) is licensed under "
                              f"{name}.", target=self.ctx.licence)

        note = self._fields_note()
        if note:
            ns = el(fd, "notesStmt")
            el(ns, "note", note, type="source-fields")

        sd = el(fd, "sourceDesc")
        if self.msdesc_possible:
            self._msdesc(sd)
        elif info.citation is not None:
            self.report.warn(info.statement.diag(0, f"repository “{info.citation.repository}” is not known "
                                                    f"(settlement, language of its documents): no msDesc "
                                                    f"written; add it under [import.repositories] in "
                                                    f"edition.toml", "import.header.repository"))
        bibl = el(sd, "bibl", type="digital-archive")
        if archive:
            bibl.text = "Document page in the "
            el(bibl, "title", archive).tail = ": " + self._bibl_tail()
        else:
            bibl.text = "Document page of the source: " + self._bibl_tail()

        prof = el(header, "profileDesc")
        cr = el(prof, "creation")
        if page.date:
            el(cr, "date", page.date[1].text, when=page.date[0])
            self.report.tag("date", page.date[0], page.date[1].text, page.date[1].line, "header")
        lu = el(prof, "langUsage")
        who = info.translated.name if info.translated else None
        el(lu, "language", f"English (translation by {who})" if who else "English (translation)", ident="en")
        repo = self._repository()
        if repo:
            lang = repo["language"]
            el(lu, "language", f"{LANGUAGES.get(lang, lang)} (language of the original)", ident=lang)
        ab = el(prof, "abstract")
        if not page.summary:
            el(ab, "p")
            self.report.todo.append("write the summary (abstract): none was found in the input")
        for b in page.summary:
            self.inline(el(ab, "p"), b, section="header")

    def _archive_name(self) -> str | None:
        rights = " ".join(b.text for b in self.page.info.rights)
        m = _ARCHIVE.search(rights)
        return f"{m.group(1)} {m.group(2)}" if m else None

    def _bibl_tail(self) -> str:
        info = self.page.info
        parts = ["translated text" if self.page.points else None,
                 "summary" if self.page.summary else None, "Document Information"]
        parts = [p for p in parts if p]
        what = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        quoted = f" (“{info.statement.text}”)" if info.statement is not None else ""
        return f"{what}{quoted}."

    def _fields_note(self) -> str | None:
        fields = self.page.info.fields
        other = self.page.info.other
        if not fields and not other:
            return None
        empty = [f for f, v, _ in fields if not v]
        given = [(f, v, b) for f, v, b in fields if v]
        out = []
        if empty:
            names = _and([f"“{f}”" for f in empty])
            nouns = _and([f"no {_FIELD_NOUNS.get(f.lower(), f.lower())}" for f in empty])
            out.append(f"The “Document Information” block of the source page names the field"
                       f"{'s' if len(empty) > 1 else ''} {names} but gives no value for "
                       f"{'any of them' if len(empty) > 1 else 'it'}; this header therefore records "
                       f"{nouns}.")
        if given:
            out.append("It gives " + _and([f"“{f}”: “{v}”" for f, v, _ in given]) +
                       "; the edition's schema has no element for these, so they are recorded here.")
            for f, v, b in given:
                self.report.warn(b.diag(0, f"record field “{f}” has the value “{v}”, which the schema has "
                                           f"no element for: recorded in the source-fields note",
                                        "import.header.field"))
        for b in other:
            out.append(f"The block also says: “{b.text}”")
            self.report.warn(b.diag(0, "not understood in “Document Information”: quoted in the "
                                       "source-fields note", "import.header.other"))
        return " ".join(out)

    def _msdesc(self, sd):
        cit = self.page.info.citation
        repo = self._repository()
        ms = el(sd, "msDesc")
        mi = el(ms, "msIdentifier")
        if repo.get("settlement"):
            el(mi, "settlement", repo["settlement"])
        el(mi, "repository", cit.repository)
        el(mi, "collection", cit.fonds, type="fonds")
        el(mi, "collection", cit.inventory, type="inventory")
        el(mi, "idno", cit.file, type="file")
        alt = el(mi, "altIdentifier", type="citation")
        el(alt, "idno", cit.text)
        mc = el(ms, "msContents")
        item = el(mc, "msItem")
        if cit.leaf_from:
            el(item, "locus", cit.leaves, **{"from": cit.leaf_from, "to": cit.leaf_to})
        else:
            self.report.warn(self.page.info.statement.diag(0, "the archival citation gives no leaves "
                                                              "(l. …): msItem has no locus, which the "
                                                              "schema requires", "import.header.locus"))
        lang = repo["language"]
        el(item, "textLang", f"{LANGUAGES.get(lang, lang)} (inferred from the archival citation; the source "
                             f"page does not name the language of the original)", mainLang=lang)
        hands = []
        if self.hand_phrases:
            phrases = ", ".join(f"“handwritten {p}”" if p else "“handwritten”" for p in self.hand_phrases)
            hands.append((self.ctx.hand_ids["archive"], f"Handwritten notes reported by the translator in square brackets "
                                          f"({phrases}). The source does not say who wrote them or whether "
                                          f"they are in one hand."))
        closer = self.page.closer
        if closer is not None and closer.signatory is not None:
            hands.append((self.ctx.hand_ids["signature"], f"The signature reported by the translator as "
                                            f"“[{closer.signed_phrase}]” before the name "
                                            f"“{closer.signatory.text}”."))
        if hands:
            hd = el(el(ms, "physDesc"), "handDesc")
            for hid, desc in hands:
                el(hd, "handNote", desc).set(XML_ID, hid)

    # -- body ------------------------------------------------------------------------------
    def body(self, body):
        page = self.page
        head = el(body, "head", type="minutes")
        lines = [line for b in page.heading for line in _lines(b)] + page.unplaced
        for k, b in enumerate(lines):
            if k:
                el(head, "lb")
            self.inline(head, b, report_unknown=False)
        if len(page.heading) > 1:
            words = page.heading[0].text.split()[-2:]
            n = el(head, "note", type="editorial")
            n.text = (f"The source page breaks this heading after “{' '.join(words)}” with empty lines; "
                      f"nothing is supplied here.")
        for point in page.points:
            div = el(body, "div", type="point", n=point.n)
            verbatim = []
            for hn in point.notes:
                if self.msdesc_possible:
                    self.hand_note(div, hn)
                else:
                    # no msDesc → no handNote to point at: the remark stays verbatim for the editor
                    verbatim.append((f"[handwritten {hn.phrase}: {hn.text.text}]", hn.text.line))
                    self.report.warn(hn.text.diag(0, "handwritten note, but no archival description "
                                                     "(msDesc) to declare its hand in: kept verbatim as an "
                                                     "editorial note", "import.remark.no-hand"))
            verbatim += [(f"[handwritten {hn.phrase}: {hn.text.text}]".replace("handwritten :", "handwritten:"),
                          hn.text.line) for hn in point.verbatim]
            h = el(div, "head")
            for remark, line in verbatim:
                el(h, "note", remark, type="editorial")
                self.report.remark("editorial", remark, line)
            self.inline(h, point.head)
            for b in point.stray:
                self.inline(el(div, "p"), b)
            for item in point.items:
                d = el(div, "div", type="item", n=item.n)
                for c in item.content:
                    if isinstance(c, Lettered):
                        lst = el(d, "list", type="lettered")
                        for n, b in c.items:
                            self.inline(el(lst, "item", n=n), b)
                    else:
                        self.inline(el(d, "p"), c)
            if point.distribution is not None:
                d = el(div, "div", type="distribution")
                self.inline(el(d, "head"), point.distribution.head)
                for b in point.distribution.paras:
                    self.inline(el(d, "p"), b)
                if not point.distribution.paras:
                    el(d, "p")
        if page.closer is not None:
            self.closer(body)

    def hand_note(self, div, hn: HandNote):
        line = hn.text.line
        self.hand_phrases.setdefault(hn.phrase)
        note = el(div, "note", type="handwritten", place=hn.place, hand="#" + self.ctx.hand_ids["archive"])
        self.inline(note, hn.text)
        self.report.remark("handwritten", f"{hn.phrase}: {hn.text.text}", line)

    def closer(self, body):
        c = self.page.closer
        closer = el(body, "closer")
        if c.seal is not None:
            self.inline(el(closer, "stamp", type="seal"), c.seal, kinds={"org"}, dates=False,
                        notes=False, report_unknown=False)
            self.report.remark("seal", c.seal.text, c.seal.line)
        if c.role is not None:
            self.inline(el(closer, "roleName"), c.role, kinds={"org"}, dates=False, notes=False,
                        report_unknown=False)
        signed = el(closer, "signed")
        if c.signatory is None:
            return
        if self.msdesc_possible:
            signed.set("hand", "#" + self.ctx.hand_ids["signature"])
        name = self.marker.signatory(c.signatory)
        self.report.remark("signed", c.signatory.text, c.signatory.line)
        if name is not None:
            add_inline(signed, [name], self.ctx)
        else:
            signed.text = c.signatory.text
            self.report.candidate(c.signatory.text, "person", c.signatory.line)
            self.report.warn(c.signatory.diag(0, f"signatory “{c.signatory.text}” is not in the persons "
                                                 f"authority file (the schema requires a linked persName)",
                                              "import.closer.signatory"))


# "The History and Public Policy Program welcomes reuse of Digital Archive …". The name is
# bounded: an open lazy run was tried from every "The" to the end of the text (quadratic).
_ARCHIVE = re.compile(r"\bThe ([A-Z][\w ]{1,200}?) welcomes reuse of (Digital Archive)\b")
_FIELD_NOUNS = {"original uploaded date": "upload date", "uploaded date": "upload date"}


def _lines(b: Block) -> list[Block]:
    """The input lines of a block (a heading keeps its line breaks as lb)."""
    cuts = [i for i, _ in b.segs] + [len(b.text)]
    return [b.slice(x, y) for x, y in zip(cuts, cuts[1:]) if b.text[x:y].strip()]


def _same_text(a: str, b: str) -> bool:
    def norm(s):
        return " ".join(s.replace("\u00a0", " ").replace("’", "'").split())
    return norm(a) == norm(b)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _indent(root, level: int = 0):
    """Indent element-only containers; mixed content is left exactly as built."""
    name = etree.QName(root).localname
    if name not in _STRUCTURAL or not len(root):
        return
    if (root.text or "").strip():
        return
    pad = "\n" + "  " * (level + 1)
    root.text = pad
    for child in root:
        if (child.tail or "").strip():
            return
    children = list(root)
    for child in children:
        child.tail = pad
        _indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


def serialize(tree: etree._ElementTree) -> bytes:
    """XML declaration and each <?xml-model?> on a line of its own, like the edition's files."""
    root = tree.getroot()
    lines = [b'<?xml version="1.0" encoding="UTF-8"?>']
    node = root.getprevious()
    pis = []
    while node is not None:
        pis.insert(0, etree.tostring(node, encoding="UTF-8"))
        node = node.getprevious()
    lines += pis
    lines.append(etree.tostring(root, encoding="UTF-8"))
    return b"\n".join(lines) + b"\n"
