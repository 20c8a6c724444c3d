"""The Word writer: one variant's outline as an ATS-safe .docx (python-docx).

It walks the same outline as the PDF and the text exports: the same sections, entries, dates,
locations, notes and highlights, in the same order. The document is one column of real Word
styles (Title, Subtitle, Heading 1/2/3, List Bullet, Normal): no tables, text boxes or columns
for layout, so a recruiter can edit it and an applicant-tracking system reads it top to bottom.
Links are real hyperlinks. The theme's font (its nearest common Office font), size, accent and
margins carry over; the document properties hold public fields only.

The same outline gives the same bytes: the zip is rewritten with fixed timestamps and a fixed
member order, and every date in the document properties comes from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import io
from pathlib import Path
import zipfile
from datetime import datetime, timezone

# The nearest font that Word and LibreOffice have everywhere, for each body font of model.FONTS.
OFFICE_FONTS = {
    "pagella": "Palatino Linotype",
    "termes": "Times New Roman",
    "bonum": "Bookman Old Style",
    "schola": "Century Schoolbook",
    "heros": "Arial",
    "adventor": "Century Gothic",
    "lmodern": "Cambria",
}
_PAPER_MM = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: nothing of the machine's clock


def write(doc, style, epoch: int = 0) -> bytes:
    """The .docx bytes of an outline `doc` (outline.Outline) in `style` (model.Style)."""
    import docx
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    accent = RGBColor.from_string(style.accent.upper())
    _styles(document, OFFICE_FONTS[style.font], Pt(style.font_size), accent)
    _language(document.styles["Normal"], doc.language)
    width, height = _PAPER_MM[style.paper]
    margin = Mm(_millimetres(style.margin))
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin

    document.add_paragraph(doc.name, style="Title")
    if doc.label:
        _inline(document.add_paragraph(style="Subtitle"), doc.label.text)
    if doc.contacts:
        line = document.add_paragraph()
        for n, contact in enumerate(doc.contacts):
            if n:
                line.add_run(" | ")
            _link(line, contact.text, contact.url) if contact.url else line.add_run(contact.text)
    for section in doc.sections:
        document.add_paragraph(section.title, style="Heading 1")
        if section.text:
            _inline(document.add_paragraph(), section.text.text)
        for block in section.entries:
            _block(document, section.layout, block)
    _properties(document, doc, epoch)
    return _reproducible(document)


def _block(document, layout: str, block) -> None:
    if layout != "entries":  # one line: "Group: a, b, c"
        line = document.add_paragraph()
        line.add_run(f"{block.title}:" if block.subtitle else block.title).bold = True
        if block.subtitle:
            line.add_run(" " + block.subtitle)
        return
    heading = document.add_paragraph(style="Heading 2")
    _link(heading, block.title, block.url) if block.url else heading.add_run(block.title)
    _meta(document, block.subtitle, block.when, block.location)
    _body(document, block.notes, block.highlights)
    for role in block.roles:
        document.add_paragraph(role.title, style="Heading 3")
        _meta(document, "", role.when, role.location)
        _body(document, role.notes, role.highlights)


def _meta(document, subtitle: str, when, location: str) -> None:
    """One line under an entry's heading: subtitle (italic), dates, location."""
    parts = [p for p in (when.show(" - ") if when else "", location) if p]
    if not subtitle and not parts:
        return
    line = document.add_paragraph()
    if subtitle:
        line.add_run(subtitle).italic = True
    if parts:
        line.add_run((" | " if subtitle else "") + " | ".join(parts))


def _body(document, notes: list, highlights: list) -> None:
    for note in notes:
        _inline(document.add_paragraph(), note.text)
    for highlight in highlights:
        _inline(document.add_paragraph(style="List Bullet"), highlight.text)


def _inline(paragraph, value: str, bold: bool = False, italic: bool = False) -> None:
    """Marked-up text as runs: **bold**, *italic* and [label](url) as a real hyperlink."""
    from cvpress.export import spans

    for kind, *parts in spans(value):
        if kind == "text":
            run = paragraph.add_run(" ".join(parts[0].split()) if parts[0].strip() else parts[0])
            run.bold, run.italic = bold or None, italic or None
        elif kind == "bold":
            _inline(paragraph, parts[0], True, italic)
        elif kind == "italic":
            _inline(paragraph, parts[0], bold, True)
        else:
            from cvpress.export import plain

            _link(paragraph, plain(parts[0]), parts[1], bold, italic)


def _link(paragraph, text: str, url: str, bold: bool = False, italic: bool = False) -> None:
    """A real hyperlink (w:hyperlink with an external relationship), in the Hyperlink style."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = paragraph.add_run(text, style="Hyperlink")
    run.bold, run.italic = bold or None, italic or None
    link.append(run._r)  # moved from the paragraph into the hyperlink
    paragraph._p.append(link)


def _styles(document, font: str, size, accent) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = font, size
    _east_asian(normal, font)
    normal.paragraph_format.space_after = Pt(1)
    normal.paragraph_format.line_spacing = 1.0  # the default template's 1.15 runs a page longer than the PDF
    for name, scale, bold in (("Title", 2.0, True), ("Subtitle", 1.15, False), ("Heading 1", 1.25, True),
                              ("Heading 2", 1.05, True), ("Heading 3", 1.0, False)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = font, Pt(size.pt * scale), bold
        style.font.italic = name == "Heading 3" or None
        style.font.color.rgb = accent if name in ("Title", "Heading 1") else RGBColor(0x1A, 0x1A, 0x1A)
        _east_asian(style, font)
        style.paragraph_format.space_before = Pt({"Heading 1": 8, "Heading 2": 4, "Heading 3": 1}.get(name, 0))
        style.paragraph_format.space_after = Pt(1)
        _no_letter_spacing(style)
    for border in styles["Title"].element.get_or_add_pPr().iter(qn("w:bottom")):  # the rule under the name
        border.set(qn("w:color"), str(accent))
        border.attrib.pop(qn("w:themeColor"), None)
        style.paragraph_format.keep_with_next = name.startswith("Heading")
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb, link.font.underline = accent, True
    styles["List Bullet"].paragraph_format.space_after = Pt(0)


def _no_letter_spacing(style) -> None:
    """The default Subtitle and Title spread their letters (w:spacing): whole words read better."""
    from docx.oxml.ns import qn

    for spread in style.element.get_or_add_rPr().findall(qn("w:spacing")):
        spread.getparent().remove(spread)


def _east_asian(style, font: str) -> None:
    """The font in every script slot, and no theme font over it (the default headings name the
    theme's "major" font, which would win): python-docx's font.name sets only two slots."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), font)
        fonts.attrib.pop(qn(f"w:{slot}Theme" if slot != "cs" else "w:cstheme"), None)


def _language(style, language: str) -> None:
    """The text's language (spelling, hyphenation, screen readers): w:lang of the base style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    for slot in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(slot), language)
    rpr.append(lang)


def _properties(document, doc, epoch: int) -> None:
    """Public fields only (the outline's Meta, as the PDF's); dates from SOURCE_DATE_EPOCH."""
    when = datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)
    props = document.core_properties
    props.title, props.subject, props.keywords = doc.meta.title, doc.meta.subject, doc.meta.keywords
    props.author = props.last_modified_by = doc.meta.author
    props.comments = props.category = props.content_status = props.identifier = ""
    props.language = doc.language
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1


def _reproducible(document) -> bytes:
    """The saved document with fixed zip timestamps and attributes: equal input, equal bytes."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # python-docx's order: [Content_Types].xml first
            member = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            member.compress_type, member.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def _millimetres(length: str) -> float:
    from cvpress.fit import inches

    return inches(length) * 25.4


def pages(docx: Path, timeout: float = 120) -> int | None:
    """The document's page count as LibreOffice lays it out; None when LibreOffice is not installed
    (or fails: a count is information, never a reason to fail a build)."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory(prefix="cvpress-office-") as work:
        try:  # a profile of its own: LibreOffice runs one instance per profile
            subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to",
                            "pdf", "--outdir", work, str(docx)], capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL, check=True, start_new_session=True)
            from pypdf import PdfReader

            return len(PdfReader(Path(work) / f"{docx.stem}.pdf").pages)
        except (OSError, subprocess.SubprocessError, ValueError):
            return None
