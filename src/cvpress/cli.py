"""The command line: parse arguments, call the orchestrator, print results. Nothing else.

Imports of the pipeline are lazy so that `cvpress --help` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cvpress import __version__
from cvpress.errors import EXIT_BUILD, EXIT_INPUT, EXIT_OK, UserError

DESCRIPTION = """\
Keep your résumé as code. One TOML file (content.toml) holds your whole career; each variant
defined in it (full, onepage, manager, or your own) becomes a typeset PDF in out/.
"""

EPILOG = """\
exit codes: 0 success, 1 build failed (LaTeX error, page budget), 2 invalid input or usage.
Colour is used on a terminal unless NO_COLOR is set.

examples:
  cvpress build                      build every variant into out/
  cvpress build -v onepage           build one variant
  cvpress check                      validate content.toml, build nothing
  cvpress variants                   list the variants with their page budgets
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2, like invalid input
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="cvpress", description=DESCRIPTION, epilog=EPILOG,
                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--version", action="version", version=f"cvpress {__version__}")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")

    def content_arg(p):
        p.add_argument("-c", "--content", type=Path, default=Path("content.toml"), metavar="PATH",
                       help="the content file (default: content.toml)")

    build = commands.add_parser("build", help="build PDFs (default: every variant)",
                                description="Validate the content, then build each variant's PDF into the output folder. "
                                "A PDF is replaced only when its new version compiled and fits its page budget.")
    content_arg(build)
    build.add_argument("-v", "--variant", action="append", default=[], metavar="NAME",
                       help="build only this variant (repeat for several)")
    build.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="DIR",
                       help="output folder (default: out)")
    build.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                       help="stop a TeX run after this long (default: 60)")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")

    check = commands.add_parser("check", help="validate the content file, build nothing",
                                description="Validate the content file and every variant; report all problems at once.")
    content_arg(check)

    listing = commands.add_parser("variants", help="list the variants defined in the content file",
                                  description="List each variant with its description and page budget.")
    content_arg(listing)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return EXIT_INPUT
    try:
        return {"build": _build, "check": _check, "variants": _variants}[args.command](args)
    except UserError as e:
        print(_paint(e.format(), "red", sys.stderr), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _build(args) -> int:
    from cvpress.build import Options, build

    options = Options(content=args.content, out=args.out, variants=args.variant, timeout=args.timeout)
    results = build(options)
    for r in results:
        if r.error is None:
            if not args.quiet:
                pages = f"{r.pages} page{'s' if r.pages != 1 else ''}"
                print(f"{_paint('ok', 'green', sys.stdout)}  {r.variant:<12} {pages:<8} {r.seconds:5.2f} s  {r.pdf}")
        else:
            print(_paint(f"failed  {r.variant}: {r.error.format()}", "red", sys.stderr), file=sys.stderr)
    return EXIT_BUILD if any(r.error for r in results) else EXIT_OK


def _check(args) -> int:
    from cvpress import content, variants

    resume = content.load(args.content)
    for name in resume.variants:
        variants.select(resume, name)
    count = len(resume.variants)
    print(f"{args.content}: valid ({count} variant{'s' if count != 1 else ''})")
    return EXIT_OK


def _variants(args) -> int:
    from cvpress import content, variants

    resume = content.load(args.content)
    for name in resume.variants or ["full"]:
        variant = variants.resolve(resume, name)
        budget = f"max {variant.max_pages} page{'s' if variant.max_pages != 1 else ''}" if variant.max_pages else "no page budget"
        print(f"{name:<12} {budget:<14} {variant.description}")
    return EXIT_OK


_COLORS = {"red": "31", "green": "32", "yellow": "33"}


def _paint(text: str, color: str, stream) -> str:
    if os.environ.get("NO_COLOR") or not stream.isatty():
        return text
    return f"\033[{_COLORS[color]}m{text}\033[0m"
