"""The orchestrator: load -> validate -> select -> render -> compile -> verify -> publish.

`build()` runs the stages in order as plain calls. Variants compile in parallel, each in its own
temporary folder; a PDF reaches the output folder only after it compiled and passed its checks,
by an atomic rename, so a failed build never touches the previous PDFs.

Nothing changed since the last successful build? memo.py answers without loading any stage, so
the stages are imported where they are used.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from cvpress import memo
from cvpress.errors import BuildError, UserError
from cvpress.memo import SourceDate, source_date_epoch
from cvpress.report import Report


@dataclass
class Options:
    content: Path = Path("content.toml")
    out: Path = Path("out")
    variants: list[str] = field(default_factory=list)  # empty: every variant in the file
    theme: str | None = None  # None: each variant's [style] theme; else a theme name or folder for every variant
    engine: str | None = None  # None: per variant, pdflatex unless its characters need lualatex (engines.py)
    timeout: float = 60.0
    fit: bool = True  # fit variants to max_pages (False: over budget is an error)
    force: bool = False  # compile even when the build cache holds the result (and refresh it)
    cache: bool = True  # use the build cache in .cache/cvpress/ beside the content file
    ats: bool = True  # check that the PDF's text reads as the content (ats.py)
    formats: tuple[str, ...] = ("pdf",)  # what to write per variant: "pdf" and/or "docx" (word.py)
    # Progress, for the command line to print as it happens: `done` gets each variant's Result the
    # moment it is finished (errors already located); `notice` a line before a slow first-use step.
    done: Callable[["Result"], None] | None = None
    notice: Callable[[str], None] | None = None

    def request(self) -> dict:
        """What this build asks for, as plain data (the timeout never changes a finished PDF)."""
        return {"variants": self.variants, "theme": self.theme, "engine": self.engine, "fit": self.fit,
                "ats": self.ats, "out": str(self.out.resolve()), "formats": list(self.formats)}


@dataclass
class Result:
    variant: str
    pdf: Path | None = None
    pages: int = 0
    seconds: float = 0.0
    error: UserError | None = None
    fit: Report | None = None
    cached: bool = False  # every compile came from the build cache: the engine did not run
    engine: str | None = None  # the TeX engine the variant needed: pdflatex or lualatex
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, for `build --verbose`
    inputs: list = field(default_factory=list)  # TeX Live files its compiles read (for memo.py)
    replayed: bool = False  # nothing changed since the last build: answered by memo.py, no stage ran
    warnings: list[str] = field(default_factory=list)  # what the recipe does that is probably not meant (variants.py)
    docx: Path | None = None  # the Word document, when asked for (--format docx)
    docx_pages: int | None = None  # its pages as LibreOffice lays it out (None: no LibreOffice here)


def build(options: Options) -> list[Result]:
    """Build the chosen variants; results in the order asked. Raises only for bad input."""
    date = source_date_epoch(options.content)  # (a git call: once per build)
    keyed = date.seconds if date.fixed else None  # what the records key on: a guessed date is no input
    if options.cache and not options.force and (replayed := _replay(options, keyed)):
        return replayed
    from cvpress import content

    clock = time.perf_counter()
    read = content.read(options.content)  # once: what is built, settled and remembered is what was read
    results = _build(options, date, read, clock)
    if options.cache:
        _remember(options, keyed, results, read)
    return results


def _build(options: Options, date: SourceDate, read: tuple[str, dict], started: float) -> list[Result]:
    from cvpress import content, cores, outputs, render, variants

    clock = [started]
    source = hashlib.sha256(read[0].encode("utf-8")).hexdigest()
    resume = content.validate(*read, options.content)
    clock.append(time.perf_counter())
    names = options.variants or list(resume.variants) or ["full"]
    selections = [variants.select(resume, name) for name in names]
    clock.append(time.perf_counter())
    project = options.content.resolve().parent  # its templates/ folder and relative theme folders
    if options.theme is None:  # a theme folder the content file names must be in the project (README "Themes")
        for selection in selections:
            render.check_theme(selection, options.content)
    documents = [render.render(s, options.theme, project=project) for s in selections]
    clock.append(time.perf_counter())
    shared = dict(zip(("load", "select", "render"), (b - a for a, b in zip(clock, clock[1:]))))
    _first_use_notice(options, documents)
    out = _output_folder(options.out)
    kinds = (".pdf", ".fit.json", ".log") * ("pdf" in options.formats) + (".docx",) * ("docx" in options.formats)
    outputs.check(out, names, options.content, options.force, kinds)  # a file of the user's is never replaced
    machine = cores.Cores()  # this build's engines: one per core, all stopped together
    if "pdf" in options.formats:  # pypdf (0.09 s to import) loads while an engine runs: verify reads every PDF
        machine.while_engines_run(importlib.import_module, "pypdf")
    with ThreadPoolExecutor(len(names)) as pool:
        try:
            jobs = [pool.submit(_build_one, selection, document, out, options, date, project, machine, source)
                    for selection, document in zip(selections, documents)]
            for job in cores.as_completed(jobs):  # each result told the moment it is done
                _finish(job.result(), shared, resume, options)
            results = [job.result() for job in jobs]
        except BaseException:  # Ctrl-C, SIGTERM: stop the engines; workers clean up and publish nothing
            machine.stop()
            raise
        finally:
            machine.close()
    return results


def _finish(result: Result, shared: dict, resume, options: Options) -> None:
    """A variant's result completed: the shared stages' times, its error located; then told."""
    from cvpress import typeset as tex
    from cvpress import engines, layout

    result.stages = {**shared, **result.stages}  # the first stages run once for all variants
    if isinstance(result.error, tex.CompileError) and result.error.source:
        result.error.source = _with_toml_line(options.content, result.error.source)
    if isinstance(result.error, engines.UnsupportedCharacters):
        result.error.locate(resume if resume._content is None else resume._content, options.content)  # every translation
    if isinstance(result.error, layout.LayoutError):
        result.error.locate(options.content)
    if options.done:
        options.done(result)


def _first_use_notice(options: Options, documents) -> None:
    """Before LuaLaTeX's first run on this machine (as this user): it builds its font list first."""
    from cvpress import engines, texlive

    if options.notice and "pdf" in options.formats and any((options.engine or d.engine) == engines.LUALATEX
                                                           for d in documents):
        if not engines.font_names_built(texlive.font_cache()):
            options.notice("first LuaLaTeX build as this user: building its font cache first, once "
                           "(usually 10 to 60 s; later builds take a second or two)")


def _replay(options: Options, epoch: int | None) -> list[Result] | None:
    found = memo.replay(options.content, options.request(), epoch)
    if found is None:
        return None
    return [Result(r["variant"], Path(r["pdf"]) if r["pdf"] else None, r["pages"],
                   fit=Report(**r["fit"]) if r["fit"] else None, cached=True, engine=r["engine"], replayed=True,
                   warnings=r.get("warnings", []), docx=Path(r["docx"]) if r.get("docx") else None,
                   docx_pages=r.get("docx_pages")) for r in found]


def _remember(options: Options, epoch: int | None, results: list[Result], read: tuple[str, dict]) -> None:
    """Record a build that fully succeeded for the next no-op; forget the last one otherwise."""
    if any(r.error for r in results):
        memo.forget(options.content, options.request())
        return
    outputs = [p for r in results for p in (r.pdf, r.docx) if p]
    outputs += [p for r in results if r.pdf and (p := r.pdf.with_suffix(".fit.json")).exists() and r.fit]
    outputs += [p for r in results if r.pdf and (p := r.pdf.with_suffix(".build.json")).exists()]
    inputs = list({tuple(i): i for r in results for i in r.inputs}.values())
    plain = [{"variant": r.variant, "pdf": str(r.pdf) if r.pdf else None, "pages": r.pages, "engine": r.engine,
              "fit": asdict(r.fit) if r.fit else None, "warnings": r.warnings,
              "docx": str(r.docx) if r.docx else None, "docx_pages": r.docx_pages} for r in results]
    memo.record(options.content, options.request(), epoch, plain, inputs, {r.engine for r in results}, outputs,
                read)


def _build_one(selection, document, out: Path, options: Options, date: SourceDate, project: Path,
               machine, source: str) -> Result:
    from cvpress import ats, cache, fit, layout, outputs, render, verify
    from cvpress import typeset as tex

    started = time.perf_counter()
    result = Result(selection.name, warnings=selection.warnings)
    workdir = Path(tempfile.mkdtemp(prefix=f"cvpress-{selection.name}-"))
    try:
        store, passes = cache.folder(options.content) if options.cache else None, []
        overfull = []

        def compile_at(chosen, style):
            begun = time.perf_counter()
            rendered = document if style is None else render.render(chosen, options.theme, style, project)
            result.engine = options.engine or rendered.engine
            done = cache.compile_tex(rendered, workdir, cache=store, force=options.force, engine=result.engine,
                                     timeout=options.timeout, source_date_epoch=date.seconds,
                                     date_in_key=date.fixed, cores=machine)
            passes.append(done.passes)  # 0: a cache hit, the engine did not run
            result.inputs += done.inputs
            result.stages["compile"] = result.stages.get("compile", 0.0) + time.perf_counter() - begun
            log = done.log.read_text(encoding="utf-8", errors="replace")
            overfull[:] = layout.overfull(log, rendered.tex)  # of the last compile: the one published
            return log, done

        budget, bounds = selection.variant.max_pages, selection.variant.fit
        fitting = bool(budget and bounds is not False and options.fit)
        bounds, design = fit.Fit() if bounds is True else bounds, render.merged_style(selection)
        if "pdf" not in options.formats:  # Word documents only: the design, as selected, no TeX
            _word(selection, design, out, date.seconds, budget, result)
            result.seconds = time.perf_counter() - started
            return result  # (the workdir goes in `finally`)
        # What the ATS check looks for, worked out while the engine runs (x50: 0.09 s, a free core)
        planned = machine.while_engines_run(ats.plan, selection) if options.ats else None
        log, compiled = compile_at(selection, None)
        style = design
        if fitting:
            selection, style, refit, result.fit = fit.fit(selection, design, budget, bounds, log, compile_at)
            compiled = refit or compiled
        layout.check(selection.name, overfull)  # a line cut at the margin names its content
        result.cached = not any(passes)
        checked = time.perf_counter()
        known = cache.verdict(compiled) if compiled.passes == 0 else None  # this very PDF was checked before
        if known and (known["ats"] or not options.ats):
            result.pages = known["pages"]
            verify.check_budget(selection.name, result.pages, budget)
        else:
            ahead = planned.result() if planned and any(passes) and not planned.cancelled() else None
            extracted = ats.extract(compiled.pdf, expect=selection, planned=ahead) if options.ats else None
            result.pages = extracted.pages if extracted else verify.page_count(compiled.pdf)
            verify.check_budget(selection.name, result.pages, budget)
            if extracted:
                ats.check(selection, extracted)
            cache.remember_verdict(compiled, result.pages, options.ats)
        result.stages["verify"] = time.perf_counter() - checked
        if machine.stopped.is_set():
            raise BuildError("interrupted")
        name = selection.name
        result.pdf = outputs.put(out, name, f"{name}.pdf", compiled.pdf.read_bytes())
        outputs.settle(out, name, options.content, source)
        outputs.remove(out, name, f"{name}.log")
        if result.fit:  # published with its PDF, never before: it describes that PDF
            outputs.put(out, name, f"{name}.fit.json", result.fit.text().encode())
        else:
            outputs.remove(out, name, f"{name}.fit.json")
        if "docx" in options.formats:  # what the PDF shows, at the typography it was fitted to
            _word(selection, style, out, date.seconds, budget, result)
        result.stages["publish"] = time.perf_counter() - checked - result.stages["verify"]
    except tex.CompileError as e:
        if e.log and e.log.exists():
            e.log = outputs.put(out, selection.name, f"{selection.name}.log", e.log.read_bytes())
        result.error = e
    except BuildError as e:
        result.error = e
    except OSError as e:  # the file system refused (a full disk, a folder in the way of a PDF)
        result.error = BuildError(f"{e.filename2 or e.filename or selection.name}: {e.strerror or e}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _word(selection, style, out: Path, epoch: int | None, budget: int | None, result: Result) -> None:
    """Publish the variant's .docx (word.py) and count its pages as LibreOffice lays it out."""
    from cvpress import outline, outputs, word

    document = word.write(outline.build(selection), style, epoch or 0)
    result.docx = outputs.put(out, selection.name, f"{selection.name}.docx", document)
    result.docx_pages = word.pages(result.docx)
    if budget and result.docx_pages and result.docx_pages > budget:
        result.warnings.append(f"{result.docx.name}: LibreOffice lays it out on {result.docx_pages} pages, over the "
                               f"budget of {budget} (Word documents are not fitted; the PDF is)")


def _output_folder(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"{out}: cannot create the output folder: {e.strerror}") from e
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"{out}: the output folder is not writable")
    return out


def _with_toml_line(content_path: Path, key_path: str) -> str:
    """`work[0].positions[0].highlights[2]` -> the same, with the file and line that hold it."""
    from cvpress.locate import format_path, locate

    text = content_path.read_text(encoding="utf-8")
    for path, (line, column) in locate(text).items():
        if format_path(path) == key_path:
            return f"{key_path} ({content_path}:{line}:{column})"
    return key_path
