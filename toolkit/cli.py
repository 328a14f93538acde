"""The `edition` command: a thin layer over the toolkit's Python API."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, terminal
from .config import ConfigError, load_config
from .diagnostics import FORMATTERS

# One exit-status scheme for every command (docs/cli.md): 0 done, nothing wrong; 1 problems in
# the input or a partial result (findings, a degraded build, a failed download); 2 usage: a bad
# option, a path that does not exist, a bad edition.toml, a file in the way; 3 an internal error;
# 130 interrupted, 143 terminated.
EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _error_prefix() -> str:
    return click.style("error: ", fg="red", bold=True) if terminal.color_for(sys.stderr) else "error: "


def _fail(message: str, code: int = EXIT_USAGE):
    click.echo(_error_prefix() + message, err=True, color=terminal.color_for(sys.stderr))
    sys.exit(code)


def _say(message: str) -> None:
    """A line of normal output (what was done): left out with --quiet."""
    if not terminal.settings.quiet:
        click.echo(message)


def _note(message: str) -> None:
    """A `note:` line on stderr: left out with --quiet."""
    if not terminal.settings.quiet:
        click.echo(f"note: {message}", err=True)


def _set_color(ctx, param, value):
    if value is not None:
        terminal.settings.color = value


def _set_verbosity(level):
    def callback(ctx, param, value):
        if not value:
            return
        if terminal.settings.verbosity not in (terminal.NORMAL, level):
            raise click.UsageError("give -q/--quiet or -v/--verbose, not both", ctx)
        terminal.settings.verbosity = level
    return callback


def _terminal_options(f):
    """--color/--no-color, -q/--quiet and -v/--verbose: accepted by the group and every command
    (`edition -q validate` and `edition validate -q` alike), applied through toolkit.terminal."""
    f = click.option("-v", "--verbose", is_flag=True, expose_value=False,
                     callback=_set_verbosity(terminal.VERBOSE),
                     help="Say more: the info lines (validator notes, an ODD compiler's remarks).")(f)
    f = click.option("-q", "--quiet", is_flag=True, expose_value=False,
                     callback=_set_verbosity(terminal.QUIET),
                     help="Print only problems: no progress, notes or summaries.")(f)
    f = click.option("--color/--no-color", default=None, expose_value=False, callback=_set_color,
                     help="Colour the output (default: on a terminal, unless NO_COLOR is set).")(f)
    return f


def _shard_option(ctx, param, value):
    """--shard I/N (validate, build html): (i, n)."""
    from .outputs.engine import parse_shard
    try:
        return parse_shard(value) if value else None
    except ValueError as e:
        raise click.BadParameter(str(e).split(": ", 1)[-1], ctx, param) from None


_NO_EDITION_HINT = "start one with `edition new DIR`, or give files or folders"


def _config(ctx, start: Path | None = None):
    try:
        return load_config(ctx.obj.get("config_path"), start=start)
    except ConfigError as e:
        _fail(str(e))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
@_terminal_options
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="edition.toml to use (default: found in this folder or a parent).")
@click.pass_context
def main(ctx, config_path):
    """Validate and publish TEI P5 scholarly editions."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--staged", is_flag=True, help="What the next commit holds (git's index, not the "
              "working tree): the staged files, the files whose pointers reach them, the whole "
              "edition when edition.toml or a schema is staged.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--schema", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Schema to use instead of the configured one: RELAX NG (.rng, .rnc), XML Schema (.xsd) or a TEI ODD (.odd).")
@click.option("--schematron", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Schematron (.sch, or .rng with embedded rules); repeatable.")
@click.option("--authority", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra authority file for resolving references; repeatable.")
@click.option("--shard", metavar="I/N", callback=_shard_option,
              help="Check only the documents of shard I of N (for a CI matrix), writing the findings "
                   "into --out; then print the report with --merge (docs/scale.md).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The folder for a shard's findings (with --shard).")
@click.option("--merge", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A shard's folder (--shard --out): repeat for every shard; prints the whole "
                   "edition's report.")
@_terminal_options
@click.pass_context
def validate(ctx, paths, staged, fmt, schema, schematron, authority, shard, out, merge):
    """Check TEI files: well-formedness, RELAX NG, Schematron, cross-file references.

    PATHS are files or folders; default is the whole edition. Text output: one line per
    finding and a summary (-q: the findings only; -v: the info lines too; JSON and GitHub output
    always carry them). Exit status: 0 no errors, 1 errors found, 2 usage error.

    In a CI matrix: `--shard I/N --out DIR` in each job (exit status 0 once written), then
    `--merge DIR …` prints the whole edition's report (docs/scale.md, "Validation in shards").
    """
    from .validate.validator import UsageError, validate as run_validate

    if staged and paths:
        _fail("give either PATHS or --staged, not both")
    if (shard or merge) and (staged or paths):
        _fail("--shard and --merge check the whole edition: give no PATHS and no --staged")
    if shard and merge:
        _fail("give either --shard (a job of the matrix) or --merge (the last job), not both")
    if shard and out is None:
        _fail("--shard needs --out DIR, the folder for the shard's findings")
    if out is not None and not shard:
        _fail("--out is for --shard")
    cfg = None if staged else _config(ctx)  # --staged reads each edition.toml from git's index
    interactive = terminal.interactive(sys.stderr) and fmt == "text"
    progress = None
    bar = None
    if interactive:
        from rich.progress import Progress
        bar = Progress(transient=True, console=terminal.rich_console(sys.stderr))
        task = None

        def progress(i, n, name):
            nonlocal task
            if task is None:
                bar.start()
                task = bar.add_task("validating", total=n)
            bar.update(task, completed=i, description=f"validating {name}")
    options = dict(schema=schema, schematron=list(schematron) or None, authority=list(authority),
                   progress=progress)
    try:
        if shard:
            from .validate.shard import validate_shard
            done = validate_shard(cfg, shard, out, **options)
        elif merge:
            from .validate.shard import merge as merge_shards
            report = merge_shards(cfg, list(merge), **options)
        elif staged:
            from .validate.staged import validate_staged
            report = validate_staged(Path.cwd(), config_path=ctx.obj.get("config_path"), **options)
        else:
            report = run_validate(cfg, list(paths) or None, **options)
    except UsageError as e:
        _fail(str(e))
    finally:
        if bar is not None:
            bar.stop()
    if shard:
        _say(f"shard {shard[0]}/{shard[1]}: {done.files} of {done.total} files checked "
             f"({done.errors} errors, {done.warnings} warnings) into {done.record}; "
             "print the report with `edition validate --merge DIR …` (every shard's folder)")
        sys.exit(EXIT_OK)  # the verdict is the merge's
    if report.files == 0 and not staged and not paths:
        if cfg.path is None:
            _note(f"no edition.toml here or above, and no TEI files: {_NO_EDITION_HINT}")
        else:
            _note(f"no TEI files found (sources {', '.join(cfg.sources)}; {cfg.path}); "
                  "give files or folders, or set [edition] sources in edition.toml")
    for note in report.notes:
        _note(note)
    if report.schemas and fmt == "text":
        _note(_schemas_applied(report.schemas))
    use_color = terminal.color_for(sys.stdout)
    if fmt == "text":
        out = FORMATTERS[fmt](report.diagnostics, report.files, color=use_color,
                              verbose=terminal.settings.verbose)
        if terminal.settings.quiet:  # the findings only: no summary line, nothing when clean
            out = "\n".join(out.splitlines()[:-1])
    elif fmt == "json":
        out = FORMATTERS[fmt](report.diagnostics, report.files, schemas=report.schemas)
    else:
        out = FORMATTERS[fmt](report.diagnostics, report.files)
    if out:
        click.echo(out, color=use_color)  # click strips ANSI codes when piped unless told
    sys.exit(EXIT_ERRORS if report.errors else EXIT_OK)


def _schemas_applied(applied: dict) -> str:
    """One line: each schema applied and to how many files; files with none."""
    counts: dict[str, int] = {}
    for used in applied.values():
        for s in used or ["no schema"]:
            counts[s] = counts.get(s, 0) + 1
    return "checked against " + "; ".join(f"{s}: {n} file{'s' if n != 1 else ''}"
                                          for s, n in sorted(counts.items(), key=lambda x: (x[0] == "no schema", -x[1])))


def _build_options(f):
    f = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))(f)
    f = click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder (default: the edition's output/<format>).")(f)
    f = click.option("--authority", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Authority file (listPerson/listPlace/listOrg); repeatable.")(f)
    f = click.option("--full", is_flag=True, help="Rebuild everything, ignoring what is up to date.")(f)
    return f


def _run_build(ctx, formats, paths, out, authority, full, strict=False, options=None, dist=None):
    from .outputs.engine import EngineError
    from .outputs.publish import OutputError
    from .outputs.runner import BuildError, build
    cfg = _config(ctx)
    full = full or ctx.obj.get("full", False)  # `edition build --full html` as `build html --full`
    try:
        results = build(cfg, formats=formats, paths=list(paths), out=out, authority=list(authority),
                        full=full, interactive=terminal.interactive(sys.stderr), strict=strict,
                        options=options, dist=dist)
    except (OutputError, ConfigError, EngineError) as e:
        _fail(str(e), EXIT_USAGE)
    except BuildError as e:
        if cfg.path is None and not paths and "no TEI documents" in str(e):
            _fail(f"{e}; no edition.toml here or above: {_NO_EDITION_HINT}", EXIT_ERRORS)
        _fail(str(e), EXIT_ERRORS)
    for r in results:
        if not terminal.settings.quiet or not r.ok or r.has_errors:  # -q: only what went wrong
            click.echo(r.summary())
    # bad input gives a non-zero status even though the rest of the site is published
    sys.exit(EXIT_ERRORS if any(not r.ok or r.has_errors for r in results) else EXIT_OK)


_STRICT_HELP = ("Fail, writing nothing, when an output would be degraded (a source that cannot be "
                "read, a page the stylesheet fails on, a character no font has, a document Typst "
                "fails on).")


def _builder_command(name: str, builder) -> click.Command:
    """`edition build <name>`: the options every builder has, and the builder's own flags."""
    def command(ctx, paths, out, authority, full, strict, **flags):
        dist = _distribution(flags) if builder.distributable else None
        options = {f.option: f.value for f in builder.flags if flags.get(_flag_key(f))}
        _run_build(ctx, [name], paths, out, authority, full, strict=strict or ctx.obj.get("strict", False),
                   options={name: options} if options else None, dist=dist)
    f = click.pass_context(command)
    for flag in builder.flags:
        f = click.option(flag.name, _flag_key(flag), is_flag=True, help=flag.help)(f)
    if builder.distributable:
        f = _distribution_options(f, name)
    f = click.option("--strict", is_flag=True, help=_STRICT_HELP)(f)
    f = _build_options(f)
    f = _terminal_options(f)
    return click.command(name, help=builder.description)(f)


# What the distribution options spread, per builder (the HTML build's the default).
_SPREAD = {"pdf": ("per-document PDFs", "the documents' PDFs are taken from them, the volume is typeset here",
                   "Where the PDFs are typeset: here, or on a Dask cluster")}


def _distribution_options(f, name: str = "html"):
    """--engine, --scheduler, --workers, --shard, --merge (docs/scale.md): command-line only, as
    an edition's configuration is untrusted and a scheduler receives its documents."""
    what, merged, where = _SPREAD.get(name, (
        "document pages", "the document pages are taken from them, the rest of the site is made here",
        "Where the document pages are made: worker processes here, or a Dask cluster"))
    f = click.option("--merge", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help=f"A shard's result folder (--shard): repeat for every shard; {merged}.")(f)
    f = click.option("--shard", metavar="I/N", callback=_shard_option,
                     help=f"Make only the {what} of shard I of N (for a CI matrix), into --out "
                          f"(default: output/{name}-shard-I-of-N); then merge with --merge.")(f)
    f = click.option("--workers", type=click.IntRange(1), metavar="N",
                     help="Workers of the Dask cluster started here when no --scheduler is given "
                          "(default: one per core).")(f)
    f = click.option("--scheduler", metavar="ADDRESS",
                     help="The Dask scheduler to send the documents to (tcp://host:8786); "
                          "default: a cluster on this machine.")(f)
    f = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help=f"{where} (pip install 'tei-edition-toolkit[dask]').")(f)
    return f


def _distribution(flags: dict):
    from .outputs.engine import Distribution
    engine, scheduler, workers = flags.pop("engine"), flags.pop("scheduler"), flags.pop("workers")
    shard, merge = flags.pop("shard"), tuple(flags.pop("merge"))
    if (scheduler or workers) and engine != "dask":
        _fail("--scheduler and --workers are for --engine dask", EXIT_USAGE)
    return Distribution(engine, scheduler, workers, shard, merge)


def _flag_key(flag) -> str:
    return flag.name.lstrip("-").replace("-", "_")


class _Builders(click.Group):
    """The subcommands of `edition build`: one per builder of the registry (built-in or added by
    another package's entry point), made when asked for."""

    def list_commands(self, ctx):
        from .outputs import registry
        return registry.names()

    def get_command(self, ctx, name):
        from .outputs import registry
        from .outputs.base import BuildError
        try:
            return _builder_command(name, registry.get(name))
        except BuildError as e:  # an unknown name (the known ones listed), a broken plug-in
            _fail(str(e), EXIT_USAGE)


@main.group(cls=_Builders, invoke_without_command=True)
@click.option("--strict", is_flag=True, help=_STRICT_HELP)
@click.option("--full", is_flag=True, help="Rebuild everything, ignoring what is up to date.")
@_terminal_options
@click.pass_context
def build(ctx, strict, full):
    """Build the edition: `edition build` makes every output that is on by default (html, pdf,
    json, and any plug-in's that says so); `edition build <name>` one of them.

    Exit status: 0 built, 1 built with problems (a source that cannot be read keeps its last
    good pages) or failed, 2 usage error."""
    ctx.obj["strict"] = strict
    ctx.obj["full"] = full
    if ctx.invoked_subcommand is None:
        from .outputs import registry
        from .outputs.base import BuildError
        try:
            names = registry.defaults()
        except BuildError as e:
            _fail(str(e))
        _run_build(ctx, names, (), None, (), full, strict=strict)




# toolkit.new.TEMPLATES, written out: importing toolkit.new costs every command a few ms at start
# (tests/cli/test_new.py checks that the two agree)
_NEW_TEMPLATES = ("documents", "letters", "minimal")


def _checked(check):
    """A click value_proc from a toolkit.new check: a bad answer is asked again."""
    from .new import NewError

    def proc(value):
        try:
            return check(value)
        except NewError as e:
            raise click.UsageError(str(e)) from None
    return proc


@main.command("new")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--template", type=click.Choice(_NEW_TEMPLATES),
              help="documents: archival documents with authority files (the default); letters: "
                   "correspondence (correspDesc); minimal: one document, nothing else.")
@click.option("--title", help="The edition's title (default: from DIR's name).")
@click.option("--language", help="The edition's language, a BCP 47 tag (default: en).")
@click.option("--base-url", help="The site's public address, if it has one.")
@click.option("--schema", type=click.Choice(["subset", "tei_all"]), default="subset", show_default=True,
              help="subset: a small RELAX NG subset of TEI P5 in schema/; tei_all: TEI P5 itself, by URL.")
@click.option("--force", is_flag=True, help="Replace files that differ from the template (never "
              "through a symbolic link).")
@_terminal_options
def new(directory, template, title, language, base_url, schema, force):
    """Start an edition in DIRECTORY: edition.toml, a sample document and authority files in
    tei/, the schema, a README, encoding guidelines (ENCODING.md), a .gitignore, a pre-commit
    configuration and GitHub workflows (validate pull requests, publish with GitHub Pages).

    On a terminal, what the options do not give is asked for. Files already there are kept:
    identical ones count as done, the others are listed as skipped (--force replaces them).
    Exit status: 0 every file as the template has it, 2 a file skipped or a bad answer.
    """
    from .new import (DEFAULT_LANGUAGE, DEFAULT_TEMPLATE, NewError, check_base_url, check_language,
                      check_title, create, default_title)
    if sys.stdin is not None and sys.stdin.isatty():   # ask for what is missing (else defaults: CI, scripts)
        if template is None:
            template = click.prompt("Template", type=click.Choice(_NEW_TEMPLATES), default=DEFAULT_TEMPLATE)
        if title is None:
            title = click.prompt("Title", default=default_title(directory), value_proc=_checked(check_title))
        if language is None:
            language = click.prompt("Language (BCP 47: en, de, fr, ru, zh, ar …)", default=DEFAULT_LANGUAGE,
                                    value_proc=_checked(check_language))
        if base_url is None:
            base_url = click.prompt("Public address of the site (empty: none yet)", default="",
                                    show_default=False, value_proc=_checked(check_base_url))
    try:
        report = create(directory, template or DEFAULT_TEMPLATE, title, language or DEFAULT_LANGUAGE,
                        base_url, force=force, schema=schema)
    except NewError as e:
        _fail(str(e))
    for rel in report.written:
        _say(f"wrote {rel}")
    for rel in report.replaced:
        _say(f"replaced {rel}")
    if report.unchanged and terminal.settings.verbose:
        for rel in report.unchanged:
            _say(f"unchanged {rel}")
    elif report.unchanged:
        _say(f"{len(report.unchanged)} file{'s' if len(report.unchanged) != 1 else ''} there already, identical")
    for note in report.notes:
        _note(note)
    for rel, why in report.skipped:
        click.echo(f"skipped {rel}: {why}", err=True)
    if not report.complete:
        _fail(f"{len(report.skipped)} file{'s' if len(report.skipped) != 1 else ''} of the template "
              f"not written in {directory} (see above)")
    _say(f"\nA new edition in {directory}. Next: cd {directory}, then `edition validate`, "
         "`edition build`, and see its README.md.")


_IMPORT_USAGE_RULES = frozenset(("import.missing", "import.not-a-file", "import.exists", "import.output"))


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))  # the importer names what is wrong with it
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the draft (default: the edition's document folder, named "
                   "by edition.toml [import] file_name: doc-<date>.xml unless set).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--encoding", help="Character encoding of SOURCE (default: UTF-8, or its BOM).")
@click.option("--no-validate", is_flag=True, help="Do not validate the draft after writing it.")
@_terminal_options
@click.pass_context
def import_(ctx, source, output, force, fmt, encoding, no_validate):
    """Import a plain-text transcription (SOURCE) as a TEI draft, with a report.

    Exit status: 0 draft written and valid, 1 bad input or a draft with validation errors,
    2 usage error.
    """
    from .diagnostics import format_text
    from .importer import FORMATS as IMPORT_FORMATS, ImportFailure, import_file

    cfg = _config(ctx)
    try:
        report = import_file(cfg, source, output=output, force=force, encoding=encoding,
                             validate=not no_validate)
    except ImportFailure as e:
        click.echo(format_text([e.diagnostic], 1).splitlines()[0], err=False)
        if e.diagnostic.hint:
            click.echo(f"    hint: {e.diagnostic.hint}")
        # SOURCE missing or not a text file, or an output in the way: usage errors, as elsewhere
        sys.exit(EXIT_USAGE if e.diagnostic.rule in _IMPORT_USAGE_RULES else EXIT_ERRORS)
    if not terminal.settings.quiet or report.validation_errors or fmt != "text":
        click.echo(IMPORT_FORMATS[fmt](report))
    sys.exit(EXIT_ERRORS if report.validation_errors else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the edition's output/html).")
@click.option("--authority", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Authority file (listPerson/listPlace/listOrg); repeatable.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0: any free port).")
@click.option("--no-watch", is_flag=True, help="Serve only; do not rebuild on change.")
@_terminal_options
@click.pass_context
def serve(ctx, paths, out, authority, host, port, no_watch):
    """Serve the HTML edition on localhost; rebuild on change and reload the browser."""
    from .serve import serve as run_serve
    cfg = _config(ctx)
    if paths and out is None:
        _fail("serving files ad hoc needs --out DIR")
    target = out or cfg.output_dir / "html"
    try:
        run_serve(cfg, target, list(paths), list(authority), host=host, port=port,
                  watch=not no_watch, echo=click.echo)
    except OSError as e:
        _fail(f"cannot serve on {host}:{port}: {e.strerror or e}")
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command("messages")
@click.option("-l", "--language", "langs", multiple=True, metavar="TAG",
              help="A language to check (repeatable; default: [edition] language).")
@click.option("--all", "all_", is_flag=True, help="Check every language that has a catalogue.")
@_terminal_options
@click.pass_context
def messages_(ctx, langs, all_):
    """Check the interface's message catalogues (docs/i18n.md).

    Lists the messages a language's catalogue lacks (the interface shows them in English) and
    the messages the stylesheets and scripts use that English lacks. Exit status: 0 complete,
    1 something is missing."""
    from . import messages
    if all_:
        langs = messages.languages()
    elif not langs:
        langs = (_config(ctx).language or "en",)
    lines, ok = messages.check(list(langs))
    for line in lines:
        click.echo(line)
    sys.exit(EXIT_OK if ok else EXIT_ERRORS)


@main.group()
@_terminal_options
def schemas():
    """The TEI's published schemas, kept in the toolkit's schema cache.

    (An edition's own schema, compiled from its ODD, is `edition schema build`.)"""


@schemas.command("fetch")
@click.argument("names", nargs=-1)
@click.option("--version", "version", metavar="V", help="A TEI P5 release (4.12.0); default: the current one.")
@click.option("--force", is_flag=True, help="Download again even when a good copy is cached.")
@_terminal_options
@click.pass_context
def schemas_fetch(ctx, names, version, force):
    """Download TEI schemas (tei_all.rng, tei_lite.odd, p5subset.xml …) into the cache, once.

    NAMES: file names of the TEI release (`tei_all` stands for tei_all.rng). None given: the
    ones the edition's files name in <?xml-model?>, else tei_all.rng. Only the TEI Consortium's
    own URLs are ever fetched. Exit status: 0 all there, 1 a download failed, 2 an unknown name.
    """
    from .validate.schema_cache import KNOWN, FetchError, fetch, known_file, named_in
    if names:
        wanted = []
        for n in names:
            f = known_file(n, version)
            if f is None:
                _fail(f"'{n}'{' --version ' + version if version else ''} is not one of the TEI's "
                      f"published files the toolkit knows: {', '.join(sorted(KNOWN))}")
            wanted.append(f)
    else:
        cfg = _config(ctx)
        wanted = [f for f in named_in(cfg.source_files())
                  if version is None or f.version == version] or [known_file("tei_all.rng", version)]
        if None in wanted:
            _fail(f"--version {version}: not a TEI release number (such as 4.12.0)")
    failed = False
    for f in wanted:
        try:
            path, new = fetch(f, force=force)
        except FetchError as e:
            click.echo(_error_prefix() + f"{f.label}: {e}", err=True, color=terminal.color_for(sys.stderr))
            failed = True
            continue
        _say(f"{'fetched' if new else 'cached already'}: {f.label} -> {path}")
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


@schemas.command("list")
@_terminal_options
def schemas_list():
    """What the schema cache holds: name, version, sha256, source URL, and whether it is intact."""
    from .validate.schema_cache import cached_entries
    entries = cached_entries()
    if not entries:
        click.echo("the schema cache holds no TEI schema (edition schemas fetch NAME downloads one)")
        return
    for e in entries:
        state = "" if e["ok"] else "  CORRUPT (does not match its sha256: fetch it again)"
        click.echo(f"{e.get('name')}  {e.get('version')}  sha256:{str(e.get('sha256'))[:16]}…  "
                   f"{e.get('bytes')} bytes  {e.get('fetched')}  {e.get('url')}\n    {e['path']}{state}")


@main.group()
@_terminal_options
def schema():
    """An edition's own schema, compiled from its ODD customisation.

    (The TEI's published schemas, tei_all and the others, are `edition schemas fetch` / `list`.)"""


@schema.command("build")
@click.argument("odd", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("schema"), show_default=True,
              help="Folder to write <ident>.rng and <ident>.sch into.")
@click.option("--force", is_flag=True, help="Replace files there that the toolkit did not write.")
@_terminal_options
def schema_build(odd, out, force):
    """Compile an ODD to RELAX NG (.rng) and Schematron (.sch), for projects that commit them.

    The TEI's tei_all.rng comes from the schema cache (`edition schemas fetch tei_all`).
    A file in the folder that the toolkit did not write is never replaced without --force.
    Exit status: 0 written, 1 the ODD cannot be compiled, 2 a file is in the way.
    """
    from .diagnostics import format_text
    from .validate.odd import BuildRefused, OddError, build as build_odd, note_diagnostics
    notes: list = []
    try:
        written = build_odd(odd, out, force=force, notes=notes)
    except BuildRefused as e:
        _fail(str(e))
    except OddError as e:
        _fail(str(e), EXIT_ERRORS)
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}", EXIT_ERRORS)
    for p in written:
        _say(f"wrote {p}")
    for line in format_text(note_diagnostics(notes), 0, verbose=True).splitlines()[:-1]:  # (no summary line)
        _say(line)


@main.group()
@_terminal_options
def hooks():
    """Commit integration (git hooks)."""


@hooks.command("install")
@click.option("--force", is_flag=True, help="Do not run the pre-commit hook that is there "
              "already (it is still kept, renamed).")
@_terminal_options
def hooks_install(force):
    """Install a git pre-commit hook running `edition validate --staged`.

    The hook records this Python (not a bare `edition` on PATH). A pre-commit hook already
    there is kept as pre-commit.local (or .local.1, …) and runs first; its failure stops the
    commit. A symlink there is never written through.
    """
    from .hooks import HookError, install_hook
    try:
        done = install_hook(Path.cwd(), force=force)
    except (HookError, OSError) as e:
        _fail(str(e))
    _say(f"installed {done.path}")
    if done.kept is not None:
        _say(f"kept the hook that was there as {done.kept}" +
                   ("; it runs first, and if it fails the commit stops" if done.chained
                    else "; it no longer runs (--force)"))


def _exit_now(code) -> None:
    """End the process at once with `code`, once the output is flushed: freeing everything a run
    made (thousands of parsed trees, caches) costs a large edition 60 ms and serves nobody.
    Only when no other thread runs (`edition serve` ends the normal way); EDITION_SLOW_EXIT=1
    keeps the normal exit (for tools that hook into it, such as coverage)."""
    import os
    import threading
    if not isinstance(code, int) or threading.active_count() > 1 or os.environ.get("EDITION_SLOW_EXIT"):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a closed pipe: let the normal exit report it
        return
    os._exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main process like Ctrl-C, so that every `finally` and context
    manager cleans up (staging folders, search copies in /dev/shm, worker pools)."""


_MAIN_PID = None


def _on_sigterm(signum, frame):
    import os
    if os.getpid() != _MAIN_PID:  # a forked worker: just go (its parent cleans up)
        os._exit(128 + signum)
    raise Terminated()


def run():  # console-script entry point that never shows a traceback for bad input
    import os
    import signal
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # not the main thread (an embedding program): leave it
        pass
    terminal.reset()
    try:
        # click's main() would turn Ctrl-C into "Aborted!" and exit status 1: the context is
        # made and invoked here instead, the rest of click's handling below
        with main.make_context("edition", sys.argv[1:], obj={}) as ctx:
            main.invoke(ctx)
        sys.exit(0)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_ERRORS)
    except SystemExit as e:
        _exit_now(0 if e.code is None else e.code)
        raise
    except KeyboardInterrupt as e:
        # one line, and the shell's convention: 128 + the signal's number
        terminated = isinstance(e, Terminated)
        try:
            click.echo("terminated" if terminated else "interrupted", err=True)
        except Exception:
            pass
        code = 143 if terminated else 130
        _exit_now(code)
        sys.exit(code)
    except Exception as e:  # a bug, not bad input: say so briefly; EDITION_DEBUG=1 shows where
        if os.environ.get("EDITION_DEBUG"):
            raise
        prefix = "internal error: "
        click.echo((click.style(prefix, fg="red", bold=True) if terminal.color_for(sys.stderr) else prefix) +
                   f"{type(e).__name__}: {e}\n(please report it; run with EDITION_DEBUG=1 "
                   "for the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    run()
