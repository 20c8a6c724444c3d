"""Unicode that round-trips: the engine choice (engines.py) and real compiles under both engines.

Text must extract back verbatim (pypdf, whitespace collapsed); a character that no font has must
fail the build with its code point and the content key that holds it, never a blank box.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, minimal, run_cli
from hypothesis import given
from hypothesis import strategies as st

from cvpress import engines, verify
from cvpress import escape as esc
from cvpress.build import Options, build
from cvpress.typeset import compile_tex, sandbox_env
from cvpress.render import Rendered

LATIN = "Renée Núñez-Øster, Łukasz Straße, Ősz Ærø, Çağrı Şahin, Jiří Dvořák, Ångström, Œuvre"
GREEK = "Ζωή Παπαδοπούλου, Αθήνα: Έγραψα τον μεταγλωττιστή"
CYRILLIC = "Ирина Шевченко, Київ: написала компилятор «Щука» для Ёлки"
# Typographic punctuation and symbols: curly quotes, dashes, ellipsis, no-break space, ™ € →
PUNCTUATION = "“quoted” ‘single’ 2019 – 2021 — dash 10\u00a0000 ™ € → « » ‚low„ † • °"


# LuaLaTeX's first run with a Noto CJK face caches its .ttc (40 s idle, in the tests' fresh font cache)
FIRST_CJK_RUN = 300.0


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def build_one(path: Path, out: Path, timeout: float = 60.0):
    [result] = build(Options(content=path, out=out, cache=False, timeout=timeout))
    assert result.error is None, result.error.format()
    return result, squash(verify.text(result.pdf))


# ---------------------------------------------------------------- the engine choice (no TeX)


@pytest.mark.parametrize("text", ["plain ASCII {}$&%#_~^\\<>|'`\"", LATIN, PUNCTUATION, "½ № ←↑→↓"])
def test_pdflatex_sets_latin_and_punctuation(text):
    assert engines.choose(esc.text(text)) == "pdflatex"  # the engine is chosen for the escaped document


@pytest.mark.parametrize("text", [GREEK, CYRILLIC, "Māori ā", "Română ș", "Esperanto ĥ", "wait…", "ﬁ", "≠"])
def test_anything_else_needs_lualatex(text):
    assert engines.choose(esc.text(text)) == "lualatex"


@given(st.text())
def test_choice_is_total_and_any_outsider_switches(text):
    assert engines.choose(text) in ("pdflatex", "lualatex")
    assert engines.choose(text + "Ω") == "lualatex"
    for char in set(text):  # never a crash describing or judging a character
        assert engines.describe(char).count("U+") == 1
        engines.unsupported(char)


def test_characters_known_to_be_unsettable():
    assert "private-use" in engines.unsupported("\ue000")
    assert "not an assigned" in engines.unsupported("\u0378")
    assert "right-to-left" in engines.unsupported("ש")
    assert all("invisible" in engines.unsupported(c) for c in "\u200b\u200d\u202e\ufeff\ufe0f")
    assert all(engines.unsupported(c) is None for c in "é中😀Ω\u00a0")


def test_missing_characters_are_read_from_both_engines_logs():
    lua = ("Missing character: There is no 🦀 (U+1F980) in font [texgyrepagella-regular.otf]:mode=node;!\n"
           "Missing character: There is no 中 (U+4E2D) in font file:DejaVuSerif.ttf:mode=node;!\n")
    pdf = "./resume.tex:12: LaTeX Error: Unicode character α (U+03B1)\n               not set up for use with LaTeX.\n"
    assert set(engines.missing_in_log(lua)) == {"🦀", "中"}
    assert engines.missing_in_log(pdf) == {"α": "pdfLaTeX cannot set it"}
    assert engines.missing_in_log("Missing character: There is no ^^e2 in font ecrm1000!") == {}


def test_a_missing_cjk_character_names_the_debian_package():
    log = "Missing character: There is no 中 (U+4E2D) in font [texgyrepagella-regular.otf]:mode=node;!\n"
    assert "sudo apt-get install fonts-noto-cjk" in engines.missing_in_log(log)["中"]
    assert engines.CJK_PACKAGE in (ROOT / ".ci" / "test-packages.txt").read_text().split()
    assert "fonts-noto-cjk" not in engines.missing_in_log(log.replace("中 (U+4E2D)", "🦀 (U+1F980)"))["🦀"]


@pytest.mark.parametrize(("text", "language", "face"), [
    ("Plain Latin, Ελληνικά", "zh", None), ("王晓明", "zh", 2), ("王曉明", "zh-TW", 3), ("東京", "ja", 0),
    ("東京", "en", 2), ("東京でテスト", "en", 0), ("한국어 韓國", "fr", 1), ("김민준", "ko", 1), ("中文", "ko", 1)])
def test_the_cjk_face_follows_the_language_then_the_script(text, language, face):
    assert engines.cjk_face(text, language) == face


def test_lualatex_font_cache_is_writable_and_reads_stay_paranoid(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TEXMFCACHE", "/elsewhere")
    env = sandbox_env(0, "lualatex")
    assert env["TEXMFCACHE"] == str(tmp_path / "xdg" / "cvpress" / "texmf")
    assert os.access(env["TEXMFCACHE"], os.W_OK)
    assert (env["openin_any"], env["openout_any"], env["shell_escape"]) == ("p", "p", "f")
    assert "TEXMFCACHE" not in sandbox_env(0)  # pdfLaTeX keeps no font cache
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-place")
    monkeypatch.setenv("HOME", "/proc/no-such-home")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    fallback = engines.font_cache()  # a private folder in the temporary directory
    assert fallback.is_relative_to(tmp_path / "tmp") and os.access(fallback, os.W_OK)


# ---------------------------------------------------------------- real compiles


def test_latin_and_punctuation_round_trip_under_pdflatex(write_content, tmp_path):
    table = "".join(sorted(c for c in engines.PDFLATEX_CHARS if ord(c) > 0x7F))  # every character it claims
    path = write_content(minimal(LATIN, PUNCTUATION, name="Renée Ørsted-Łęcka"))
    result, text = build_one(path, tmp_path / "out")
    assert result.engine == "pdflatex"
    for expected in (LATIN, "Renée Ørsted-Łęcka", "“quoted” ‘single’"):
        assert squash(expected) in text
    # pypdf drops some spaces next to pdfTeX's symbol font (10€ per): symbols are checked without spaces
    assert "—dash10000™€→«»‚low„†•°" in "".join(text.split())
    assert "2019 - 2021" in text  # the theme maps the en dash to '-' for parsers, under both engines

    # the table itself: each character is one glyph of the font that extracts as typed
    rendered = Rendered(r"\documentclass{article}\usepackage[T1]{fontenc}\usepackage{tgpagella}\input{glyphtounicode}"
                        rf"\pdfgentounicode=1\pagestyle{{empty}}\begin{{document}}{table}\end{{document}}", ())
    assert rendered.engine == "pdflatex"
    compiled = compile_tex(rendered, tmp_path / "table")
    assert "".join(verify.text(compiled.pdf).split()) == table


def test_greek_and_cyrillic_round_trip_under_lualatex(write_content, tmp_path):
    more = PUNCTUATION + " Māori, Română ș … ½"
    path = write_content(minimal(GREEK, CYRILLIC, "**Жирный** *Πλάγια*", more,
                                 name="Ζωή Ιβάνοβα", position="Разработчик"))
    result, text = build_one(path, tmp_path / "out")
    assert result.engine == "lualatex"
    for expected in (GREEK, CYRILLIC, "Ζωή Ιβάνοβα", "Разработчик", "Жирный Πλάγια", more.replace("–", "-")):
        assert squash(expected) in text  # the en dash reads as '-', as under pdfLaTeX
    assert verify.metadata(result.pdf)["Author"] == "Ζωή Ιβάνοβα"


@pytest.mark.parametrize("name", ["Ada Lovelace", "Ζωή Ιβάνοβα"])
def test_the_pdf_names_neither_the_machine_nor_the_tex_version(name, write_content, tmp_path):
    from pypdf import PdfReader

    path = write_content(minimal("Wrote the first published program.", name=name))
    result, _ = build_one(path, tmp_path / "out")
    assert result.engine == ("pdflatex" if name == "Ada Lovelace" else "lualatex")
    reader = PdfReader(result.pdf)
    objects = [str(reader.get_object(i)) for i in range(1, reader.trailer["/Size"]) if reader.get_object(i) is not None]
    found = "\n".join(objects + [str(reader.trailer), result.pdf.read_bytes().decode("latin-1")])
    for machine in ("PTEX", "TeX Live", "LuaTeX", "pdfTeX", "Debian", str(tmp_path), str(Path.home())):
        assert machine not in found, machine
    assert reader.metadata["/Producer"].startswith("cvpress")


def test_a_character_no_font_has_fails_naming_it(write_content, tmp_path):
    # (a character known to have no glyph, such as private-use U+E000, is refused earlier, by the
    # content check: test_content.py)
    path = write_content(minimal("Shipped it 🦀", "Tokyo 🦑 office", "Logo \U0001F980 here"))
    done = run_cli("build", "--content", str(path), "--out", str(tmp_path / "out"), "--no-cache")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in ("'🦀' U+1F980 CRAB", "U+1F991 SQUID",
                   "work[0].positions[0].highlights[0] (", "work[0].positions[0].highlights[1] (",
                   "work[0].positions[0].highlights[2] ("):
        assert needle in done.stderr, done.stderr
    assert f"{path}:13:" in done.stderr  # the TOML line that holds the characters
    assert not (tmp_path / "out" / "full.pdf").exists()


@pytest.mark.parametrize(("fixture", "typed"), [
    ("cjk-zh.toml", ("王晓明", "十年互联网后端开发经验，专注于分布式存储与高并发系统。熟悉 Go、Java 与 MySQL，",
                     "2019年3月 - 至今", "工作经历", "负责订单与支付平台的架构设计，日均处理交易超过三百万笔，")),
    ("cjk-ja.toml", ("佐藤 花子", "クラウド基盤とデータ処理を専門とするエンジニアです。", "2020年4月 - 現在", "職歴",
                     "決済システムの基盤をオンプレミスから AWS へ移行し、運用コストを四割削減しました。")),
])
def test_chinese_and_japanese_resumes_build_and_read_back_as_typed(fixture, typed, tmp_path):
    from pypdf import PdfReader

    result, _ = build_one(FIXTURES / fixture, tmp_path / "out", FIRST_CJK_RUN)
    assert result.engine == "lualatex" and result.pages == 1
    raw = verify.text(result.pdf)
    # a line wrapped between two CJK characters reads as a line break there, as CJK text is read
    cjk = "[\u3000-\u9fff\uff00-\uffef]"
    text = squash(re.sub(f"(?<={cjk})\n(?={cjk})", "", raw))
    for expected in typed:  # exactly as typed: no space added between CJK characters
        assert expected in text, expected
    fonts = {str(f["/BaseFont"]) for page in PdfReader(result.pdf).pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("NotoSerifCJK" in f for f in fonts), fonts
    # the summary wraps between two CJK characters: they have no space to break at
    assert re.search(f"{cjk}\n{cjk}", raw), raw


def test_korean_builds_and_breaks_at_spaces(write_content, tmp_path):
    line = "대규모 결제 시스템을 설계하고 운영했습니다. " * 6
    path = write_content(minimal(line, name="김민준", position="백엔드 개발자"))
    result, text = build_one(path, tmp_path / "out", FIRST_CJK_RUN)
    assert result.engine == "lualatex"
    for expected in ("김민준", "백엔드 개발자", squash(line)):
        assert expected in text


def test_pdflatex_refusing_a_character_names_it(tmp_path):
    rendered = Rendered("\\documentclass{article}\\begin{document}x α y\\end{document}\n", ())
    with pytest.raises(engines.UnsupportedCharacters) as caught:
        compile_tex(rendered, tmp_path, engine="pdflatex")
    assert "U+03B1 GREEK SMALL LETTER ALPHA: pdfLaTeX cannot set it" in caught.value.format()


def test_packages_names_the_cjk_fonts_only_when_the_content_needs_them(write_content):
    for path, wanted in ((FIXTURES / "cjk-ja.toml", "fonts-noto-cjk\n"), (FIXTURES / "resume.toml", ""),
                         (write_content(minimal("Opened the Tokyo 東京 office")), "fonts-noto-cjk\n"),
                         (write_content(minimal("x").replace('"x"', '{ en = "Opened Tokyo", ja = "東京を開設" }')),
                          "fonts-noto-cjk\n")):  # in a translation only
        done = run_cli("packages", "--content", str(path))
        assert (done.returncode, done.stdout) == (0, wanted), done.stderr


def test_page_fitting_works_for_chinese(tmp_path):
    more = "".join(f'  {{ text = "第{n}项：为运营团队设计并实现数据看板，覆盖订单、库存与物流的实时指标，'
                   f'帮助管理层每周复盘业务并调整资源分配。", priority = 3 }},\n' for n in range(40))
    source = (FIXTURES / "cjk-zh.toml").read_text(encoding="utf-8")
    path = tmp_path / "content.toml"
    path.write_text(source.replace('  { text = "编写内部运维工具', more + '  { text = "编写内部运维工具'),
                    encoding="utf-8")
    result, text = build_one(path, tmp_path / "out", FIRST_CJK_RUN)
    assert result.pages == 1 and result.fit.fitted, result.fit
    assert result.fit.dropped  # too much for one page: highlights go, as in any language
    assert "负责订单与支付平台的架构设计" in text
