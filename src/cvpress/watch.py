"""`cvpress watch`: build, then rebuild whenever the content file or a theme or template file changes.

Changes are debounced (an editor's save is often several writes), and a save during a build
triggers one more build when it ends. A broken save is reported and watching goes on; the last
good PDFs stay in the output folder, because a build publishes a PDF only once it succeeded.
"""

from __future__ import annotations

import asyncio
import signal
import traceback
from collections.abc import Callable
from pathlib import Path

from cvpress import build, is_theme_folder, render
from cvpress.errors import UserError

Report = Callable[[list], None]  # prints the results of one build
Say = Callable[[str], None]  # prints a status line


def watch(options: build.Options, report: Report, say: Say, fail: Say, step_ms: int = 200) -> None:
    """Run until interrupted (Ctrl-C or SIGTERM). `step_ms`: how long the files must stay quiet."""
    try:
        asyncio.run(_watch(options, report, say, fail, step_ms))
    except KeyboardInterrupt:
        pass
    say("stopped watching")


def watched(options: build.Options) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs: the content file's folder (only that file counts), latex/, and the
    user's own files: the templates/ folder beside the content file and theme folders of their own."""
    project = options.content.resolve().parent
    folders = [(project, False)]
    if render.LATEX_DIR.is_dir():
        folders.append((render.LATEX_DIR, True))
    own = [project / render.LOCAL_TEMPLATES] + [project / t for t in _themes(options) if is_theme_folder(t)]
    for folder in dict.fromkeys(f.resolve() for f in own):
        if folder.is_dir() and not folder.is_relative_to(render.LATEX_DIR):
            folders.append((folder, True))
    return folders


def _themes(options: build.Options) -> set[str]:
    """The themes a build uses: --theme, else every [style] theme in the content (none if it is broken)."""
    if options.theme:
        return {options.theme}
    from cvpress import content

    try:
        resume = content.load(options.content)
    except UserError:
        return set()
    return {resume.style.theme} | {v.style.theme for v in resume.variants.values() if v.style}


def _once(options: build.Options, report: Report, fail: Say) -> None:
    """One build; every error is reported, none ends the watch."""
    try:
        report(build.build(options))
    except UserError as e:
        fail(e.format())
    except Exception:  # a bug: show it, keep watching so the next save can be tried
        fail(traceback.format_exc().rstrip())


async def _watch(options: build.Options, report: Report, say: Say, fail: Say, step_ms: int) -> None:
    import watchfiles

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # (SIGINT too: not asyncio's own Ctrl-C handling,
        # which differs between Python versions: Python 3.13 left the watch running)
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not on this platform, or not the main thread
            pass
    changed: asyncio.Queue[set[str]] = asyncio.Queue()
    content_file = options.content.resolve()

    def is_content(change, path: str) -> bool:
        return Path(path) == content_file

    async def pump(folder: Path, recursive: bool) -> None:
        keep = is_content if not recursive else watchfiles.DefaultFilter()
        async for changes in watchfiles.awatch(folder, watch_filter=keep, recursive=recursive, step=step_ms,
                                               debounce=max(1600, 4 * step_ms), stop_event=stop):
            await changed.put({path for _, path in changes})

    pumps = [asyncio.create_task(pump(folder, recursive)) for folder, recursive in watched(options)]
    themes = " and ".join(str(f) for f, recursive in watched(options) if recursive)
    await asyncio.to_thread(_once, options, report, fail)
    say(f"watching {options.content}{' and ' + themes if themes else ''} (Ctrl-C to stop)")
    try:
        while not stop.is_set():
            waiting = asyncio.create_task(changed.get())
            stopping = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if waiting not in done:
                waiting.cancel()
                break
            stopping.cancel()
            paths = waiting.result()
            while not changed.empty():  # coalesce everything that arrived meanwhile
                paths |= changed.get_nowait()
            say("changed: " + ", ".join(sorted(_short(p) for p in paths)) + "; rebuilding")
            await asyncio.to_thread(_once, options, report, fail)
    finally:
        stop.set()
        for task in pumps:
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)


def _short(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path
