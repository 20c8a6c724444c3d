"""The outline: every field of the content model reaches every output, or is declared not shown.

The marker test walks the content model itself (pydantic's model_fields, recursively), so a field
added to model.py later is covered without touching this file: it gets a unique marker word and must
then show in the PDF (both themes, real compiles) and in every export (Markdown, text, HTML, Word), or be listed in
outline.NOT_SHOWN.
"""

from __future__ import annotations

import itertools
import typing

import pytest
import tomlkit
from conftest import MINIMAL
from pydantic import BaseModel
from pypdf import PdfReader

from cvpress import content, export, locales, model, outline, variants
from cvpress.build import Options, build
from cvpress.model import PartialDate


def _not_shown(cls: type, name: str) -> bool:
    return any(f"{base.__name__}.{name}" in outline.NOT_SHOWN for base in cls.__mro__)


def _model_in(annotation) -> type | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _kind(annotation) -> str:
    """What a field holds, from its annotation: "list", "date", "url", "text" or "other"."""
    text = str(annotation)
    if typing.get_origin(annotation) is list or text.startswith("list["):
        return "list"
    if "PartialDate" in text:
        return "date"
    if "_url" in text:
        return "url"
    if "str" in text:
        return "text"
    return "other"


class Markers:
    """Unique marker words, dates and URLs, and where each went (key path -> marker)."""

    def __init__(self):
        self.numbers = itertools.count(1)
        self.years = itertools.count(1901)
        self.placed: dict[str, str] = {}

    def fill(self, cls: type, path: str) -> dict:
        """A table for model `cls` with every shown field set; lists of tables hold two."""
        table = {}
        for name, info in cls.model_fields.items():
            if _not_shown(cls, name):
                continue
            where = f"{path}.{name}" if path else name
            inner = _model_in(info.annotation)
            kind = _kind(info.annotation)
            if typing.get_origin(info.annotation) is dict:  # [sections]: one section of one's own, "own"
                table[name] = {"own": self.fill(inner, f"{where}.own")}
            elif kind == "list":
                items = [self.fill(inner, f"{where}[{i}]") if inner else self.word(f"{where}[{i}]", name)
                         for i in range(2)]
                table[name] = items
            elif inner is not None:
                table[name] = self.fill(inner, where)
            elif kind == "date":
                year = next(self.years)
                table[name] = f"{year}-03"
                self.placed[where] = str(PartialDate(year, 3))
            elif kind == "url":  # shown as a link target (the PDF) or as text (the exports)
                table[name] = f"https://example.com/{self.word(where, name)}"
            elif kind == "text":
                table[name] = self.word(where, name)
            else:
                raise AssertionError(f"{cls.__name__}.{name}: a field of a new kind; teach this test to fill it")
        return table

    def word(self, where: str, name: str) -> str:
        marker = f"Mk{next(self.numbers):03d}x"
        if name == "email":
            marker = f"{marker}@example.com"
        self.placed[where] = marker
        return marker


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    """A content file with every shown field of the model set to a marker, and the markers."""
    markers = Markers()
    data = markers.fill(model.Resume, "")
    # the first employer with one position (its lines merge with the employer's), the second with two
    data["work"][0]["positions"] = data["work"][0]["positions"][:1]
    # an entry of one's own has one date or a range: the first keeps its range, the second its date
    own = data["sections"]["own"]["entries"]
    del own[0]["date"], own[1]["startDate"], own[1]["endDate"]
    gone = ("work[0].positions[1]", "sections.own.entries[0].date", "sections.own.entries[1].startDate",
            "sections.own.entries[1].endDate")
    placed = {k: v for k, v in markers.placed.items() if not k.startswith(gone)}
    data["variants"] = {"full": {"description": "every section in the usual order"},
                        "reversed": {"description": "every section, backwards",
                                     "sections": list(reversed([*model.SECTIONS, "own"]))}}
    folder = tmp_path_factory.mktemp("marked")
    path = folder / "content.toml"
    path.write_text(tomlkit.dumps(data), encoding="utf-8")
    return path, placed


def test_every_field_of_the_model_is_shown_or_declared_not_shown():
    """NOT_SHOWN names only fields that exist, so it cannot keep a stale entry."""
    classes = {c.__name__: c for c in vars(model).values() if isinstance(c, type) and issubclass(c, BaseModel)}
    for key in outline.NOT_SHOWN:
        cls, _, name = key.partition(".")
        assert name in classes[cls].model_fields, key


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.tex
@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_every_marker_reaches_the_pdf(marked, tmp_path, theme):
    path, placed = marked
    resume = content.load(path)
    names = list(resume.variants) or ["full"]
    results = build(Options(content=path, out=tmp_path, theme=theme, cache=False))
    assert not [r.error.format() for r in results if r.error]
    for name in names:
        reader = PdfReader(tmp_path / f"{name}.pdf")
        text = _squash("\n".join(page.extract_text() for page in reader.pages))
        links = [a.get_object()["/A"].get("/URI") for page in reader.pages for a in page.get("/Annots", [])]
        missing = [f"{where} = {marker!r}" for where, marker in placed.items()
                   if _squash(marker) not in text and not any(str(u).endswith("/" + marker) for u in links)]
        assert not missing, f"{theme}/{name}: not in the PDF: {missing}"


def _word_text(selection) -> str:
    """The .docx's paragraphs and link targets (python-docx reads it back)."""
    import io

    import docx

    from cvpress import word
    from cvpress.render import merged_style

    opened = docx.Document(io.BytesIO(word.write(outline.build(selection), merged_style(selection))))
    links = [rel.target_ref for rel in opened.part.rels.values() if rel.is_external]
    return "\n".join([p.text for p in opened.paragraphs] + links)


@pytest.mark.parametrize("form", ["markdown", "text", "html", "word"])
def test_every_marker_reaches_every_export(marked, form):
    path, placed = marked
    resume = content.load(path)
    for name in list(resume.variants) or ["full"]:
        if form == "word":
            shown = _word_text(variants.select(resume, name))
        else:
            shown = export.export(export.Options(content=path, format=form, variant=name, width=0))
        missing = [f"{where} = {marker!r}" for where, marker in placed.items()
                   if marker.lower() not in shown.lower()]  # the text export writes the name in capitals
        assert not missing, f"{form}/{name}: not in the export: {missing}"


def test_an_employer_span_and_a_single_role_are_decided_once(write_content):
    text = MINIMAL + '''
[[work]]
name = "Babbage & Sons"
location = "London"

[[work.positions]]
position = "Lead"
startDate = "1840"
endDate = "1841"

[[work.positions]]
position = "Apprentice"
location = "Remote"
startDate = "1835"
endDate = "1839"
'''
    doc = outline.build(variants.select(content.load(write_content(text)), "full"))
    [work] = [s for s in doc.sections if s.kind == "work"]
    single, several = work.entries
    assert (single.subtitle, single.subtitle_path, single.roles) == ("Programmer", "work[0].positions[0]", [])
    assert several.when.show() == "1835 - 1841" and several.location == "London"
    assert [(r.title, r.location) for r in several.roles] == [("Lead", ""), ("Apprentice", "Remote")]


def test_contacts_show_the_network_with_a_bare_url():
    basics = model.Basics.model_validate({"name": "A", "url": "https://www.example.com/",
                                          "profiles": [{"network": "GitHub", "url": "https://github.com/ada"}]})
    assert [(c.text, c.url) for c in outline.contacts(basics)] == [
        ("example.com", "https://www.example.com/"), ("GitHub: github.com/ada", "https://github.com/ada")]



def test_contacts_are_every_header_field_in_order_with_its_target_and_key_path():
    basics = model.Basics.model_validate({
        "name": "A", "email": "ada@example.com", "phone": "+44 20 7946 0000", "url": "http://www.ada.org/",
        "location": {"city": "London"},
        "profiles": [{"network": "GitHub", "username": "ada", "url": "https://github.com/ada"},
                     {"network": "Mastodon"}]})
    assert [(c.text, c.url, c.path) for c in outline.contacts(basics)] == [
        ("ada@example.com", "mailto:ada@example.com", "basics.email"),
        ("+44 20 7946 0000", "tel:+442079460000", "basics.phone"),
        ("ada.org", "http://www.ada.org/", "basics.url"),
        (str(basics.location), None, "basics.location"),
        ("GitHub: ada", "https://github.com/ada", "basics.profiles[0]"),
        ("Mastodon", None, "basics.profiles[1]"),
    ]
    assert "London" in str(basics.location)
    assert outline.contacts(model.Basics.model_validate({"name": "A"})) == []


@pytest.mark.parametrize(("url", "shown"), [
    ("https://www.example.com/", "example.com"), ("HTTP://Example.com/a/", "Example.com/a"),
    ("mailto:ada@example.com", "ada@example.com"), ("tel:+4420", "+4420"), ("example.com", "example.com"),
    ("https://example.com/XX/", "example.com/XX"),
])
def test_bare_drops_the_scheme_www_and_a_trailing_slash(url, shown):
    assert outline.bare(url) == shown


def test_meta_is_name_label_summary_and_skills_shown(write_content):
    text = MINIMAL.replace('email = "ada@example.com"', 'email = "ada@example.com"\nsummary = "Wrote **notes**."') + """
[[skills]]
name = "Mathematics"
keywords = ["Analysis", "Bernoulli numbers"]

[variants.analyst]
description = "internal-note"
label = "Analyst"

[variants.plain]
"""
    resume = content.load(write_content(text))
    meta = outline.build(variants.select(resume, "analyst")).meta
    assert (meta.title, meta.author, meta.subject) == ("Ada Lovelace – Analyst", "Ada Lovelace", "Wrote notes.")
    assert "Analysis" in meta.keywords and "internal-note" not in repr(meta)
    assert outline.build(variants.select(resume, "plain")).meta.title == "Ada Lovelace – Résumé"


def test_a_long_summary_is_cut_at_a_word_to_the_subject_limit(write_content):
    words = " ".join(f"word{i:03d}," for i in range(80))
    text = MINIMAL.replace('email = "ada@example.com"', f'email = "ada@example.com"\nsummary = "{words}"')
    subject = outline.build(variants.select(content.load(write_content(text)), "full")).meta.subject
    assert len(subject) <= outline.SUBJECT_LIMIT and subject.endswith("...") and not subject.endswith(",...")
    assert words.startswith(subject[:-3]) and words[len(subject) - 3] == ","
    assert subject[:-3].rsplit(" ", 1)[1].startswith("word")

@pytest.mark.tex
def test_metadata_holds_only_what_the_reader_sees(write_content, tmp_path):
    text = MINIMAL.replace('email = "ada@example.com"', 'email = "ada@example.com"\nsummary = "Wrote **notes**."') + '''
[[skills]]
name = "Mathematics"
keywords = ["Analysis", "Bernoulli numbers"]

[variants.secret]
description = "internal-note for the hiring round at Acme"
label = "Analyst"
'''
    path = write_content(text)
    [result] = build(Options(content=path, out=tmp_path / "out", variants=["secret"], cache=False))
    assert result.error is None, result.error.format()
    info = PdfReader(result.pdf).metadata
    assert (info.title, info.author, info.subject) == ("Ada Lovelace – Analyst", "Ada Lovelace", "Wrote notes.")
    assert info["/Keywords"] == "Analysis, Bernoulli numbers"
    html = export.export(export.Options(content=path, format="html", variant="secret"))
    assert "<title>Ada Lovelace – Analyst</title>" in html
    assert '<meta name="description" content="Wrote notes.">' in html
    for where in ("".join(str(v) for v in info.values()), html):
        assert "internal-note" not in where and "secret" not in where


# ---------------------------------------------------------------- languages and labels


def _outline_of(write_content, text: str, variant: str = "full") -> outline.Outline:
    return outline.build(variants.select(content.load(write_content(text)), variant))


ONGOING = MINIMAL.replace('endDate = "1843"', 'endDate = "present"').replace(
    'email = "ada@example.com"', 'email = "ada@example.com"\nsummary = "Mathematician."')


def test_a_variant_language_sets_titles_dates_and_lang(write_content):
    doc = _outline_of(write_content, ONGOING + '\n[variants.full]\nlanguage = "fr"\n')
    assert doc.language == "fr"
    assert [s.title for s in doc.sections][:2] == ["Profil", "Expérience professionnelle"]
    [entry] = doc.sections[1].entries
    assert entry.when.show() == "1842 - aujourd’hui"


def test_labels_override_the_language_top_level_then_per_variant(write_content):
    text = ('language = "de"\n[labels]\nwork = "Laufbahn"\npresent = "jetzt"\n' + ONGOING
            + '\n[variants.full]\n\n[variants.fr]\nlanguage = "fr"\nlabels = { work = "Parcours" }\n'
            + '\n[variants.fr-short]\nextends = "fr"\nlabels = { summary = "En bref" }\n')
    full = _outline_of(write_content, text)
    assert [s.title for s in full.sections][:2] == ["Profil", "Laufbahn"]
    assert (full.language, full.sections[1].title, full.sections[1].entries[0].when.last) == ("de", "Laufbahn", "jetzt")
    short = _outline_of(write_content, text, "fr-short")  # `extends` merges labels key by key
    assert [s.title for s in short.sections][:2] == ["En bref", "Parcours"]
    assert short.sections[1].entries[0].when.last == "jetzt"  # [labels] serves every language


def test_every_label_key_is_a_locale_label():
    assert set(model.Labels.model_fields) == set(outline.ENGLISH.labels)


FRENCH = MINIMAL.replace('"Wrote the first published program."',
                         '"**Note G** : le premier programme ; publié en 1843 ! « Poétique » ?"') + """
[[education]]
institution = "Université de Londres"
score = "Très bien"

[variants.full]
language = "fr"

[variants.en]
"""


def test_in_french_the_space_before_high_punctuation_and_inside_guillemets_never_breaks(write_content):
    doc = _outline_of(write_content, FRENCH)
    [highlight] = doc.sections[0].entries[0].highlights
    assert highlight.text == "**Note G**\u00a0: le premier programme\u00a0; publié en 1843\u00a0! «\u00a0Poétique\u00a0»\u00a0?"
    assert doc.sections[1].entries[0].notes[0].text == "Mention\u00a0: Très bien"
    english = _outline_of(write_content, FRENCH, "en")
    assert english.sections[0].entries[0].highlights[0].text.count("\u00a0") == 0
    assert english.sections[1].entries[0].notes[0].text == "Score: Très bien"


def test_french_spacing_keeps_the_markup_and_reaches_latex_as_ties():
    from cvpress import escape

    tex = escape.inline(outline.french("**Note G** : voir [le site](https://example.com) !"))
    assert tex == r"\textbf{Note G}~: voir \href{https://example.com}{le site}~!"
    assert outline.french("10:30, C++ et https://example.com?q=1") == "10:30, C++ et https://example.com?q=1"

# ---------------------------------------------------------------- which field goes to which line, exactly


def _shown(entry: outline.Entry) -> tuple:
    return (entry.path, entry.title, entry.url, entry.subtitle, entry.subtitle_path, entry.when.show(), entry.location,
            [(n.text, n.path) for n in entry.notes], [(h.text, h.path) for h in entry.highlights],
            [_shown(r) for r in entry.roles])


EVERY_SECTION = {
    "basics": {"name": "Ada", "label": "Engineer", "summary": "Writes."},
    "language": "fr",
    "work": [
        {"name": "Acme", "location": "Paris", "positions": [
            {"position": "Lead", "location": "Lyon", "startDate": "2019-03", "summary": "Led.", "highlights": ["h1"]}]},
        {"name": "Beta", "description": "Makes looms.", "positions": [
            {"position": "Chief", "startDate": "2018", "endDate": "present"},
            {"position": "Clerk", "startDate": "2015-02", "endDate": "2017"}]},
        {"name": "Gamma", "positions": [{"position": "A"}, {"position": "B"}]},
    ],
    "education": [{"institution": "Uni", "studyType": "MSc", "area": "Maths", "location": "Turin", "score": "1st",
                   "courses": ["Logic", "Sets"], "startDate": "2010", "endDate": "2012-06"},
                  {"institution": "School"}],
    "skills": [{"name": "Code", "keywords": ["Python", "C"], "level": "Expert"}, {"name": "Talk", "level": "Fluent"},
               {"name": "Plain"}],
    "projects": [{"name": "Engine", "description": "Computes.", "startDate": "2011-05", "highlights": ["p1"]},
                 {"name": "Bare"}],
    "awards": [{"title": "Medal", "awarder": "Society", "date": "2013-01", "summary": "For notes."}, {"title": "Prize"}],
    "publications": [{"name": "Notes", "publisher": "Journal", "releaseDate": "1843-09", "summary": "On engines."},
                     {"name": "Draft"}],
    "languages": [{"language": "French", "fluency": "Native"}, {"language": "Latin"}],
    "volunteer": [{"organization": "Club", "position": "Host", "location": "Nice", "startDate": "2014-04",
                   "endDate": "2015", "summary": "Hosted."}, {"organization": "Aid"}],
    "certificates": [{"name": "Cert", "issuer": "Board", "date": "2016-07"}, {"name": "Other"}],
    "interests": [{"name": "Sailing", "keywords": ["dinghy", "keelboat"]}],
    "references": [{"name": "Bob", "reference": "Reliable."}, {"name": "Eve"}],
    "sections": {"talks": {"layout": "lines", "entries": [
        {"title": "Talk", "subtitle": "Conf", "location": "Rome", "date": "2017-10", "summary": "Spoke."},
        {"title": "Series", "startDate": "2018-01", "endDate": "2019-02", "highlights": ["t1"]}]},
        "patents": {"title": "Brevets", "entries": [{"title": "Loom"}]}},
}


def test_every_section_puts_each_field_on_its_line_in_the_variant_s_language():
    doc = outline.build(variants.select(model.Resume.model_validate(EVERY_SECTION), "full"))
    assert (doc.language, doc.label, doc.sections[0].text) == (
        "fr", outline.Line("Engineer", "basics.label"), outline.Line("Writes.", "basics.summary"))
    assert [(s.kind, s.title, s.layout) for s in doc.sections] == [
        ("summary", "Profil", "text"), ("work", "Expérience professionnelle", "entries"),
        ("education", "Formation", "entries"), ("skills", "Compétences", "lines"), ("projects", "Projets", "entries"),
        ("volunteer", "Bénévolat", "entries"), ("awards", "Distinctions", "entries"),
        ("certificates", "Certifications", "entries"), ("publications", "Publications", "entries"),
        ("languages", "Langues", "inline"), ("interests", "Centres d’intérêt", "lines"),
        ("references", "Références", "entries"), ("talks", "Talks", "lines"), ("patents", "Brevets", "entries")]
    shown = {s.kind: [_shown(e) for e in s.entries] for s in doc.sections}
    assert shown["work"] == [
        ("work[0]", "Acme", None, "Lead", "work[0].positions[0]", "mars 2019", "Lyon, Paris",
         [("Led.", "work[0].positions[0].summary")], [("h1", "work[0].positions[0].highlights[0]")], []),
        ("work[1]", "Beta", None, "", "", "févr. 2015 - aujourd’hui", "", [("Makes looms.", "work[1].description")], [], [
            ("work[1].positions[0]", "Chief", None, "", "", "2018 - aujourd’hui", "", [], [], []),
            ("work[1].positions[1]", "Clerk", None, "", "", "févr. 2015 - 2017", "", [], [], [])]),
        ("work[2]", "Gamma", None, "", "", "", "", [], [], [
            ("work[2].positions[0]", "A", None, "", "", "", "", [], [], []),
            ("work[2].positions[1]", "B", None, "", "", "", "", [], [], [])]),
    ]
    assert outline.lines(doc.sections[1].entries[1]) == [outline.Line("Makes looms.", "work[1].description")]
    assert shown["education"] == [
        ("education[0]", "Uni", None, "MSc, Maths", "", "2010 - juin 2012", "Turin",
         [("Mention\u00a0: 1st; Logic, Sets", "education[0]")], [], []),
        ("education[1]", "School", None, "", "", "", "", [], [], [])]
    assert shown["skills"] == [
        ("skills[0]", "Code", None, "Python, C (Expert)", "", "", "", [], [], []),
        ("skills[1]", "Talk", None, "Fluent", "", "", "", [], [], []),
        ("skills[2]", "Plain", None, "", "", "", "", [], [], [])]
    assert shown["projects"] == [
        ("projects[0]", "Engine", None, "", "", "mai 2011", "", [("Computes.", "projects[0].description")],
         [("p1", "projects[0].highlights[0]")], []),
        ("projects[1]", "Bare", None, "", "", "", "", [], [], [])]
    assert shown["awards"] == [
        ("awards[0]", "Medal", None, "Society", "", "janv. 2013", "", [("For notes.", "awards[0].summary")], [], []),
        ("awards[1]", "Prize", None, "", "", "", "", [], [], [])]
    assert shown["publications"] == [
        ("publications[0]", "Notes", None, "Journal", "", "sept. 1843", "", [("On engines.", "publications[0].summary")],
         [], []),
        ("publications[1]", "Draft", None, "", "", "", "", [], [], [])]
    assert shown["languages"] == [("languages[0]", "French", None, "Native", "", "", "", [], [], []),
                                  ("languages[1]", "Latin", None, "", "", "", "", [], [], [])]
    assert shown["volunteer"] == [
        ("volunteer[0]", "Club", None, "Host", "", "avr. 2014 - 2015", "Nice", [("Hosted.", "volunteer[0].summary")], [], []),
        ("volunteer[1]", "Aid", None, "", "", "", "", [], [], [])]
    assert shown["certificates"] == [("certificates[0]", "Cert", None, "Board", "", "juil. 2016", "", [], [], []),
                                     ("certificates[1]", "Other", None, "", "", "", "", [], [], [])]
    assert shown["interests"] == [("interests[0]", "Sailing", None, "dinghy, keelboat", "", "", "", [], [], [])]
    assert shown["references"] == [("references[0]", "Bob", None, "", "", "", "", [("Reliable.", "references[0].reference")],
                                    [], []),
                                   ("references[1]", "Eve", None, "", "", "", "", [], [], [])]
    assert shown["talks"] == [
        ("sections.talks.entries[0]", "Talk", None, "Conf", "", "oct. 2017", "Rome",
         [("Spoke.", "sections.talks.entries[0].summary")], [], []),
        ("sections.talks.entries[1]", "Series", None, "", "", "janv. 2018 - févr. 2019", "", [],
         [("t1", "sections.talks.entries[1].highlights[0]")], [])]


def test_a_variant_s_label_and_summary_are_located_in_the_variant():
    data = {**EVERY_SECTION, "variants": {"v": {"label": "Lead", "summary": "Leads."}}}
    doc = outline.build(variants.select(model.Resume.model_validate(data), "v"))
    assert (doc.label, doc.sections[0].text) == (outline.Line("Lead", "variants.v.label"),
                                                 outline.Line("Leads.", "variants.v.summary"))


def test_without_a_label_or_summary_the_header_has_none_and_later_sections_still_show():
    data = {"basics": {"name": "Ada"}, "work": EVERY_SECTION["work"][:1],
            "variants": {"v": {"sections": ["summary", "work"]}}}
    doc = outline.build(variants.select(model.Resume.model_validate(data), "v"))
    assert doc.label is None and [s.kind for s in doc.sections] == ["work"]
    assert (doc.meta.title, doc.meta.subject, doc.meta.keywords) == ("Ada – Résumé", "", "")


def test_a_role_skipped_after_selection_leaves_the_others():
    selection = variants.select(model.Resume.model_validate(EVERY_SECTION), "full")
    doc = outline.build(selection, frozenset({"work[1].positions[0]"}))
    [_, beta, _] = [_shown(e) for e in doc.sections[1].entries]
    assert beta[:7] == ("work[1]", "Beta", None, "Clerk", "work[1].positions[1]", "févr. 2015 - 2017", "")


def test_a_span_of_no_dates_is_empty_and_a_single_date_shows_alone():
    assert outline.span([]) == outline.When() and outline.span([]).locale is outline.ENGLISH
    french = locales.get("fr")
    assert outline.span([outline.When(model.PartialDate(2016, 3), locale=french)]).show() == "mars 2016"
    assert outline.When(start=model.PartialDate(2016)).show() == "2016"
    assert outline.When(end=model.PartialDate(2016)).show() == "2016"


def test_a_location_with_only_a_street_address_is_no_contact():
    assert outline.contacts(model.Basics.model_validate({"name": "A", "location": {"address": "1 Rue"}})) == []


def test_keywords_are_every_skill_shown_and_a_summary_of_exactly_the_limit_is_kept_whole():
    data = {**EVERY_SECTION, "basics": {**EVERY_SECTION["basics"], "summary": "x" * outline.SUBJECT_LIMIT}}
    meta = outline.build(variants.select(model.Resume.model_validate(data), "full")).meta
    assert meta.keywords == "Python, C" and meta.subject == "x" * outline.SUBJECT_LIMIT


@pytest.mark.parametrize(("words", "subject"), [
    # 49 words of 4 letters: 244 characters; the cut at 252 (255 less "...") falls in "tail", then just
    # after the space behind "abcdef" (a cut one character earlier would drop abcdef too)
    (["word"] * 49 + ["abcX,", "tail", "more", "words"], " ".join(["word"] * 49) + " abcX..."),
    (["word"] * 49 + ["abcdef", "tail", "more", "words"], " ".join(["word"] * 49) + " abcdef..."),
])
def test_a_long_summary_is_cut_after_the_last_whole_word_that_fits(words, subject):
    data = {**EVERY_SECTION, "basics": {**EVERY_SECTION["basics"], "summary": " ".join(words)}}
    assert outline.build(variants.select(model.Resume.model_validate(data), "full")).meta.subject == subject
