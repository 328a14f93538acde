"""TEI edition toolkit: validate and publish TEI P5 scholarly editions."""

__version__ = "0.3.0.dev0"  # the one place; pyproject.toml reads it


def _lxml_without_rnc2rng() -> None:
    """lxml imports rnc2rng, when installed, as etree loads (for RelaxNG.from_rnc_string, which
    the toolkit does not use): 0.14 s on every command. etree is loaded here with rnc2rng hidden;
    toolkit/validate/rnc.py imports rnc2rng itself when an .rnc schema is met."""
    import sys
    if "lxml.etree" in sys.modules or "rnc2rng" in sys.modules:
        return
    sys.modules["rnc2rng"] = None  # an import of it raises ImportError meanwhile
    try:
        import lxml.etree  # noqa: F401
    finally:
        del sys.modules["rnc2rng"]


_lxml_without_rnc2rng()
