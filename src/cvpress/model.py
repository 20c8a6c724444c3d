"""The content model: what content.toml may hold. Unknown keys are errors.

Field names follow JSON Resume (https://jsonresume.org/schema) where it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from cvpress import is_theme_folder

PRESENT_WORDS = ("present",)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls, DEL
_SEPARATORS = {"\u2028": "line separator", "\u2029": "paragraph separator"}
_SEPARATOR = re.compile("[\u2028\u2029]")
_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_LIGATURE = re.compile("[\ufb00-\ufb06]")  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ: pasted from PDFs, unreadable to ATS


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date given as YYYY, YYYY-MM or YYYY-MM-DD; `present` for an ongoing end date."""

    year: int
    month: int = 0
    day: int = 0
    present: bool = False

    def __str__(self) -> str:
        if self.present:
            return "Present"
        if self.month:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (9999, 12, 31) if self.present else (self.year, self.month, self.day)


def parse_date(value: Any) -> PartialDate:
    """Accept YYYY, YYYY-MM, YYYY-MM-DD (string, integer year or TOML date) or "present"."""
    if isinstance(value, PartialDate):
        return value
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return PartialDate(value)
    if not isinstance(value, str):
        raise ValueError("expected a date as text: YYYY, YYYY-MM, YYYY-MM-DD or \"present\"")
    text = value.strip()
    if text.lower() in PRESENT_WORDS:
        return PartialDate(9999, present=True)
    match = _DATE.match(text)
    if not match:
        raise ValueError("expected a date: YYYY, YYYY-MM, YYYY-MM-DD or \"present\"")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(f"month {month:02d} does not exist (expected 01 to 12)")
    if match.group(3):
        import calendar

        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"day {day:02d} does not exist in {year}-{month:02d}")
    return PartialDate(year, month, day)


# What an editor's JSON Schema accepts for a date (the validator above is the authority). Editors
# hand a TOML date (2016-05-01, unquoted) to the schema as the string "2016-05-01": the pattern covers it.
_DATE_INPUT = (Annotated[str, Field(pattern=r"^\s*(\d{4}(-\d{2}(-\d{2})?)?|[Pp][Rr][Ee][Ss][Ee][Nn][Tt])\s*$")]
               | Annotated[int, Field(ge=1000, le=9999)])
Date = Annotated[PartialDate, BeforeValidator(parse_date, json_schema_input_type=_DATE_INPUT)]


MAX_TEXT = 20_000  # characters in one text field: a page holds about 5,000


def _clean_text(value: Any) -> Any:
    """Refuse what no output can show as typed: control and separator characters, pasted ligatures,
    U+FFFD and the characters no TeX engine can set (engines.unsupported): `check` says so, with the
    code point, before `build` would fail on them."""
    if not isinstance(value, str):
        return value
    if len(value) > MAX_TEXT:  # TeX reads a line of at most 200,000 characters; no résumé needs this
        raise ValueError(f"is {len(value):,} characters long; a text field holds at most {MAX_TEXT:,} "
                         "(split it into several highlights or paragraphs)")
    if bad := _CONTROL.search(value):
        raise ValueError(f"contains the control character U+{ord(bad.group()):04X}; remove it")
    if value.isascii():
        return value
    if lig := _LIGATURE.search(value):
        import unicodedata

        letters = unicodedata.normalize("NFKC", lig.group())
        raise ValueError(f"contains the ligature character {lig.group()!r} (U+{ord(lig.group()):04X}), "
                         f"which applicant-tracking systems cannot read; type the letters {letters!r}")
    if bad := _SEPARATOR.search(value):
        raise ValueError(f"contains the invisible {_SEPARATORS[bad.group()]} U+{ord(bad.group()):04X}; "
                         "use a space, or a new line in a multi-line string")
    if "\ufffd" in value:
        raise ValueError("contains U+FFFD, the replacement character: something was lost when this text was "
                         "copied or converted; type the original character again")
    from cvpress import engines

    for char, why in engines.unsupported_in(value).items():
        raise ValueError(f"contains {engines.describe(char)}, which cannot be typeset: {why}")
    return value


# What an editor's schema accepts for text: a string, or a table of translations (translate.py picks
# one per variant before validation, so the model itself only ever holds strings).
def _translations(value: dict) -> Any:
    return Annotated[dict[str, str], WithJsonSchema({
        "type": "object", "minProperties": 1, "additionalProperties": False,
        "patternProperties": {r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": value},  # translate._TAG
        "description": 'Translations: a language tag and its text, e.g. { en = "…", fr = "…" }.'})]


_TRANSLATIONS = _translations({"type": "string"})
Text = Annotated[str, BeforeValidator(_clean_text, json_schema_input_type=str | _TRANSLATIONS)]


def _url(value: Any) -> Any:
    value = _clean_text(value)
    if isinstance(value, str) and not re.match(r"^(https?://|mailto:|tel:)\S", value, re.I):
        raise ValueError("expected a web address starting with https://, http://, mailto: or tel:")
    return value


_URL_PATTERN = r"^([Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:|[Tt][Ee][Ll]:)\S"
_URL_INPUT = Annotated[str, Field(pattern=_URL_PATTERN)]
Url = Annotated[str, BeforeValidator(_url, json_schema_input_type=_URL_INPUT | _translations({"type": "string", "pattern": _URL_PATTERN}))]


def _tags(value: Any) -> Any:
    if isinstance(value, list):
        for tag in value:
            if isinstance(tag, str) and not _TAG.match(tag):
                raise ValueError(f"tag {tag!r} must be letters, digits, '-' or '_'")
    return value


Tags = Annotated[list[str], BeforeValidator(_tags, json_schema_input_type=list[Annotated[str, Field(pattern=_TAG.pattern)]])]


class Model(BaseModel):
    # defer_build: a validator is built when first used (a build validates Resume alone: 0.03 s less)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)  # "yes" is not true, "3" not 3


def _shape(value: Any) -> str:
    return "[table]" if isinstance(value, (dict, BaseModel)) else "[value]"


def table_or(table: type, other: Any) -> Any:
    """`table | other`, validated by the input's shape only: a typo inside the table is reported
    once, as a typo, not also as "expected <other>". (The "[…]" tags never show in key paths.)"""
    return Annotated[Annotated[table, Tag("[table]")] | Annotated[other, Tag("[value]")], Discriminator(_shape)]


class Tagged(Model):
    tags: Tags = Field(default_factory=list, description="Labels that variants select or drop by.")


class Profile(Model):
    network: Text = Field(description="e.g. GitHub, LinkedIn")
    username: Text | None = Field(None, description="Handle shown in the header.")
    url: Url | None = Field(None, description="Link to the profile.")


class Location(Model):
    address: Text | None = Field(None, description="Street address (not shown in the header).")
    city: Text | None = Field(None, description="City, shown in the header.")
    region: Text | None = Field(None, description="State or region, shown after the city.")
    postalCode: Text | None = Field(None, description="Postal code (not shown in the header).")
    countryCode: Text | None = Field(None, description="Country, e.g. US (ISO 3166-1), shown last.")

    def __str__(self) -> str:
        return ", ".join(p for p in (self.city, self.region, self.countryCode) if p)


class Basics(Model):
    name: Text = Field(description="Your name, as on the top of every page.")
    label: Text | None = Field(None, description="One line under the name, e.g. a title.")
    email: Text | None = Field(None, description="Shown and linked as mailto:.")
    phone: Text | None = Field(None, description="Shown and linked as tel:.")
    url: Url | None = Field(None, description="Personal website.")
    location: table_or(Location, Text) | None = Field(None, description="City, region: text or a table.")
    summary: Text | None = Field(None, description="A short paragraph under the header.")
    profiles: list[Profile] = Field(default_factory=list, description="Online profiles, shown in the header.")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[^@\s]+@[^@\s]+$", value):
            raise ValueError("expected an e-mail address like name@example.com")
        return value


def _highlight(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Highlight(Tagged):
    """A bullet: plain text, or a table with tags, a priority and `keep`."""

    text: Text = Field(description="The bullet text. Inline **bold**, *italic*, [text](url).")
    priority: int = Field(3, ge=1, le=9, description="1 = strongest; variants can keep only the strongest.")
    keep: bool = Field(False, description="Never dropped when a variant is fitted to its page budget.")


HighlightItem = Annotated[Highlight, BeforeValidator(_highlight, json_schema_input_type=str | Highlight)]


class Dated(Tagged):
    startDate: Date | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    endDate: Date | None = Field(None, description='YYYY, YYYY-MM, YYYY-MM-DD or "present".')

    @model_validator(mode="after")
    def _order(self) -> Dated:
        if self.startDate and self.endDate and self.endDate.sort_key < self.startDate.sort_key:
            raise ValueError(f"endDate {self.endDate} is before startDate {self.startDate}")
        if self.startDate and self.startDate.present:
            raise ValueError('startDate cannot be "present"')
        return self


class Position(Dated):
    position: Text = Field(description="Job title.")
    location: Text | None = Field(None, description="Where this role was, shown beside it (with the employer's location if both are set).")
    summary: Text | None = Field(None, description="A paragraph above the highlights.")
    highlights: list[HighlightItem] = Field(default_factory=list, description="Bullets: text, or tables with tags/priority/keep.")


class Work(Tagged):
    name: Text = Field(description="Employer.")
    location: Text | None = Field(None, description="Where the employer is: beside its only role, or after its name.")
    url: Url | None = Field(None, description="Employer's website; links the name.")
    description: Text | None = Field(None, description="What the employer does, one line under its heading.")
    positions: list[Position] = Field(min_length=1, description="One or more roles at this employer.")


class Education(Dated):
    institution: Text = Field(description="School or university.")
    area: Text | None = Field(None, description="Field of study, e.g. Computer Science.")
    studyType: Text | None = Field(None, description="Degree, e.g. M.S.")
    location: Text | None = Field(None, description="City of the institution.")
    score: Text | None = Field(None, description="Grade, e.g. GPA 3.9/4.0.")
    url: Url | None = Field(None, description="Institution's website; links the name.")
    courses: list[Text] = Field(default_factory=list, description="Notable courses, shown as one line.")


class Skill(Tagged):
    name: Text = Field(description="Group name, e.g. Languages.")
    level: Text | None = Field(None, description="e.g. Expert; shown after the keywords.")
    keywords: list[Text] = Field(default_factory=list, description="The skills of this group.")


class Project(Dated):
    name: Text = Field(description="Project name.")
    description: Text | None = Field(None, description="One paragraph about the project.")
    url: Url | None = Field(None, description="Project's website; links the name.")
    highlights: list[HighlightItem] = Field(default_factory=list, description="Bullets: text, or tables with tags/priority/keep.")


class Award(Tagged):
    title: Text = Field(description="Name of the award.")
    date: Date | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    awarder: Text | None = Field(None, description="Who gave it.")
    summary: Text | None = Field(None, description="One paragraph about it.")


class Publication(Tagged):
    name: Text = Field(description="Title of the publication.")
    publisher: Text | None = Field(None, description="Journal, conference or publisher.")
    releaseDate: Date | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    url: Url | None = Field(None, description="Where to read it; links the title.")
    summary: Text | None = Field(None, description="One paragraph about it.")


class Language(Tagged):
    language: Text = Field(description="e.g. English.")
    fluency: Text | None = Field(None, description="e.g. Native speaker.")


class Volunteer(Dated):
    organization: Text = Field(description="Where you volunteered.")
    position: Text | None = Field(None, description="Your role there.")
    location: Text | None = Field(None, description="Where it was.")
    url: Url | None = Field(None, description="The organization's website; links its name.")
    summary: Text | None = Field(None, description="A paragraph above the highlights.")
    highlights: list[HighlightItem] = Field(default_factory=list, description="Bullets: text, or tables with tags/priority/keep.")


class Certificate(Tagged):
    name: Text = Field(description="e.g. AWS Certified Solutions Architect.")
    date: Date | None = Field(None, description="When it was awarded: YYYY, YYYY-MM or YYYY-MM-DD.")
    issuer: Text | None = Field(None, description="Who issued it.")
    url: Url | None = Field(None, description="Where to verify it; links the name.")


class Interest(Tagged):
    name: Text = Field(description="e.g. Sailing.")
    keywords: list[Text] = Field(default_factory=list, description="Details, shown after the name.")


class Reference(Tagged):
    name: Text = Field(description="Who gives the reference (and their role).")
    reference: Text | None = Field(None, description="What they say, or how to reach them.")


class CustomEntry(Dated):
    """An entry of a section of your own: a talk, a certification, a patent, a course, …"""

    title: Text = Field(description="The entry's heading, e.g. a talk's title.")
    subtitle: Text | None = Field(None, description="The line under it, e.g. the conference.")
    date: Date | None = Field(None, description="One date (YYYY, YYYY-MM or YYYY-MM-DD); or startDate and endDate for a range.")
    location: Text | None = Field(None, description="Where it was.")
    url: Url | None = Field(None, description="Links the title.")
    summary: Text | None = Field(None, description="A paragraph above the highlights.")
    highlights: list[HighlightItem] = Field(default_factory=list, description="Bullets: text, or tables with tags/priority/keep.")
    priority: int = Field(3, ge=1, le=9, description="1 = strongest: max_priority and page fitting (fit.drop_entries) drop the weakest first.")
    keep: bool = Field(False, description="Never dropped when a variant is fitted to its page budget.")

    @model_validator(mode="after")
    def _one_date(self) -> CustomEntry:
        if self.date and (self.startDate or self.endDate):
            raise ValueError("give either `date` or `startDate`/`endDate`, not both")
        if self.date and self.date.present:
            raise ValueError('date cannot be "present" (an ongoing entry: startDate, and endDate = "present")')
        return self


LAYOUT_NAMES = ("entries", "lines", "inline")


class CustomSection(Model):
    """A titled list of entries of your own, e.g. [sections.talks]; variants list it by its name."""

    title: Text | None = Field(None, description="The section's title (default: its name, capitalised).")
    layout: Literal["entries", "lines", "inline"] = Field("entries", description="entries: a heading, a subtitle line, "
                                                         "notes and bullets each; lines: one \"title: subtitle\" line each; "
                                                         "inline: all in one paragraph.")
    entries: list[CustomEntry] = Field(default_factory=list, description="The entries, in the order shown.")

    def heading(self, name: str) -> str:
        return self.title or name.replace("_", " ").replace("-", " ").capitalize()


# Body fonts cvpress knows (all in Debian's tex-gyre / lmodern packages): name -> (package, sans-serif?)
FONTS = {
    "pagella": ("tgpagella", False),
    "termes": ("tgtermes", False),
    "bonum": ("tgbonum", False),
    "schola": ("tgschola", False),
    "heros": ("tgheros", True),
    "adventor": ("tgadventor", True),
    "lmodern": ("lmodern", False),
}
# The same fonts as OpenType, for LuaLaTeX (Debian's fonts-texgyre / fonts-lmodern): name -> file stem;
# the files are STEM-regular.otf, STEM-bold.otf, STEM-italic.otf and STEM-bolditalic.otf.
OPENTYPE_FONTS = {
    "pagella": "texgyrepagella",
    "termes": "texgyretermes",
    "bonum": "texgyrebonum",
    "schola": "texgyreschola",
    "heros": "texgyreheros",
    "adventor": "texgyreadventor",
    "lmodern": "lmroman10",
}


# Shipped themes, the folders of latex/themes/ (a test keeps the two in step). A theme may also be a
# folder of one's own: a value with a "/" or starting with ".", relative to the content file.
THEMES = ("classic", "modern")


def _theme(value: Any) -> Any:
    if isinstance(value, str) and not is_theme_folder(value) and value not in THEMES:
        import difflib

        close = difflib.get_close_matches(value, THEMES, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"expected a theme, {' or '.join(map(repr, THEMES))}, or a folder such as ./my-theme{hint}")
    return value


_THEME_INPUT = Literal[THEMES] | Annotated[str, Field(pattern=r"^\.|/")]
Theme = Annotated[str, BeforeValidator(_theme, json_schema_input_type=_THEME_INPUT)]


# Page margins cvpress accepts, in inches: narrower prints text into the printer's dead zone, wider
# leaves a column too narrow for a line of a résumé.
MARGIN_RANGE_IN = (0.25, 2.0)
LENGTH_UNITS_IN = {"in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72.27}
_LENGTH = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(in|cm|mm|pt)$", re.I)  # [0-9]: \d would take Arabic-Indic digits


def _margin(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    match = _LENGTH.match(value.strip())
    if not match:
        raise ValueError("expected a length: a number and a unit, in, cm, mm or pt, such as 0.75in or 18mm")
    inches = float(match[1]) * LENGTH_UNITS_IN[match[2].lower()]
    low, high = MARGIN_RANGE_IN
    if not low - 1e-9 <= inches <= high + 1e-9:
        raise ValueError(f"expected a margin from {low:g}in (6.35mm) to {high:g}in (50.8mm)")
    return match[1] + match[2].lower()


Margin = Annotated[str, BeforeValidator(_margin, json_schema_input_type=Annotated[
    str, Field(pattern=r"^\s*[0-9]+(\.[0-9]+)?([Ii][Nn]|[Cc][Mm]|[Mm][Mm]|[Pp][Tt])\s*$")])]


def _accent(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if not re.match(r"^#?[0-9A-Fa-f]{6}$", value.strip()):
        raise ValueError("expected a colour as six hexadecimal digits, RRGGBB or #RRGGBB, such as 1F3A5F")
    return value.strip().removeprefix("#")


Accent = Annotated[str, BeforeValidator(_accent, json_schema_input_type=Annotated[str, Field(pattern=r"^\s*#?[0-9A-Fa-f]{6}\s*$")])]


def _paper(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Paper = Annotated[Literal["letter", "a4"], BeforeValidator(_paper, json_schema_input_type=Annotated[
    str, Field(pattern=r"^\s*([Ll][Ee][Tt][Tt][Ee][Rr]|[Aa]4)\s*$")])]


class Style(Model):
    """Design tokens. Set in [style]; a variant's [variants.NAME.style] overrides single keys."""

    theme: Theme = Field("classic", description="Theme: classic, modern, or a folder of your own (./my-theme, relative to the content file; files it lacks come from classic).")
    font: Literal["pagella", "termes", "bonum", "schola", "heros", "adventor", "lmodern"] = Field(
        "pagella", description="Body font."
    )
    font_size: Literal[10, 11, 12] = Field(11, description="Body size in points.")
    paper: Paper = Field("letter", description="Paper size: letter or a4.")
    margin: Margin = Field("0.75in", description="Page margins, 0.25in to 2in, e.g. 0.75in or 18mm.")
    accent: Accent = Field("1F3A5F", description="Accent colour as RRGGBB or #RRGGBB hex.")
    spacing: float = Field(1.0, ge=0.3, le=2.0, description="Scale of the vertical space between parts.")


class Fit(Model):
    """How far a variant may be tightened to meet max_pages, in this order: spacing, margins, font size,
    then dropping the weakest highlights."""

    min_spacing: float = Field(0.6, ge=0.3, le=2.0, description="Tightest vertical spacing scale.")
    min_margin: Margin = Field("0.5in", description="Narrowest page margin, 0.25in to 2in.")
    min_font_size: Literal[10, 11, 12] = Field(10, description="Smallest body size in points.")
    drop_highlights: bool = Field(True, description="Drop the weakest highlights (never `keep = true` ones).")
    drop_entries: bool = Field(False, description="After highlights, drop whole roles (oldest first); an employer goes with its last role.")
    orphan_lines: int = Field(4, ge=0, description="A last page with fewer lines than this counts as overflow.")


# The built-in sections in their default order; a variant's `sections` may also name a section of
# the content's own [sections] (Resume.entries_of).
SECTIONS = ("summary", "work", "education", "skills", "projects", "volunteer", "awards", "certificates",
            "publications", "languages", "interests", "references")
SECTION_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
SectionName = Annotated[str, Field(pattern=SECTION_NAME.pattern)]


# Languages (locales.py): the language a variant is typeset in, and labels the content overrides.
def _language(value: Any) -> Any:
    if isinstance(value, str):
        from cvpress import locales

        try:
            locales.get(value)
        except KeyError:
            import difflib

            close = difflib.get_close_matches(value.split("-")[0].lower(), locales.known(), n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown language {value!r}: expected one of {', '.join(locales.known())}, "
                             f"or one with a region such as fr-CA{hint}") from None
    return value


LanguageCode = Annotated[str, BeforeValidator(_language, json_schema_input_type=Annotated[
    str, Field(pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{2,8})*$")])]


def _labels_model() -> type:
    from pydantic import create_model

    from cvpress import locales

    keys = {key: f"Title of the {key} section." for key in locales.SECTION_KEYS}
    keys |= {"present": 'The end date of an ongoing role, "Present".', "score": 'Before an education\'s score, "Score".'}
    return create_model("Labels", __base__=Model, __doc__="Words the language's own labels are replaced by.",
                        **{key: (Text | None, Field(None, description=text)) for key, text in keys.items()})


Labels = _labels_model()


class Variant(Model):
    """A recipe over the content: what to show, in which order, within how many pages."""

    description: Text = Field("", description="One line, shown by `cvpress variants`.")
    extends: str | None = Field(None, description="Start from another variant's settings.")
    language: LanguageCode | None = Field(None, description="Language of this variant's titles and dates, e.g. fr (default: the top-level language).")
    labels: Labels | None = Field(None, description="Titles and words that differ in this variant, over [labels].")
    max_pages: int | None = Field(None, ge=1, description="Page budget; the build fails above it.")
    sections: list[SectionName] | None = Field(None, description="Sections to show, in order: built-in ones (work, education, …) and the names of your own [sections].")
    include_tags: Tags = Field(default_factory=list, description="Keep only highlights with one of these tags.")
    exclude_tags: Tags = Field(default_factory=list, description="Drop anything carrying one of these tags.")
    promote_tags: Tags = Field(default_factory=list, description="Highlights with these tags come first.")
    max_priority: int | None = Field(None, ge=1, le=9, description="Keep highlights with priority <= this.")
    max_highlights: int | None = Field(None, ge=0, description="At most this many highlights per position.")
    label: Text | None = Field(None, description="Replaces basics.label in this variant.")
    summary: Text | None = Field(None, description="Replaces basics.summary in this variant.")
    style: Style | None = Field(None, description="Design tokens that differ in this variant.")
    fit: table_or(Fit, bool) = Field(True, description="Fit to max_pages automatically (false: fail instead).")
    match_terms: list[Text] = Field(default_factory=list, description="A job posting's terms (`cvpress tailor` "
                                    "writes them): the highlights that say them come in and come first.")

    @field_validator("sections")
    @classmethod
    def _sections(cls, sections: list[str] | None) -> list[str] | None:
        twice = [s for n, s in enumerate(sections or []) if s in sections[:n]]
        if twice:
            raise ValueError(f"section {twice[0]!r} is listed twice; each section can be shown once")
        return sections


class Resume(Model):
    # The same résumé in each language its translation tables name (content.load; translate.localized)
    _translations: dict = PrivateAttr(default_factory=dict)
    _content: dict | None = PrivateAttr(None)  # the content as read, tables and all

    basics: Basics = Field(description="Name, contact details and summary.")
    work: list[Work] = Field(default_factory=list, description="Employers, each with one or more positions.")
    education: list[Education] = Field(default_factory=list, description="Degrees and schools.")
    skills: list[Skill] = Field(default_factory=list, description="Skill groups.")
    projects: list[Project] = Field(default_factory=list, description="Projects.")
    awards: list[Award] = Field(default_factory=list, description="Awards.")
    publications: list[Publication] = Field(default_factory=list, description="Publications.")
    languages: list[Language] = Field(default_factory=list, description="Spoken languages.")
    volunteer: list[Volunteer] = Field(default_factory=list, description="Volunteering (JSON Resume's `volunteer`).")
    certificates: list[Certificate] = Field(default_factory=list, description="Certificates.")
    interests: list[Interest] = Field(default_factory=list, description="Interests.")
    references: list[Reference] = Field(default_factory=list, description="References: who vouches for you, and what they say.")
    sections: dict[str, CustomSection] = Field(default_factory=dict, description="Sections of your own, e.g. "
                                               "[sections.talks]: a title and entries; variants list them by name.")
    style: Style = Field(default_factory=Style, description="Design tokens for every variant.")
    variants: dict[str, Variant] = Field(default_factory=dict, description="Named recipes, one PDF each.")
    language: LanguageCode = Field("en", description="Language of the titles and dates: en, fr, de, es, pt, it, nl, pl, sv, zh, ja or ko.")
    fallback_languages: list[LanguageCode] = Field(default_factory=list, description="Where a text has no translation in a variant's language: the languages to use instead, in order (then `language`).")
    labels: Labels | None = Field(None, description="Your own section titles and words, e.g. work = \"Career\", present = \"now\".")
    extra: dict[str, Any] = Field(default_factory=dict, description="Kept, not rendered: data from an import (e.g. JSON Resume sections) that cvpress has no place for; `cvpress export` writes it back.")

    @field_validator("variants")
    @classmethod
    def _variants(cls, variants: dict[str, Variant]) -> dict[str, Variant]:
        for name, variant in variants.items():
            if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", name):
                raise ValueError(f"variant name {name!r} must be letters, digits, '-' or '_'")
        return variants

    @field_validator("sections")
    @classmethod
    def _custom(cls, sections: dict[str, CustomSection]) -> dict[str, CustomSection]:
        for name in sections:
            if not SECTION_NAME.match(name):
                raise ValueError(f"section name {name!r} must be lower-case letters, digits, '-' or '_', "
                                 "starting with a letter (a variant lists it by this name)")
            if name in SECTIONS:
                raise ValueError(f"section name {name!r} is a built-in section: use [[{name}]] (or [labels] "
                                 f"to rename it), or give your section another name")
        return sections

    def section_names(self) -> list[str]:
        """Every section a variant may list: the built-in ones, then the content's own."""
        return [*SECTIONS, *self.sections]

    def entries_of(self, section: str) -> list:
        """The entries of a section other than the summary: built-in or the content's own."""
        return self.sections[section].entries if section in self.sections else getattr(self, section)

    def entry_path(self, section: str, i: int) -> tuple:
        """The key path of a section's entry: (section, i), or ("sections", name, "entries", i) for one's own."""
        return ("sections", section, "entries", i) if section in self.sections else (section, i)
