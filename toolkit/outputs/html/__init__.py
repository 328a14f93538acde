"""The HTML edition: a static site from XSLT 3.0 (xslt/html/), orchestrated by build.py.

Flow (docs/html.md): the Edition model → page addresses (addresses.py) → a plan of fingerprints
(toolkit/outputs/plan.py; facts of unchanged files from the last build: incremental.py) →
document pages (documents.py; xslt/html/document.xsl, each with its context slice: contexts.py,
in worker processes when there are many: pool.py; a page the stylesheet fails on gets the
fallback page: fallback.py) beside the site pages (site.py; xslt/html/site.xsl) → static assets
and local images (media.py) → Pagefind index → state and manifest → atomic swap of output/html.
Mentions and their passages (ids on the document pages, snippets): passages.py.
"""
from __future__ import annotations

from .build import HtmlBuild, HtmlBuilder, HtmlOptions, build_html
from .fallback import plain_page
from .incremental import load_known, read_media, read_state, recover_from, stand_ins
from .passages import RESERVED_PAGE_IDS, cite_ids, page_id, passage_of, passage_text, snippet

__all__ = ["HtmlBuild", "HtmlBuilder", "HtmlOptions", "RESERVED_PAGE_IDS", "build_html", "cite_ids", "load_known", "page_id",
           "passage_of", "passage_text", "plain_page", "read_media", "read_state", "recover_from", "snippet",
           "stand_ins"]
