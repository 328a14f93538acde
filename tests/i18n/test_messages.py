"""#16: the interface's message catalogues (toolkit/messages): complete, consistent, used keys
known, the fallbacks (a missing key → English, an unknown language → English, de-CH → de), the
plural rules, the date styles of Chinese and Arabic, and `edition messages`."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from toolkit import messages
from toolkit.tei.facts import date_style, iso_label

LANGUAGES = ("en", "de", "fr", "ru", "zh", "ar")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")


@pytest.fixture
def catalogues(tmp_path, monkeypatch):
    """A folder of catalogues of the test's own (write them with json), read instead of the
    toolkit's."""
    monkeypatch.setattr(messages, "FOLDER", tmp_path)
    messages.catalogue.cache_clear()
    yield tmp_path
    messages.catalogue.cache_clear()


def write(folder: Path, code: str, data: dict) -> None:
    (folder / f"{code}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


# -- the shipped catalogues ----------------------------------------------------------------------
def test_the_six_languages_are_there_and_complete():
    assert set(LANGUAGES) <= set(messages.languages())
    for code in LANGUAGES:
        assert messages.missing(code) == [], code


def test_every_key_the_stylesheets_scripts_and_python_use_has_english():
    used = messages.used_keys()
    # the scan finds them (a broken pattern would find nothing and pass)
    assert {"nav.persons", "notes.heading", "js.searching", "date.after"} <= set(used)
    assert messages.unknown_keys() == {}


def test_every_f_msg_key_in_the_stylesheets_is_in_english():
    """The check itself, by hand over xslt/: f:msg('…') keys (not prefixes) are English keys."""
    english = messages.catalogue("en")
    keys = set()
    for path in (REPO / "xslt").rglob("*.xsl"):
        if path.name == "messages.xsl":  # (the library itself: its comments show made-up keys)
            continue
        keys |= set(re.findall(r"f:msg(?:-opt|-nodes)?\(\s*'([^']+[^.'-])'", path.read_text(encoding="utf-8")))
        keys |= {k + ".other" for k in re.findall(r"f:msg-n\(\s*'([^']+)'", path.read_text(encoding="utf-8"))}
    assert len(keys) > 150
    assert sorted(k for k in keys if k not in english) == []


def test_translations_keep_the_placeholders_and_say_something():
    english = messages.catalogue("en")
    for code in LANGUAGES:
        for key, text in messages.catalogue(code).items():
            assert text.strip(), (code, key)
            stem = key.rpartition(".")[0]
            source = english.get(key) or english.get(stem + ".other") or ""
            # a plural form may leave the number out ("وثيقة واحدة", "Das eine Dokument")
            allowed = set(_PLACEHOLDER.findall(source)) | {"n"}
            assert set(_PLACEHOLDER.findall(text)) <= allowed, (code, key, text)


def test_no_interface_text_is_left_in_english_where_the_language_has_its_own():
    """German's words for what the issue names."""
    de = messages.catalogue("de")
    assert [de[k] for k in ("nav.persons", "nav.places", "nav.orgs", "nav.documents", "nav.chronology",
                            "nav.map", "nav.search", "notes.heading")] == \
        ["Personen", "Orte", "Körperschaften", "Dokumente", "Chronologie", "Karte", "Suche", "Anmerkungen"]


def test_the_manuscript_labels_are_in_the_catalogues_not_in_the_stylesheet():
    text = (REPO / "xslt" / "lib" / "msdesc.xsl").read_text(encoding="utf-8")
    assert "Handschriftenbeschreibung" not in text
    assert messages.message("de", "ms.msDesc") == "Handschriftenbeschreibung"
    assert messages.message("fr", "ms.idno") == "Cote"


def test_the_catalogues_ship_in_the_wheel():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "toolkit.messages" in project["packages"]
    assert "*.json" in project["package-data"]["toolkit.messages"]


# -- fallbacks -----------------------------------------------------------------------------------
def test_a_missing_key_falls_back_to_english(catalogues):
    write(catalogues, "en", {"a": "Persons", "b": "Places"})
    write(catalogues, "de", {"a": "Personen"})
    assert messages.message("de", "a") == "Personen"
    assert messages.message("de", "b") == "Places"
    assert messages.missing("de") == ["b"]


def test_a_region_uses_its_language_and_an_unknown_language_is_english(catalogues):
    write(catalogues, "en", {"a": "Persons"})
    write(catalogues, "de", {"a": "Personen"})
    assert messages.interface_language("de-CH") == "de"
    assert messages.message("de-CH", "a") == "Personen"
    assert messages.interface_language("it") == "en"
    assert messages.message("it", "a") == "Persons"
    assert messages.interface_language(None) == "en"
    assert messages.interface_language("not a tag!") == "en"
    [w] = messages.language_warnings("it")
    assert "'it'" in w.message and w.rule == "build.language" and not w.is_error
    assert messages.language_warnings("de-AT") == []


def test_a_file_name_that_is_no_language_code_is_never_read(catalogues):
    write(catalogues, "en", {"a": "x"})
    assert messages.catalogue("../en") == {}
    assert messages.catalogue("EN") == {}


def test_placeholders_and_plurals():
    assert messages.message("en", "popover.more", name="Vienna") == "More about Vienna →"
    assert messages.message_n("en", "count.documents", 1) == "1 document"
    assert messages.message_n("en", "count.documents", 3) == "3 documents"
    assert messages.message_n("de", "count.documents", 2) == "2 Dokumente"
    assert [messages.message_n("ru", "count.documents", n) for n in (1, 3, 5, 11, 21, 22)] == \
        ["1 документ", "3 документа", "5 документов", "11 документов", "21 документ", "22 документа"]
    assert [messages.plural_category("ar", n) for n in (0, 1, 2, 3, 11, 100)] == \
        ["zero", "one", "two", "few", "many", "other"]
    assert messages.message_n("ar", "count.documents", 2) == "وثيقتان"
    assert messages.message_n("zh", "count.documents", 1) == "1 篇文献"
    assert messages.plural_category("fr", 0) == "one"


# -- dates ---------------------------------------------------------------------------------------
def test_dates_in_chinese_and_arabic():
    assert iso_label("1937-03-05", date_style("zh")) == "1937年3月5日"
    assert iso_label("1937-03", date_style("zh-Hans")) == "1937年3月"
    # Arabic month names, Western digits (docs/i18n.md)
    assert iso_label("1937-03-05", date_style("ar")) == "5 مارس 1937"
    assert iso_label("1945-12", date_style("ar-EG")) == "ديسمبر 1945"
    assert iso_label("1937-06-14", date_style("de-CH")) == "14. Juni 1937"


def test_the_words_of_a_date_range_are_the_languages():
    from lxml import etree
    from toolkit.tei.facts import date_label
    d = etree.fromstring('<date xmlns="http://www.tei-c.org/ns/1.0" notBefore="1930"/>')
    assert date_label(d, date_style("en")) == "after 1930"
    assert date_label(d, date_style("de")) == "nach 1930"
    assert date_label(d, date_style("ru")) == "после 1930"
    assert date_style("en").words == ("after", "before", "from", "until")


# -- edition messages ----------------------------------------------------------------------------
def test_the_check_command_passes_for_every_shipped_language():
    r = run_cli("messages", "--all")
    assert r.returncode == 0, r.stdout + r.stderr
    for code in LANGUAGES:
        assert re.search(rf"^{code}: complete \(\d+ messages\)$", r.stdout, re.M), r.stdout


def test_the_check_command_reads_the_configured_language(tmp_path):
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "x"\nlanguage = "de-AT"\n', encoding="utf-8")
    r = run_cli("messages", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("de: complete")


def test_the_check_command_fails_for_a_language_without_a_catalogue():
    r = run_cli("messages", "--language", "it")
    assert r.returncode == 1
    assert "it: no catalogue: the interface is in English" in r.stdout
    assert "Traceback" not in r.stderr


def test_the_check_lists_the_missing_keys(catalogues):
    write(catalogues, "en", {"nav.persons": "Persons", "nav.places": "Places",
                             "count.documents.one": "{n} document", "count.documents.other": "{n} documents"})
    write(catalogues, "ru", {"nav.persons": "Лица", "count.documents.one": "{n} документ",
                             "count.documents.few": "{n} документа"})
    lines, ok = messages.check(["ru"])
    assert not ok
    lines = lines[next(i for i, line in enumerate(lines) if line.startswith("ru:")):]
    assert lines[0] == "ru: 2 missing (English shown instead):"
    # Russian counts need one, few and many, not English's other
    assert lines[1:] == ["  count.documents.many: {n} documents", "  nav.places: Places"]


def test_the_plain_page_of_a_document_that_failed_speaks_the_language():
    from types import SimpleNamespace
    from toolkit.outputs.html.fallback import plain_page
    d = SimpleNamespace(title="Brief", id="b1", date_label="1. Mai 1900", when="1900-05-01")
    page = plain_page(None, d, "Briefe", "tei/b1.xml", lang="de-AT")
    assert '<html lang="de-AT">' in page
    assert "Diese Seite zeigt den Text des Dokuments ohne sein Markup" in page and ">TEI-Quelle</a>" in page
    assert "without its markup" not in page


def test_iiif_manifest_labels_in_english_and_the_interface_language():
    """A IIIF language map: viewers pick the reader's language; English stays for the others."""
    from types import SimpleNamespace
    from toolkit.outputs.html.facsimiles import manifest
    d = SimpleNamespace(title="Brief", date_label="3. März 1937", id="b1", summary="")
    m = manifest(d, [], "https://e.example/", "iiif/b1.json", "doc/b1.html", "de-CH")
    assert [x["label"] for x in m["metadata"]] == [
        {"en": ["Title"], "de": ["Titel"]}, {"en": ["Date"], "de": ["Datum"]},
        {"en": ["Document"], "de": ["Dokument"]}]
    m = manifest(d, [], "https://e.example/", "iiif/b1.json", "doc/b1.html", "en")
    assert m["metadata"][0]["label"] == {"en": ["Title"]}


def test_a_plain_web_address_is_labelled_in_the_interface_language(tmp_path):
    from conftest import edition_copy
    from toolkit.config import load_config
    from toolkit.context import entity_element
    from toolkit.model import Edition
    ed = edition_copy(tmp_path)
    persons = ed / "tei" / "persons.xml"
    persons.write_text(persons.read_text(encoding="utf-8").replace(
        '<persName type="variant">Stalin</persName>',
        '<persName type="variant">Stalin</persName><idno type="URL">https://example.org/stalin</idno>', 1),
        encoding="utf-8")
    toml = ed / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "ru"'),
                    encoding="utf-8")
    edition = Edition.load(load_config(toml))
    eid = next(e for e, ent in edition.entities.items() if "Stalin" in ent.variants)
    el = entity_element(edition, eid, edition.entities[eid])
    assert [(i.get("label"), i.text) for i in el.findall("idno")] == [("Сайт", "https://example.org/stalin")]
