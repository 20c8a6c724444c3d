"""cvpress theme copy / eject: a theme's files out of the package, to edit, never over the user's."""

from __future__ import annotations

from conftest import CONTENT, run_cli
from pypdf import PdfReader

from cvpress import render


def test_a_copied_theme_builds_as_the_original_and_is_the_users_to_change(tmp_path):
    (tmp_path / "content.toml").write_text(CONTENT.read_text(encoding="utf-8").replace(
        'theme = "classic"', 'theme = "./mine"'), encoding="utf-8")
    done = run_cli("theme", "copy", "modern", "mine", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    copied = {p.name for p in (tmp_path / "mine").iterdir()}
    assert {"cvtheme.sty", "cvpress.sty", "document.tex.j2", "header.tex.j2"} <= copied
    assert (tmp_path / "mine" / "cvtheme.sty").read_bytes() == (render.theme_dir("modern") / "cvtheme.sty").read_bytes()
    built = run_cli("build", "-v", "onepage", "--no-cache", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for page in PdfReader(tmp_path / "out" / "onepage.pdf").pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("Heros" in f for f in fonts)  # modern's heading font: the copy is modern
    again = run_cli("theme", "copy", "modern", "mine", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr  # never over the user's files


def test_eject_puts_one_file_in_templates_where_it_wins_and_never_replaces_it(tmp_path):
    (tmp_path / "content.toml").write_bytes(CONTENT.read_bytes())
    done = run_cli("theme", "eject", "header.tex.j2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ejected = tmp_path / "templates" / "header.tex.j2"
    ejected.write_text(ejected.read_text(encoding="utf-8").replace("<< name >>", "<< name >> (ejected)"), encoding="utf-8")
    built = run_cli("build", "-v", "full", "--no-cache", "--no-ats", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "(ejected)" in PdfReader(tmp_path / "out" / "full.pdf").pages[0].extract_text()
    again = run_cli("theme", "eject", "header.tex.j2", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr and "(ejected)" in ejected.read_text()
    unknown = run_cli("theme", "eject", "nope.tex.j2", cwd=tmp_path)
    assert unknown.returncode == 2 and "has no such file; it has: cvpress.sty" in unknown.stderr
