"""The command line: parse arguments, call the orchestrator, print results. Nothing else.

Imports of the pipeline are lazy so that `cvpress --help` starts fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from cvpress import __version__
from cvpress.errors import EXIT_BUILD, EXIT_INPUT, EXIT_OK, UserError, counted

DESCRIPTION = """\
Keep your résumé as code. One TOML file (content.toml) holds your whole career; each variant
defined in it (full, onepage, manager, or your own) becomes a typeset PDF in out/.
"""

EPILOG = """\
exit codes: 0 success, 1 build failed (LaTeX error, page budget, ATS check), 2 invalid input or usage.
Colour is used on a terminal unless NO_COLOR is set.

examples:
  cvpress build                      build every variant into out/
  cvpress build -v onepage           build one variant
  cvpress build --theme modern       build with another theme than [style] theme
  cvpress check                      validate content.toml, build nothing
  cvpress variants                   list the variants with their page budgets
  cvpress verify                     re-check the PDFs in out/ (page budget, ATS text check)
  cvpress release --version v1.2.0   build a release into out/release/ with SHA256SUMS
  cvpress new my-cv                  start a project: a commented content.toml that builds as is
  cvpress import resume.json         convert a JSON Resume file into content.toml
  cvpress export --format text       the full variant as plain text (also markdown, html, json-resume)
  cvpress watch                      rebuild whenever content.toml or latex/ changes
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2, like invalid input
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def _language_tag(value: str) -> str:
    from cvpress import locales

    try:
        locales.get(value)
    except KeyError:
        raise argparse.ArgumentTypeError(f"unknown language {value!r}: expected one of "
                                         f"{', '.join(locales.known())}, or one with a region such as fr-CA") from None
    return value


def content_arg(p) -> None:
    p.add_argument("-c", "--content", type=Path, default=Path("content.toml"), metavar="PATH",
                   help="the content file (default: content.toml)")


def variants_arg(p, doing: str) -> None:
    p.add_argument("-v", "--variant", action="append", default=[], metavar="NAME",
                   help=f"{doing} only this variant (repeat for several)")


def out_arg(p, what: str = "output folder") -> None:
    p.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="DIR", help=f"{what} (default: out)")


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="cvpress", description=DESCRIPTION, epilog=EPILOG,
                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--version", action="version", version=f"cvpress {__version__}")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build PDFs (default: every variant)",
                                description="Validate the content, then build each variant's PDF into the output folder. "
                                "A PDF is replaced only when its new version compiled and fits its page budget.")
    content_arg(build)
    variants_arg(build, "build")
    out_arg(build)
    build.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                       help="stop a TeX run after this long (default: 60)")
    build.add_argument("--theme", metavar="NAME",
                       help="build every variant with this theme (classic, modern, or a folder of your own), "
                       "whatever [style] theme says")
    build.add_argument("--force", action="store_true",
                       help="compile every variant even if the build cache has it (and refresh the cache)")
    build.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the build cache (.cache/cvpress/ beside the content file)")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.add_argument("--verbose", action="store_true", help="also print how long each stage took")
    build.add_argument("--no-fit", action="store_true",
                       help="do not fit variants to max_pages; an over-budget variant fails instead")
    build.add_argument("--no-ats", action="store_true",
                       help="skip the ATS check (is every highlight, title and date in the PDF's text, as written?)")
    build.add_argument("-f", "--format", type=_formats, default=("pdf",), metavar="pdf,docx",
                       help="what to write per variant: pdf (the default), docx (a Word document from the same "
                       "outline), or both: --format pdf,docx")

    check = commands.add_parser("check", help="validate the content file, build nothing",
                                description="Validate the content file and every variant; report all problems at once.")
    content_arg(check)
    check.add_argument("--language", action="append", metavar="LANG", type=_language_tag,
                       help="list every text with no translation in LANG, with its line (repeatable)")

    needs = commands.add_parser("packages", help="Debian packages the content's PDFs need beyond TeX Live",
                                description="Print the extra Debian packages (one a line) the content needs: "
                                            "fonts-noto-cjk for Chinese, Japanese or Korean text. `make pdf` installs them.")
    content_arg(needs)

    listing = commands.add_parser("variants", help="list the variants defined in the content file",
                                  description="List each variant with its description and page budget.")
    content_arg(listing)

    explain = commands.add_parser("explain", help="show what a variant keeps and leaves out, and why",
                                  description="Without compiling: every item the variant keeps, every item it leaves out "
                                  "with the rule that removed it, and what page fitting dropped in the last build.")
    content_arg(explain)
    explain.add_argument("variant", metavar="VARIANT")
    out_arg(explain, "where the last build's fit reports are")

    diff = commands.add_parser("diff", help="show what differs between two variants",
                               description="Items shown by one variant and not the other, by key path.")
    content_arg(diff)
    diff.add_argument("variants", nargs=2, metavar="VARIANT")

    check_pdfs = commands.add_parser("verify", help="check already-built PDFs: page budget and ATS text check",
                                     description="Check the PDFs a build left in the output folder: each fits its "
                                     "page budget, and its text (pypdf and pdftotext) holds every highlight, title, "
                                     "employer, degree and date as written, with working links.")
    content_arg(check_pdfs)
    variants_arg(check_pdfs, "check")
    out_arg(check_pdfs, "where the PDFs are")

    publish = commands.add_parser("release", help="build every variant as a release, with SHA256SUMS and notes",
                                  description="Build and check every variant into the release folder as "
                                  "<name>-<variant>-<version>.pdf, with SHA256SUMS and RELEASE_NOTES.md. Refuses "
                                  "(exit 1, release folder unchanged) if any variant fails its page budget or the ATS check. "
                                  "Replaces or removes only the files the folder's previous release listed in its "
                                  ".cvpress-release.json; any other file stays.")
    content_arg(publish)
    publish.add_argument("--version", metavar="V",
                         help="release version (default: `git describe --tags --always`)")
    publish.add_argument("-o", "--out", type=Path, default=Path("out") / "release", metavar="DIR",
                         help="release folder (default: out/release)")
    publish.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                         help="stop a TeX run after this long (default: 60)")
    _more_commands(commands)
    _posting_commands(commands)
    _theme_commands(commands)
    _output_commands(commands)
    return root


def _output_commands(commands) -> None:
    """preview, clean: files in the output folder, only ever the ones cvpress wrote (outputs.py)."""
    previewing = commands.add_parser("preview", help="page 1 of each built PDF as a PNG beside it",
                                     description="Write out/<variant>.png, page 1 of out/<variant>.pdf (pdftoppm), "
                                     "for every variant built. A PNG cvpress did not write is replaced only with --force.")
    content_arg(previewing)
    variants_arg(previewing, "preview")
    out_arg(previewing, "where the PDFs are")
    previewing.add_argument("--dpi", type=int, default=80, metavar="N", help="resolution (default: 80)")
    previewing.add_argument("--force", action="store_true", help="replace a PNG that cvpress did not write")

    cleaning = commands.add_parser("clean", help="delete what builds wrote: PDFs, reports, previews, the cache",
                                   description="Delete the files builds and releases wrote in the output folder (as "
                                   "their records list them, and only while their bytes are the ones written) and "
                                   "the build cache beside the content file. Every other file stays.")
    content_arg(cleaning)
    out_arg(cleaning, "the output folder")


def _theme_commands(commands) -> None:
    """theme copy, theme eject (themes.py)."""
    theme = commands.add_parser("theme", help="copy a theme, or one of its files, out to edit it",
                                description="copy NAME DIR: every file of a theme into DIR, a theme of your own "
                                "to start from (theme = \"./DIR\"). eject FILE: one template or .sty file into "
                                "templates/ beside the content file, where it replaces the theme's.")
    actions = theme.add_subparsers(dest="action", metavar="ACTION", required=True)
    copying = actions.add_parser("copy", help="every file of a theme into a folder")
    copying.add_argument("name", metavar="NAME", help="classic or modern")
    copying.add_argument("folder", type=Path, metavar="DIR")
    copying.add_argument("--force", action="store_true", help="replace files that exist")
    ejecting = actions.add_parser("eject", help="one theme file into templates/ beside the content file")
    content_arg(ejecting)
    ejecting.add_argument("file", metavar="FILE", help="e.g. header.tex.j2 or cvtheme.sty")
    ejecting.add_argument("--theme", metavar="NAME", help="from this theme (default: the content's [style] theme)")
    ejecting.add_argument("--force", action="store_true", help="replace the file if it exists")


def _theme(args) -> int:
    from cvpress import themes

    if args.action == "copy":
        written = themes.copy(args.name, args.folder, force=args.force)
        print("\n".join(f"{path}: written" for path in written))
        print(f'next: theme = "./{args.folder.as_posix()}" in [style] (a folder inside your project)')
    else:
        path = themes.eject(args.file, args.content, _theme_arg(args.theme), force=args.force)
        print(f"{path}: written; it now replaces the theme's {args.file} in every build of {args.content}")
    return EXIT_OK


def _posting_commands(commands) -> None:
    """match, tailor: a job posting against the résumé (tailor.py)."""
    matching = commands.add_parser("match", help="how well a variant covers a job posting's terms",
                                   description="List the posting's terms (technologies, skills, responsibilities), "
                                   "each shown in the variant's PDF, available in the content but left out (and the "
                                   "recipe change that brings it in), or absent; and a score. Nothing is written.")
    content_arg(matching)
    matching.add_argument("posting", type=Path, metavar="POSTING", help="the posting: a text or Markdown file (- reads "
                          "standard input)")
    matching.add_argument("-v", "--variant", metavar="NAME", help="the variant to check (default: full, else the first)")
    matching.add_argument("--json", action="store_true", help="the report as JSON")

    tailoring = commands.add_parser("tailor", help="write a variant tailored to a job posting, then build it",
                                    description="Write [variants.NAME] into the content file (style-preserving; "
                                    "running it again replaces only that table): it extends --from and names the "
                                    "posting's terms in match_terms, so the highlights that say them come in and "
                                    "come first, within the page budget. Then build it and print its match report. "
                                    "Only your own words: a tailored PDF selects, it never rewords.")
    content_arg(tailoring)
    tailoring.add_argument("posting", type=Path, metavar="POSTING", help="the posting (- reads standard input)")
    tailoring.add_argument("--name", required=True, metavar="NAME", help="the new variant's name, e.g. acme")
    tailoring.add_argument("--from", dest="base", default="onepage", metavar="VARIANT",
                           help="the variant it extends (default: onepage)")
    out_arg(tailoring)
    tailoring.add_argument("--dry-run", action="store_true", help="print the table; write and build nothing")


def _match(args) -> int:
    import json

    from cvpress import content, tailor, variants
    from cvpress.export import default_variant

    name, posting = tailor.read_posting(args.posting)
    resume = content.load(args.content)
    selection = variants.select(resume, args.variant or default_variant(resume))
    report = tailor.match(resume, selection, posting, name)
    print(json.dumps(report.as_data(), indent=2, ensure_ascii=False) if args.json else report.format())
    return EXIT_OK


def _tailor(args) -> int:
    from cvpress import tailor
    from cvpress.build import Options, build

    name, posting = tailor.read_posting(args.posting)
    table = tailor.tailor(args.content, args.name, args.base, posting, name, dry_run=args.dry_run)
    if args.dry_run:
        print(table, end="")
        return EXIT_OK
    print(f"{args.content}: [variants.{args.name}] written (extends {args.base})")
    results = build(Options(content=args.content, out=args.out, variants=[args.name]))
    _report(results)
    if any(r.error for r in results):
        return EXIT_BUILD
    from cvpress import content, variants

    resume = content.load(args.content)
    print()
    print(tailor.match(resume, variants.select(resume, args.name), posting, name).format())
    return EXIT_OK


def _more_commands(commands) -> None:
    """import, export, schema, watch, new."""
    DEFAULT_PATH = Path("schema/content.schema.json")  # schema.DEFAULT_PATH (a test keeps them equal)

    formats = ("json-resume", "markdown", "text", "html")  # export.FORMATS, without importing the pipeline

    importing = commands.add_parser("import", help="convert a JSON Resume file into a content file",
                                    description="Read a JSON Resume file (1.x, or older field names) and write a "
                                    "commented content.toml with the three default variants. Keys cvpress has no "
                                    "place for are kept under [extra] (not rendered; `cvpress export` writes them back).")
    importing.add_argument("source", type=Path, metavar="FILE.json", help="the JSON Resume file (- reads standard input)")
    importing.add_argument("-o", "--out", type=Path, default=Path("content.toml"), metavar="PATH",
                           help="the content file to write (default: content.toml; - writes standard output)")
    importing.add_argument("--force", action="store_true",
                           help="overwrite the content file if it exists (never FILE.json itself)")
    importing.add_argument("--language", metavar="LANG", type=_language_tag,
                           help="the language the file is written in (the content's `language`; default: en)")

    exporting = commands.add_parser("export", help="write the content as JSON Resume, or a variant as text",
                                    description="json-resume: the whole content, readable back by `cvpress import`. "
                                    "markdown, text, html: one variant, with what its PDF shows.")
    content_arg(exporting)
    exporting.add_argument("-f", "--format", choices=formats, default="json-resume", help="default: json-resume")
    exporting.add_argument("-v", "--variant", metavar="NAME",
                           help="markdown/text/html: the variant to show (default: full, else the first)")
    exporting.add_argument("-o", "--out", type=Path, metavar="FILE", help="write here (default: standard output)")
    exporting.add_argument("--force", action="store_true",
                           help="replace FILE if it exists (never the content file being read)")
    exporting.add_argument("--language", metavar="LANG", type=_language_tag,
                           help="json-resume: the content in LANG (JSON Resume holds one language a file); without it, "
                           "a content with translations writes one file per language, FILE.LANG.json")
    exporting.add_argument("--width", type=int, default=80, metavar="N",
                           help="text: wrap lines at N columns; 0 = one line per paragraph (default: 80)")

    schema = commands.add_parser("schema", help="write the content file's JSON Schema, for editors",
                                 description="Generate a JSON Schema from the content model: editors that read it "
                                 "(Taplo, VS Code's Even Better TOML) complete keys and flag mistakes in content.toml.")
    schema.add_argument("-o", "--out", type=Path, default=DEFAULT_PATH, metavar="PATH",
                        help=f"where to write it; - for standard output (default: {DEFAULT_PATH})")
    schema.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file is out of date")
    schema.add_argument("--force", action="store_true",
                        help="replace PATH even if it is not a schema cvpress wrote (one it wrote is always refreshed)")

    watching = commands.add_parser("watch", help="rebuild whenever the content file or latex/ changes",
                                   description="Build, then rebuild on every save of the content file or a theme "
                                   "file. A broken save prints the error and keeps watching; the last good PDFs "
                                   "stay in the output folder. Stop with Ctrl-C.")
    content_arg(watching)
    variants_arg(watching, "build")
    out_arg(watching)
    watching.add_argument("--debounce", type=int, default=200, metavar="MS",
                          help="rebuild once files have been quiet this long (default: 200)")
    watching.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                          help="stop a TeX run after this long (default: 60)")
    watching.add_argument("--theme", metavar="NAME", help="as for build: this theme for every variant")
    watching.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    watching.add_argument("--verbose", action="store_true", help="also print how long each stage took")

    starting = commands.add_parser("new", help="start a project: a commented content.toml that builds as is",
                                   description="Write DIR/content.toml (an example of every feature, three "
                                   "variants) and DIR/schema/content.schema.json for editors.")
    starting.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="DIR",
                          help="the project folder (default: the current folder)")
    starting.add_argument("--force", action="store_true",
                          help="replace an existing content.toml (and a schema file cvpress did not write)")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return EXIT_INPUT
    if args.command != "watch":  # watch stops cleanly on SIGTERM by itself
        signal.signal(signal.SIGTERM, _terminate)
    try:
        commands = {"build": _build, "check": _check, "variants": _variants, "explain": _explain, "diff": _diff,
                    "verify": _verify, "release": _release, "import": _import, "export": _export,
                    "schema": _schema, "watch": _watch, "new": _new, "match": _match, "tailor": _tailor, "theme": _theme,
                    "preview": _preview, "clean": _clean, "packages": _packages}
        return commands[args.command](args)
    except UserError as e:
        print(_paint(e.format(), "red", sys.stderr), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """The `cvpress` command: main(), then exit at once. Its work is done, files closed and
    processes waited for; tearing the interpreter down would add ~0.035 s to every build."""
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C before main's own handler is in place (while modules import): quietly
        code = 130
    except BrokenPipeError:  # the reader went away (`cvpress explain x | head`): stop quietly, as on SIGPIPE
        code = 141
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away (`cvpress export | head`)
        pass
    os._exit(int(code or 0))


def _terminate(signum, frame):
    """SIGTERM stops a build like Ctrl-C: engines killed, temporary folders removed, out/ untouched."""
    raise KeyboardInterrupt


def _build(args) -> int:
    from cvpress.build import Options, build

    told = set()
    options = Options(content=args.content, out=args.out, variants=args.variant, timeout=args.timeout,
                      force=args.force, cache=not args.no_cache, fit=not args.no_fit, ats=not args.no_ats,
                      theme=_theme_arg(args.theme), formats=args.format, **_progress(args.quiet, args.verbose, told))
    results = build(options)
    _report([r for r in results if id(r) not in told], args.quiet, args.verbose)  # (a no-op build's)
    return EXIT_BUILD if any(r.error for r in results) else EXIT_OK


def _progress(quiet: bool, verbose: bool, told: set) -> dict:
    """build.Options' progress hooks: each result line the moment its variant is done, and a notice
    (standard error, none with -q) before a slow first-use step. Plain lines: no cursor tricks."""

    def done(result) -> None:
        told.add(id(result))
        _report([result], quiet, verbose)

    def notice(line: str) -> None:
        if not quiet:
            print(f"note: {line}", file=sys.stderr, flush=True)

    return {"done": done, "notice": notice}


def _theme_arg(theme: str | None) -> str | None:
    """A theme folder on the command line is relative to the current folder, not to the content file."""
    from cvpress import is_theme_folder

    return str(Path(theme).resolve()) if theme and is_theme_folder(theme) else theme


def _formats(value: str) -> tuple[str, ...]:
    """--format pdf,docx -> ("pdf", "docx"), in that order, each once."""
    asked = {part.strip().lower() for part in value.split(",") if part.strip()}
    if not asked or asked - {"pdf", "docx"}:
        raise argparse.ArgumentTypeError(f"{value!r}: expected pdf, docx or pdf,docx")
    return tuple(f for f in ("pdf", "docx") if f in asked)


def _report(results, quiet: bool = False, verbose: bool = False) -> None:
    """One line per variant (build and watch); --verbose adds the seconds each stage took."""
    for r in results:
        for warning in r.warnings:
            print(_paint(f"warning  {r.variant}: {warning}", "yellow", sys.stderr), file=sys.stderr)
        if r.error is None:
            if not quiet:
                pages = counted(r.pages, "page")
                if r.pdf:
                    print(f"{_paint('ok', 'green', sys.stdout)}  {r.variant:<12} {pages:<8} {r.seconds:5.2f} s  {r.pdf}"
                          + ("  (unchanged)" if r.replayed else "  (cached)" if r.cached else "") + (f"  {r.fit.summary()}" if r.fit else "")
                          + ("  (lualatex)" if getattr(r, "engine", None) == "lualatex" else ""))
                if r.docx:
                    laid = (counted(r.docx_pages, "page") if r.docx_pages
                            else "? pages")  # no LibreOffice here to lay it out
                    print(f"{_paint('ok', 'green', sys.stdout)}  {r.variant:<12} {laid:<8} {r.seconds:5.2f} s  {r.docx}"
                          + ("  (unchanged)" if r.replayed else "")
                          + ("" if r.docx_pages else "  (install LibreOffice to count its pages)"))
        else:
            print(_paint(f"failed  {r.variant}: {r.error.format()}", "red", sys.stderr), file=sys.stderr)
        if verbose and getattr(r, "stages", None):
            stages = ", ".join(f"{name} {seconds:.3f} s" for name, seconds in r.stages.items())
            print(f"    {r.variant}: {stages}", file=sys.stdout if r.error is None else sys.stderr)
    sys.stdout.flush()


def _verify(args) -> int:
    from cvpress.ats import check_built

    results = check_built(args.content, args.out, args.variant)
    for r in results:
        if r.error is None:
            pages = counted(r.pages, "page")
            print(f"{_paint('ok', 'green', sys.stdout)}  {r.variant:<12} {pages:<8} {r.pdf}")
        else:
            print(_paint(f"failed  {r.variant}: {r.error.format()}", "red", sys.stderr), file=sys.stderr)
    return EXIT_BUILD if any(r.error for r in results) else EXIT_OK


def _release(args) -> int:
    from cvpress.release import Options, release

    done = release(Options(content=args.content, out=args.out, version=args.version, timeout=args.timeout))
    for v in done.variants:
        pages = counted(v.pages, "page")
        print(f"{_paint('ok', 'green', sys.stdout)}  {v.name:<12} {pages:<8} {v.pdf}")
        if v.docx:
            print(f"{_paint('ok', 'green', sys.stdout)}  {v.name:<12} {'':<8} {v.docx}")
    for path in done.removed:
        print(f"removed {path} (of the previous release)")
    for path in done.left:
        print(f"left {path}: of the previous release, but changed since")
    print(f"release {done.version}: {done.sums}, {done.notes}")
    return EXIT_OK


def _check(args) -> int:
    from cvpress import content, variants

    resume = content.load(args.content, tuple(args.language or ()))
    for name in resume.variants:
        for warning in variants.select(resume, name).warnings:
            print(_paint(f"warning  {name}: {warning}", "yellow", sys.stderr), file=sys.stderr)
    for language in args.language or ():
        missing = content.untranslated(args.content, resume, language)
        for problem in missing:
            print(problem.format())
        print(f"{language}: {counted(len(missing), 'text')} without a {language} translation")
    count = len(resume.variants)
    print(f"{args.content}: valid ({count} variant{'s' if count != 1 else ''})")
    return EXIT_OK


def _packages(args) -> int:
    from cvpress import content, engines, locales, variants
    from cvpress.locate import strings

    resume = content.load(args.content)
    languages = {variants.resolve(resume, name).language or resume.language for name in resume.variants or ["full"]}
    every = resume if resume._content is None else {k: v for k, v in resume._content.items() if k != "extra"}  # every translation
    cjk = any(locales.get(code).cjk for code in languages if code.split("-")[0].lower() in locales.LOCALES) or any(
        engines.cjk_script(c) for _, text in strings(every, frozenset({"extra"})) for c in text)
    if cjk:
        print(engines.CJK_PACKAGE)
    return EXIT_OK


def _variants(args) -> int:
    from cvpress import content, variants

    resume = content.load(args.content)
    for name in resume.variants or ["full"]:
        variant = variants.resolve(resume, name)
        budget = f"max {counted(variant.max_pages, 'page')}" if variant.max_pages else "no page budget"
        print(f"{name:<12} {budget:<14} {variant.description}")
    return EXIT_OK


def _explain(args) -> int:
    from cvpress import content, explain, variants

    resume = content.load(args.content)
    print(explain.explain(variants.select(resume, args.variant), args.out))
    return EXIT_OK


def _diff(args) -> int:
    from cvpress import content, explain, variants

    resume = content.load(args.content)
    a, b = (variants.select(resume, name) for name in args.variants)
    print(explain.diff(a, b))
    return EXIT_OK


def _import(args) -> int:
    from cvpress.jsonresume import STDIN, STDIO, import_file

    target = import_file(args.source, args.out, force=args.force, language=args.language)
    if str(target) != STDIO:
        source = STDIN if str(args.source) == STDIO else args.source
        print(f"{target}: written from {source}; next: cvpress check -c {target}")
    return EXIT_OK


def _export(args) -> int:
    from cvpress.export import Options, export, languages
    from cvpress.publish import check_target, write_file

    to_file = args.out is not None and str(args.out) != "-"
    targets = {args.language: args.out}
    if to_file and args.format == "json-resume" and args.language is None and (found := languages(args.content)):
        targets = {lang: args.out.with_name(f"{args.out.stem}.{lang}{args.out.suffix}") for lang in found}
    if to_file:  # before the work: the content file is never the target, an existing file only with --force
        for target in targets.values():
            check_target(target, args.force, reading=args.content)
    for language, target in targets.items():
        text = export(Options(content=args.content, format=args.format, variant=args.variant, width=args.width,
                              language=language))
        if not to_file:
            sys.stdout.write(text)
        else:
            check_target(target, args.force, reading=args.content)  # again: it may have appeared meanwhile
            write_file(target, text)
            print(f"{target}: {args.format} written" + (f" ({language})" if language else ""), file=sys.stderr)
    return EXIT_OK


def _schema(args) -> int:
    from cvpress import schema

    if args.check:
        if schema.is_current(args.out):
            print(f"{args.out}: up to date")
            return EXIT_OK
        print(_paint(f"{args.out}: out of date; regenerate it with `cvpress schema`", "red", sys.stderr), file=sys.stderr)
        return EXIT_BUILD
    if str(args.out) == "-":
        sys.stdout.write(schema.dumps())
    else:
        print(f"{schema.write(args.out, force=args.force)}: written")
    return EXIT_OK


def _watch(args) -> int:
    from cvpress.build import Options
    from cvpress.watch import watch

    def say(text: str) -> None:
        if not args.quiet:
            print(_paint(text, "yellow", sys.stdout), flush=True)

    def fail(text: str) -> None:
        print(_paint(text, "red", sys.stderr), file=sys.stderr, flush=True)

    options = Options(content=args.content, out=args.out, variants=args.variant, timeout=args.timeout,
                      theme=_theme_arg(args.theme))
    watch(options, lambda results: _report(results, args.quiet, args.verbose), say, fail, step_ms=args.debounce)
    return EXIT_OK


def _new(args) -> int:
    from cvpress.new import new

    written = new(args.folder, force=args.force)
    print("\n".join(f"{path}: written" for path in written))
    folder = "" if args.folder == Path(".") else f"cd {args.folder} && "
    print(f"next: {folder}cvpress build   (then edit content.toml; `cvpress watch` rebuilds on save)")
    return EXIT_OK


_COLORS = {"red": "31", "green": "32", "yellow": "33"}


def _paint(text: str, color: str, stream) -> str:
    if os.environ.get("NO_COLOR") or not stream.isatty():
        return text
    return f"\033[{_COLORS[color]}m{text}\033[0m"


def _preview(args) -> int:
    from cvpress import content, outputs

    names = args.variant or list(content.load(args.content).variants) or ["full"]
    built = [name for name in names if (args.out / f"{name}.pdf").is_file()]
    if not built:
        raise UserError(f"{args.out}: no PDF of {', '.join(names)} to preview; build first with `cvpress build`")
    outputs.check(args.out, built, args.content, args.force, kinds=(".png",))
    for name in built:
        png = outputs.put(args.out, name, f"{name}.png", outputs.page_image(args.out / f"{name}.pdf", args.dpi))
        print(png)
    return EXIT_OK


def _clean(args) -> int:
    import shutil

    from cvpress import cache, outputs, release

    removed, left = outputs.clean(args.out)
    released, kept = release.clean(args.out / "release")
    removed, left = removed + released, left + kept
    store = cache.folder(args.content)
    if store.is_dir():
        shutil.rmtree(store)
        removed.append(store)
    for path in removed:
        print(f"removed {path}")
    for path in left:
        print(f"kept {path}: changed since cvpress wrote it", file=sys.stderr)
    return EXIT_OK
