"""`make bench`: how fast cvpress is, each figure next to its floor from the same run.

Every case runs cvpress the way a user does (the console script, in a subprocess, in a temporary
folder) and, interleaved with it, the floor it should be compared with: bare `pdflatex`, one pass,
on the same generated .tex files; or the bare interpreter. A figure is the median of --repeat
timed runs after one warm-up (min-max beside it), so the ratio holds on any machine. Nothing is
written into the repository except the report, out/bench.md.

Every case runs twice: on the machine as it is ("idle"), then with a CPU hog on every core beside
it ("loaded": busy-looping processes that stop by themselves after HOG_SECONDS and are killed when
the case ends). With RENDERCV=/path/to/rendercv (RenderCV 2.8, its Typst packages in its cache), a
row compares the cold build with three parallel RenderCV renders of the same résumé
(bench/rendercv.yaml).

    .venv/bin/python bench/run.py [--repeat N] [--only CASE] [--content FILE] [--idle-only]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.dont_write_bytecode = True  # this process imports cvpress: no __pycache__ in the repository
ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "out" / "bench.md"
ENGINE = "pdflatex"
HOG_SECONDS = 900  # a hog stops by itself after this long, whatever happens to the bench
SCALES = (1, 10, 50)  # the work history repeated this many times (bench/stress.py `scaled`)


@dataclass
class Row:
    case: str
    samples: list[float]  # cvpress: seconds, or MiB for memory
    floor_name: str
    floor: list[float]
    target: str = "-"
    met: bool | None = None  # None: no target
    unit: str = "s"
    note: str = ""
    loaded: Row | None = None  # the same case with a CPU hog on every core
    check: Callable | None = field(default=None, repr=False)  # (median, ratio) -> met; None: no target

    @property
    def ratio(self) -> float:
        return statistics.median(self.samples) / statistics.median(self.floor)

    def judge(self) -> Row:
        if self.check:
            self.met = bool(self.check(statistics.median(self.samples), self.ratio))
        return self


@contextmanager
def hog(cores: int):
    """A busy loop on every core while the block runs; each stops by itself after HOG_SECONDS."""
    loop = f"import time\nend = time.monotonic() + {HOG_SECONDS}\nwhile time.monotonic() < end:\n    pass\n"
    hogs = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(cores)]
    try:
        yield
    finally:
        for process in hogs:
            process.kill()
        for process in hogs:
            process.wait()


class Bench:
    """A temporary playground: copies of the content file, the cvpress command, timing helpers."""

    def __init__(self, content: Path, repeat: int, folder: Path):
        self.content, self.repeat, self.folder = content, repeat, folder
        script = Path(sys.executable).with_name("cvpress")
        self.cvpress = [str(script)] if script.exists() else [sys.executable, "-m", "cvpress"]
        self.workers = max(1, os.cpu_count() or 1)
        # Users' Pythons keep compiled bytecode; keep it here too (PYTHONDONTWRITEBYTECODE would make
        # every run recompile cvpress), but in the temporary folder, not in the repository.
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        # cvpress's per-user cache (precompiled preambles, formats.py): the bench's own, not the user's.
        self.env["XDG_CACHE_HOME"] = str(folder / "user-cache")
        self._build_help: str | None = None

    def project(self, name: str, content: Path | None = None) -> Path:
        """A fresh folder holding a copy of the content file; returns the copy's path."""
        folder = self.folder / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return Path(shutil.copy(content or self.content, folder / "content.toml"))

    def cvpress_run(self, content: Path, *args: str) -> str:
        """`cvpress ARGS` in the content file's folder; its output. A failure stops the bench."""
        done = subprocess.run([*self.cvpress, *args], cwd=content.parent, capture_output=True, text=True,
                              env=self.env)
        if done.returncode != 0:
            raise SystemExit(f"cvpress {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def diagnostic(self, *flags: str) -> list[list[str]]:
        """[flags] if `cvpress build` has them all (a diagnostic run that skips stages), else []."""
        if self._build_help is None:
            self._build_help = subprocess.run([*self.cvpress, "build", "--help"], capture_output=True, text=True,
                                              env=self.env).stdout
        return [list(flags)] if all(flag in self._build_help for flag in flags) else []

    def paired(self, run: Callable, floor: Callable, setup: Callable = lambda: None,
               floor_setup: Callable = lambda: None) -> tuple[list[float], list[float]]:
        """One untimed warm-up each, then `repeat` timed runs of each, alternating (drift hits both)."""
        runs, floors = [], []
        for i in range(self.repeat + 1):
            setup()
            started = time.perf_counter()
            run()
            elapsed = time.perf_counter() - started
            floor_setup()
            started = time.perf_counter()
            floor()
            floor_elapsed = time.perf_counter() - started
            if i:
                runs.append(elapsed)
                floors.append(floor_elapsed)
        return runs, floors


# ---------------------------------------------------------------- floors

def documents(content: Path, names: list[str] | None = None) -> dict:
    """The render stage's .tex for each variant (what `cvpress build` compiles first)."""
    from cvpress import content as loader
    from cvpress import render, variants

    resume = loader.load(content)
    return {name: render.render(variants.select(resume, name)) for name in names or list(resume.variants)}


def tex_folders(bench: Bench, docs: dict, tag: str) -> list[Path]:
    """Fresh folders, one per document: resume.tex and the theme's .sty files, nothing else."""
    folders = []
    for name, doc in docs.items():
        folder = bench.folder / "floor" / tag / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / "resume.tex").write_text(doc.tex, encoding="utf-8")
        for support in doc.support:
            shutil.copy(support, folder / support.name)
        folders.append(folder)
    return folders


def bare_pdflatex(bench: Bench, folders: list[Path]) -> None:
    """One pdflatex pass per folder, in parallel like cvpress: one process per variant, up to the cores."""
    def one(folder: Path) -> None:
        done = subprocess.run([ENGINE, "-interaction=nonstopmode", "-halt-on-error", "resume.tex"], cwd=folder,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if done.returncode != 0:
            raise SystemExit(f"bare {ENGINE} failed in {folder}")

    with ThreadPoolExecutor(min(len(folders), bench.workers)) as pool:
        list(pool.map(one, folders))


def python(bench: Bench, *code: str) -> Callable:
    return lambda: subprocess.run([sys.executable, "-c", "\n".join(code) or "pass"], check=True, env=bench.env)


def clear_cache(content: Path) -> Callable:
    def clear() -> None:
        shutil.rmtree(content.parent / ".cache", ignore_errors=True)
        shutil.rmtree(content.parent / "out", ignore_errors=True)
    return clear


# ---------------------------------------------------------------- cases
# A case takes the Bench and returns Rows. To add one (page fitting, a stress résumé, ...), write a
# function below and list it in CASES; `bench.project(name, content=PATH)` copies any content file.

def cold_build(bench: Bench) -> list[Row]:
    content = bench.project("cold")
    docs = documents(content)
    folders: list[Path] = []

    def floor_setup() -> None:
        folders[:] = tex_folders(bench, docs, "cold")

    rows = []
    for extra in ([], *bench.diagnostic("--no-ats")):
        runs, floors = bench.paired(lambda: bench.cvpress_run(content, "build", "-q", *extra),
                                    lambda: bare_pdflatex(bench, folders), setup=clear_cache(content),
                                    floor_setup=floor_setup)
        compiles = len(list((content.parent / ".cache" / "cvpress").glob("*.entry")))
        row = Row(f"cold build, {len(docs)} variants (build cache cleared)" + _flags(extra), runs,
                  f"bare {ENGINE} x{len(docs)}, 1 pass", floors,
                  note=f"{compiles} engine runs for {len(docs)} variants")
        if not extra:
            row.target = "<= 1.15x floor and <= 0.6 s"
            row.check = lambda median, ratio: ratio <= 1.15 and median <= 0.6
        rows.append(row)
    return rows


def first_build(bench: Bench) -> list[Row]:
    """The first build on a machine: no build cache, and no precompiled preambles yet either."""
    content = bench.project("first")
    docs = documents(content)
    folders: list[Path] = []
    project_cache = clear_cache(content)

    def clear() -> None:
        project_cache()
        shutil.rmtree(Path(bench.env["XDG_CACHE_HOME"]) / "cvpress", ignore_errors=True)

    def floor_setup() -> None:
        folders[:] = tex_folders(bench, docs, "first")

    runs, floors = bench.paired(lambda: bench.cvpress_run(content, "build", "-q"), lambda: bare_pdflatex(bench, folders),
                                setup=clear, floor_setup=floor_setup)
    formats = len(list((Path(bench.env["XDG_CACHE_HOME"]) / "cvpress" / "formats").glob("*.fmt")))
    return [Row(f"first build on a machine, {len(docs)} variants (build cache and preambles cleared)", runs,
                f"bare {ENGINE} x{len(docs)}, 1 pass", floors, note=f"{formats} preambles precompiled on the way")]


def noop_rebuild(bench: Bench) -> list[Row]:
    content = bench.project("noop")
    rows = []
    for extra in ([], *bench.diagnostic("--no-ats")):
        bench.cvpress_run(content, "build", "-q", *extra)
        runs, floors = bench.paired(lambda: bench.cvpress_run(content, "build", "-q", *extra),
                                    python(bench, "import pydantic, jinja2, pypdf"))
        row = Row("no-op rebuild (cache warm)" + _flags(extra), runs, "python: import pydantic, jinja2, pypdf", floors)
        if not extra:
            row.target, row.check = "<= 0.15 s", lambda median, ratio: median <= 0.15
        rows.append(row)
    return rows


def one_word_change(bench: Bench) -> list[Row]:
    content = bench.project("edit")
    original = content.read_text(encoding="utf-8")
    start, word, path, shown_in = _editable_word(content, original)
    bench.cvpress_run(content, "build", "-q")
    state = {"run": 0, "folders": [], "rebuilt": []}

    def edit() -> None:  # a new spelling every run: never in the cache yet, same length as the word
        spelled = word
        while spelled == word:
            state["run"] += 1
            n = state["run"]
            spelled = word[:-2] + chr(97 + n // 26 % 26) + chr(97 + n % 26)
        content.write_text(original[:start] + spelled + original[start + len(word):], encoding="utf-8")

    def rebuild() -> None:
        lines = bench.cvpress_run(content, "build").splitlines()
        state["rebuilt"].append(sum(1 for line in lines if line.startswith("ok") and "(cached)" not in line and "(unchanged)" not in line))

    def floor_setup() -> None:
        state["folders"] = tex_folders(bench, documents(content, shown_in), "edit")

    runs, floors = bench.paired(rebuild, lambda: bare_pdflatex(bench, state["folders"]), setup=edit,
                                floor_setup=floor_setup)
    row = Row(f"one-word change in {path}", runs, f"bare {ENGINE} x{len(shown_in)} (affected), 1 pass", floors,
              target="<= 0.5 s", check=lambda median, ratio: median <= 0.5,
              note=f"shown in {', '.join(shown_in)}; variants recompiled per run: {sorted(set(state['rebuilt']))}")
    return [row]


def single_variant(bench: Bench) -> list[Row]:
    content = bench.project("single")
    name = "onepage" if "onepage" in documents(content) else next(iter(documents(content)))
    docs = documents(content, [name])
    folders: list[Path] = []

    def floor_setup() -> None:
        folders[:] = tex_folders(bench, docs, "single")

    runs, floors = bench.paired(lambda: bench.cvpress_run(content, "build", "-q", "-v", name),
                                lambda: bare_pdflatex(bench, folders), setup=clear_cache(content),
                                floor_setup=floor_setup)
    return [Row(f"single-variant build ({name}, cache cleared)", runs, f"bare {ENGINE}, 1 pass", floors)]


def fitting(bench: Bench) -> list[Row]:
    """Page fitting: the shipped onepage and the 40-position stress résumé (bench/stress.py), each
    against one plain pdflatex pass of the same document, so fitting's overhead is a ratio."""
    stress = bench.folder / "stress-source.toml"
    subprocess.run([sys.executable, str(ROOT / "bench" / "stress.py"), str(stress)], check=True)
    rows = []
    for label, source in (("shipped onepage", None), ("stress résumé, 40 positions", stress)):
        content = bench.project(f"fit-{len(rows)}", content=source)
        docs = documents(content, ["onepage"])
        folders: list[Path] = []

        def floor_setup(docs=docs, folders=folders, tag=f"fit-{len(rows)}") -> None:
            folders[:] = tex_folders(bench, docs, tag)

        runs, floors = bench.paired(lambda content=content: bench.cvpress_run(content, "build", "-q", "-v", "onepage"),
                                    lambda folders=folders: bare_pdflatex(bench, folders),
                                    setup=clear_cache(content), floor_setup=floor_setup)
        report = json.loads((content.parent / "out" / "onepage.fit.json").read_text(encoding="utf-8"))
        limit = 3 if source is None else 6
        row = Row(f"fit to 1 page: {label} (cache cleared)", runs, f"bare {ENGINE}, 1 pass, unfitted", floors,
                  target=f"<= {limit} compiles",
                  note=f"{report['compiles']} compiles, {len(report['dropped'])} highlights/roles dropped, "
                       f"{report['style']['font_size']}pt, spacing {report['style']['spacing']}, "
                       f"margin {report['style']['margin']}")
        row.check = lambda median, ratio, ok=report["compiles"] <= limit: ok
        rows.append(row)
    return rows


def startup(bench: Bench) -> list[Row]:
    runs, floors = bench.paired(lambda: subprocess.run([*bench.cvpress, "--help"], check=True, capture_output=True,
                                                       env=bench.env),
                                python(bench))
    row = Row("`cvpress --help`", runs, "python -c pass", floors, target="<= 0.15 s",
              check=lambda median, ratio: median <= 0.15)
    return [row]


def peak_memory(bench: Bench) -> list[Row]:
    """Largest resident set of any process in the build (RUSAGE_CHILDREN of a wrapper), in MiB."""
    content = bench.project("memory")
    docs = documents(content)
    wrapper = ("import resource, subprocess, sys\n"
               "subprocess.run(sys.argv[2:], cwd=sys.argv[1], check=True, capture_output=True)\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")

    def peak(cwd: Path, *command: str) -> float:
        done = subprocess.run([sys.executable, "-c", wrapper, str(cwd), *command], check=True, capture_output=True,
                              text=True, env=bench.env)
        return int(done.stdout) / 1024  # Linux reports KiB

    runs, floors = [], []
    for i in range(bench.repeat + 1):
        clear_cache(content)()
        build = peak(content.parent, *bench.cvpress, "build", "-q")
        folders = tex_folders(bench, docs, "memory")
        bare = max(peak(folder, ENGINE, "-interaction=nonstopmode", "resume.tex") for folder in folders)
        if i:
            runs.append(build)
            floors.append(bare)
    row = Row("peak RSS, cold build (largest process)", runs, f"bare {ENGINE}", floors, target="<= 250 MiB",
              unit="MiB", check=lambda median, ratio: median <= 250)
    if not Path("/proc/self/statm").exists():
        return [row]
    runs, floors = [], []
    for i in range(bench.repeat + 1):
        clear_cache(content)()
        build = tree_peak(content.parent, bench.env, *bench.cvpress, "build", "-q")
        folders = tex_folders(bench, docs, "memory")
        with ThreadPoolExecutor(bench.workers) as pool:
            bare = sum(pool.map(lambda f: tree_peak(f, bench.env, ENGINE, "-interaction=nonstopmode", "resume.tex"),
                                folders))
        if i:
            runs.append(build)
            floors.append(bare)
    total = Row("peak RSS, cold build (all its processes at once)", runs, f"bare {ENGINE} x{len(docs)}, added",
                floors, target="<= 250 MiB", unit="MiB", check=lambda median, ratio: median <= 250)
    return [row, total]


def tree_peak(cwd: Path, env: dict, *command: str) -> float:
    """Peak of the resident sets of a command and all its descendants added up, sampled from /proc
    every 2 ms (Linux), in MiB: shared pages count in every process, so this is an upper bound."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page, peak = os.sysconf("SC_PAGE_SIZE"), 0
    while process.poll() is None:
        parents, rss = {}, {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as stat, open(f"/proc/{pid}/statm") as statm:
                    parents[int(pid)] = int(stat.read().rsplit(")", 1)[1].split()[1])
                    rss[int(pid)] = int(statm.read().split()[1]) * page
            except (OSError, ValueError, IndexError):
                continue
        tree, todo = set(), [process.pid]
        while todo:
            pid = todo.pop()
            tree.add(pid)
            todo += [child for child, parent in parents.items() if parent == pid and child not in tree]
        peak = max(peak, sum(rss.get(pid, 0) for pid in tree))
        time.sleep(0.002)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}")
    return peak / 2**20


def scale(bench: Bench) -> list[Row]:
    """The content's work history x1, x10, x50 in one variant with no page budget (bench/stress.py
    `scaled`): a full build, ATS check included, against one bare pass of the same document."""
    sys.path.insert(0, str(ROOT / "bench"))
    from stress import scaled

    rows = []
    for times in SCALES:
        source = bench.folder / f"scaled-{times}.toml"
        source.write_text(scaled(bench.content.read_text(encoding="utf-8"), times), encoding="utf-8")
        content = bench.project(f"scale-{times}", content=source)
        docs = documents(content)
        folders: list[Path] = []

        def floor_setup(docs=docs, folders=folders, tag=f"scale-{times}") -> None:
            folders[:] = tex_folders(bench, docs, tag)

        for extra in ([], *bench.diagnostic("--no-ats")):
            runs, floors = bench.paired(lambda content=content, extra=extra: bench.cvpress_run(content, "build", "-q", *extra),
                                        lambda folders=folders: bare_pdflatex(bench, folders),
                                        setup=clear_cache(content), floor_setup=floor_setup)
            pages = subprocess.run(["pdfinfo", str(content.parent / "out" / "scaled.pdf")], capture_output=True,
                                   text=True).stdout
            pages = re.search(r"^Pages:\s+(\d+)", pages, re.M)
            row = Row(f"work history x{times}, full build, ATS check included (cache cleared)" + _flags(extra), runs,
                      f"bare {ENGINE}, 1 pass, same document", floors,
                      note=f"{pages[1] if pages else '?'} pages")
            if times == SCALES[-1] and not extra:
                row.target, row.check = "<= 1.5x floor", lambda median, ratio: ratio <= 1.5
            rows.append(row)
    return rows


def rendercv(bench: Bench) -> list[Row]:
    """The cold 3-variant build against three RenderCV renders at once (three variants' worth), when
    RENDERCV names a RenderCV; the same résumé as YAML (bench/rendercv.yaml)."""
    command = os.environ.get("RENDERCV")
    if not command:
        return []
    content = bench.project("rendercv-cold")
    names = list(documents(content))
    folder = bench.folder / "rendercv"

    def three() -> None:
        def one(i: int) -> None:
            out = folder / str(i)
            shutil.rmtree(out, ignore_errors=True)
            done = subprocess.run([command, "render", str(ROOT / "bench" / "rendercv.yaml"), "-nopng", "-nomd",
                                   "-nohtml", "-o", str(out)], cwd=bench.folder, capture_output=True, text=True)
            if done.returncode != 0 or not list(out.glob("*.pdf")):
                raise SystemExit(f"rendercv failed:\n{done.stdout}{done.stderr}")

        with ThreadPoolExecutor(3) as pool:
            list(pool.map(one, range(3)))

    runs, floors = bench.paired(lambda: bench.cvpress_run(content, "build", "-q"), three, setup=clear_cache(content))
    return [Row(f"cold build, {len(names)} variants, against RenderCV", runs, "RenderCV x3 in parallel", floors,
                target="<= 0.5x", check=lambda median, ratio: ratio <= 0.5)]


CASES = [cold_build, first_build, noop_rebuild, one_word_change, single_variant, fitting, startup, peak_memory,
         scale, rendercv]
# ---------------------------------------------------------------- end of cases


def _editable_word(content: Path, text: str) -> tuple[int, str, str, list[str]]:
    """A highlight shown in the fewest variants, and one word of it: (offset, word, key path, variants)."""
    shown: dict[str, list[str]] = {}
    for name, doc in documents(content).items():
        for path in re.findall(r"% @(\S*highlights\[\d+\])\s*$", doc.tex, re.M):
            shown.setdefault(path, []).append(name)
    from cvpress import content as loader

    resume = loader.load(content)
    for path, names in sorted(shown.items(), key=lambda item: len(item[1])):
        highlight = _walk(resume, path)
        text_of = highlight.text if hasattr(highlight, "text") else str(highlight)
        if text.count(text_of) != 1:
            continue
        word = re.search(r"[A-Za-z]{5,}", text_of)
        if word:
            return text.index(text_of) + word.start(), word.group(), path, names
    raise SystemExit("no highlight with an editable word found")


def _walk(node, path: str):
    for name, index in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
        node = getattr(node, name)
        if index:
            node = node[int(index)]
    return node


def _flags(extra: list[str]) -> str:
    return f" `{' '.join(extra)}` (diagnostic)" if extra else ""


def _cell(values: list[float], unit: str) -> str:
    fmt = (lambda v: f"{v:.0f}") if unit == "MiB" else (lambda v: f"{v:.3f}")
    return f"{fmt(statistics.median(values))} {unit} ({fmt(min(values))}-{fmt(max(values))})"


def table(rows: list[Row], repeat: int) -> str:
    version = subprocess.run([ENGINE, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    loaded = any(r.loaded for r in rows)
    lines = [
        "# cvpress bench",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {version}. "
        f"Median of {repeat} runs after a warm-up (min-max); Python bytecode cached, as for users."
        + (f" Loaded: a CPU hog on each of the {os.cpu_count()} cores beside every run." if loaded else ""),
        "",
        "| case | cvpress | floor | floor time | ratio | target | met |"
        + (" loaded: cvpress | floor time | ratio | met |" if loaded else ""),
        "|---|---|---|---|---|---|---|" + ("---|---|---|---|" if loaded else ""),
    ]
    for r in rows:
        line = (f"| {r.case} | {_cell(r.samples, r.unit)} | {r.floor_name} | {_cell(r.floor, r.unit)} | "
                f"{r.ratio:.2f}x | {r.target} | {_met(r)} |")
        if loaded:
            other = r.loaded
            line += (f" {_cell(other.samples, other.unit)} | {_cell(other.floor, other.unit)} | {other.ratio:.2f}x | "
                     f"{_met(other)} |" if other else " - | - | - | - |")
        lines.append(line)
    notes = [f"- {r.case}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def _met(row: Row) -> str:
    return "-" if row.met is None else ("yes" if row.met else "**no**")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case after a warm-up (default: 5)")
    parser.add_argument("--only", action="append", default=[], metavar="CASE",
                        help="run only this case (function name; repeatable)")
    parser.add_argument("--content", type=Path, default=ROOT / "content.toml", help="the résumé to build")
    parser.add_argument("--idle-only", action="store_true", help="skip the runs beside a CPU hog on every core")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or c.__name__ in args.only]
    rows = []
    with tempfile.TemporaryDirectory(prefix="cvpress-bench-") as folder:
        bench = Bench(args.content.resolve(), max(1, args.repeat), Path(folder))
        for case in cases:
            print(f"running {case.__name__} ...", file=sys.stderr, flush=True)
            idle = [row.judge() for row in case(bench)]
            if not args.idle_only and idle:
                print(f"running {case.__name__} beside a CPU hog on every core ...", file=sys.stderr, flush=True)
                with hog(bench.workers):
                    for row, loaded in zip(idle, case(bench)):
                        row.loaded = loaded.judge()
            rows.extend(idle)
    report = table(rows, bench.repeat)
    print(report)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
