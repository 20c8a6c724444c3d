"""Tests for cvpress.cli, run the way a user runs it: `python -m cvpress ...` in a subprocess."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, OVERFULL, run_cli

from cvpress import __version__, outputs, verify
from cvpress.content import load
from cvpress.errors import EXIT_BUILD, EXIT_INPUT, EXIT_OK

ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """The shipped content.toml, copied below tmp_path (a build writes beside its content file)."""
    return Path(shutil.copy(CONTENT, tmp_path / "content.toml"))


def clean(result: subprocess.CompletedProcess) -> None:
    """A user error: no traceback, no colour codes when output is not a terminal."""
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert not ANSI.search(stream)


@pytest.mark.parametrize("when", ["parser"])
def test_ctrl_c_while_the_command_starts_exits_130_quietly(tmp_path, when):
    """A real SIGINT delivered while main() builds its parser, before its own handler is in place:
    exit 130, no traceback (cli.run catches it). (Building the parser imports nothing since the
    schema path moved into cli.py, so there is no import to interrupt there any more.)"""
    interrupt = {
        "parser": "real = cli.parser\n"
                  "def parser():\n"
                  "    os.kill(os.getpid(), signal.SIGINT)\n"
                  "    return real()\n"
                  "cli.parser = parser\n",
    }[when]
    script = f"import os, signal, sys\nfrom cvpress import cli\n{interrupt}sys.argv = ['cvpress', 'check']\ncli.run()\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")


# ---------------------------------------------------------------- help, version, listing


def test_help_explains_the_commands(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == EXIT_OK
    for word in ("build", "check", "variants", "content.toml", "exit codes", "NO_COLOR"):
        assert word in result.stdout
    assert re.search(r"build\s+build PDFs", result.stdout)


def test_the_command_exits_at_once_with_all_its_output_and_its_code(tmp_path):
    """`cvpress` skips tearing the interpreter down (cli.run): nothing written may be lost by it."""
    from cvpress.export import Options, export

    exported = run_cli("export", "--format", "json-resume", "-c", str(CONTENT), cwd=tmp_path)
    assert exported.returncode == EXIT_OK
    assert exported.stdout == export(Options(content=CONTENT, format="json-resume")) and len(exported.stdout) > 10_000
    missing = run_cli("check", "-c", str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert missing.returncode == EXIT_INPUT and "nope.toml" in missing.stderr
    piped = subprocess.run(f"{sys.executable} -m cvpress export --format text -c {CONTENT} | head -1", shell=True,
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert piped.stdout == "YOUR NAME\n" and "Traceback" not in piped.stderr


def test_build_help_explains_its_options(tmp_path):
    result = run_cli("build", "--help", cwd=tmp_path)
    assert result.returncode == EXIT_OK
    for option in ("--variant", "--out", "--content", "--timeout"):
        assert option in result.stdout


def test_no_command_prints_help_and_fails(tmp_path):
    result = run_cli(cwd=tmp_path)
    assert result.returncode == EXIT_INPUT
    assert "usage: cvpress" in result.stdout


def test_unknown_option_is_a_usage_error(tmp_path):
    result = run_cli("build", "--frobnicate", cwd=tmp_path)
    assert result.returncode == EXIT_INPUT
    assert "unrecognized arguments: --frobnicate" in result.stderr


def test_python_m_cvpress_prints_the_version(tmp_path):
    result = run_cli("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (EXIT_OK, f"cvpress {__version__}")


def test_console_script_is_installed(tmp_path):
    script = Path(sys.executable).parent / "cvpress"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.stdout.strip() == f"cvpress {__version__}"


def test_variants_lists_each_with_its_budget(content_copy):
    result = run_cli("variants", "-c", str(content_copy), cwd=content_copy.parent)
    assert result.returncode == EXIT_OK, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["full", "onepage", "manager"]
    described = {name: variant.description for name, variant in load(content_copy).variants.items()}
    for line, (name, budget) in zip(lines, [("full", "max 2 pages"), ("onepage", "max 1 page"),
                                            ("manager", "max 2 pages")]):
        assert re.fullmatch(rf"{name}\s+{budget}\s+{re.escape(described[name])}", line), line


def test_variants_without_any_defined(write_content):
    path = write_content(MINIMAL)
    result = run_cli("variants", "-c", str(path), cwd=path.parent)
    assert result.returncode == EXIT_OK
    assert re.fullmatch(r"full\s+no page budget\s+Everything in the content file\n", result.stdout)


# ---------------------------------------------------------------- check


def test_check_accepts_the_shipped_content(content_copy):
    result = run_cli("check", "-c", str(content_copy), cwd=content_copy.parent)
    assert result.returncode == EXIT_OK
    assert result.stdout.strip() == f"{content_copy}: valid (3 variants)"


def test_check_unknown_key(write_content):
    text = MINIMAL.replace("highlights =", "hilights =")
    path = write_content(text)
    result = run_cli("check", "-c", str(path), cwd=path.parent)
    assert result.returncode == EXIT_INPUT
    clean(result)
    line = text.splitlines().index('hilights = ["Wrote the first published program."]') + 1
    assert f"{path}:{line}:1: work[0].positions[0].hilights: unknown key 'hilights'; did you mean 'highlights'?" \
        in result.stderr
    assert result.stdout == ""


def test_check_reports_every_problem_at_once(write_content):
    text = (MINIMAL.replace("highlights =", "hilights =")
            .replace('startDate = "1842"', 'startDate = "2016-13"')
            + '\n[[education]]\ninstitution = "Cambridge"\nstartDate = "2012"\nendDate = "2010"\n')
    path = write_content(text)
    result = run_cli("check", "-c", str(path), cwd=path.parent)
    assert result.returncode == EXIT_INPUT
    clean(result)
    err = result.stderr
    assert "3 problems" in err
    assert "work[0].positions[0].hilights: unknown key 'hilights'; did you mean 'highlights'?" in err
    assert "work[0].positions[0].startDate: month 13 does not exist (expected 01 to 12) (found '2016-13')" in err
    assert "education[0]: endDate 2010 is before startDate 2012" in err
    date_line = text.splitlines().index('startDate = "2016-13"') + 1
    assert f"{path}:{date_line}:1: work[0].positions[0].startDate" in err


def test_check_toml_syntax_error_shows_line_column_and_caret(write_content):
    path = write_content('[basics]\nname = "Ada"\nemail = "ada@example.com\n')
    result = run_cli("check", "-c", str(path), cwd=path.parent)
    assert result.returncode == EXIT_INPUT
    clean(result)
    lines = result.stderr.splitlines()
    where = next(i for i, line in enumerate(lines) if line.startswith(f"{path}:3:"))
    assert "invalid TOML" in lines[where]
    column = int(lines[where].split(":")[2])
    assert lines[where + 1] == '    email = "ada@example.com'
    assert lines[where + 2] == " " * (4 + column - 1) + "^"


def test_check_catches_an_extends_loop(write_content):
    path = write_content(MINIMAL + '\n[variants.a]\nextends = "b"\n\n[variants.b]\nextends = "a"\n')
    result = run_cli("check", "-c", str(path), cwd=path.parent)
    assert result.returncode == EXIT_INPUT
    clean(result)
    assert "`extends` loops through a -> b -> a" in result.stderr


def test_missing_content_file(tmp_path):
    result = run_cli("check", "-c", str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert result.returncode == EXIT_INPUT
    clean(result)
    assert result.stderr.strip() == f"{tmp_path / 'nope.toml'}: no such content file (create one with `cvpress new`)"


# ---------------------------------------------------------------- build


def test_build_one_variant_into_a_folder(content_copy, tmp_path):
    out = tmp_path / "pdfs"
    result = run_cli("build", "-c", str(content_copy), "-v", "onepage", "-o", str(out), cwd=tmp_path)
    assert result.returncode == EXIT_OK, result.stderr
    assert [p.name for p in out.glob("*.pdf")] == ["onepage.pdf"]
    assert verify.page_count(out / "onepage.pdf") == 1
    assert re.match(rf"ok\s+onepage\s+1 page\s+[\d.]+ s\s+{re.escape(str(out / 'onepage.pdf'))}", result.stdout)
    clean(result)


def test_build_unknown_variant_is_one_clear_line(content_copy, tmp_path):
    out = tmp_path / "pdfs"
    result = run_cli("build", "-c", str(content_copy), "-v", "nope", "-o", str(out), cwd=tmp_path)
    assert result.returncode == EXIT_INPUT
    clean(result)
    assert result.stderr.splitlines() == ["unknown variant 'nope' (variants in this file: full, manager, onepage)"]
    assert not out.exists() or not list(out.glob("*.pdf"))




def test_build_over_budget_fails_and_keeps_the_previous_pdf(write_content, tmp_path):
    path = write_content(OVERFULL)
    out = tmp_path / "out"
    out.mkdir()
    sentinel = b"%PDF-1.4 sentinel: the last good tight.pdf\n" + bytes(range(256))
    outputs.put(out, "tight", "tight.pdf", sentinel)  # a previous build's
    result = run_cli("build", "-c", str(path), "-o", str(out), cwd=tmp_path)
    assert result.returncode == EXIT_BUILD
    clean(result)
    assert "tight" in result.stderr and "budget of 1" in result.stderr
    pages = re.search(r"\b(\d+) pages\b", result.stderr)
    assert pages and int(pages[1]) > 1, result.stderr
    assert (out / "tight.pdf").read_bytes() == sentinel


# ---------------------------------------------------------------- colour


def run_on_terminal(args: list[str], env: dict, cwd: Path) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; returns (exit code, output)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "cvpress", *args], stdin=subprocess.DEVNULL,
                               stdout=terminal, stderr=terminal, env=env, cwd=cwd)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return process.wait(timeout=60), output.decode("utf-8", "replace")


@pytest.fixture
def bad_content(write_content) -> Path:
    return write_content(MINIMAL.replace("highlights =", "hilights ="))


def test_colour_on_a_terminal(bad_content):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, output = run_on_terminal(["check", "-c", str(bad_content)], env, bad_content.parent)
    assert code == EXIT_INPUT
    assert "\x1b[31m" in output and "hilights" in output


def test_no_color_turns_colour_off_on_a_terminal(bad_content):
    code, output = run_on_terminal(["check", "-c", str(bad_content)], {**os.environ, "NO_COLOR": "1"},
                                   bad_content.parent)
    assert code == EXIT_INPUT
    assert "hilights" in output and not ANSI.search(output)


def test_no_colour_when_not_a_terminal(bad_content):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    result = run_cli("check", "-c", str(bad_content), cwd=bad_content.parent, env=env)
    assert result.returncode == EXIT_INPUT and "hilights" in result.stderr
    clean(result)


def test_the_schema_commands_default_path_is_the_schema_modules():
    from cvpress import cli, schema

    [action] = [a for a in cli.parser()._subparsers._group_actions[0].choices["schema"]._actions if a.dest == "out"]
    assert action.default == schema.DEFAULT_PATH
