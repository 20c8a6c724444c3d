"""`cvpress match` and `cvpress tailor`: a job posting against the résumé, in the user's own words.

`match` lists the posting's terms (terms.py), each **shown** (the variant's PDF says it),
**available** (the content says it, the variant leaves it out: which highlight, and the recipe
change that would bring it in) or **absent** (nowhere in the content: only the user can decide).
`tailor` writes a variant that extends a base variant and names the posting's terms in
`match_terms`: the highlights that say them are brought in and put first, strongest match first
(BM25 over the highlights, rank-bm25), within the base's page budget. Nothing is ever written
that the user did not write: a tailored PDF selects, it never rewords.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cvpress import terms as posting_terms
from cvpress.errors import UserError
from cvpress.locate import format_path, strings

SHOWN, AVAILABLE, ABSENT = "shown", "available", "absent"
_WEIGHT = {SHOWN: 1.0, AVAILABLE: 0.5, ABSENT: 0.0}  # the score: an available term is half way there
_NOT_TEXT = frozenset({"tags", "priority", "keep", "extra", "style", "variants", "url"})


@dataclass
class Place:
    path: str  # key path in the content, e.g. work[1].positions[0].highlights[3]
    text: str  # its first words
    change: str | None = None  # the recipe change that would show it (available terms)


@dataclass
class Coverage:
    term: str
    status: str
    places: list[Place] = field(default_factory=list)


@dataclass
class Report:
    variant: str
    posting: str
    terms: list[Coverage]

    @property
    def score(self) -> int:
        """0-100: shown terms count whole, available ones half."""
        if not self.terms:
            return 100
        return round(100 * sum(_WEIGHT[t.status] for t in self.terms) / len(self.terms))

    def counts(self) -> dict[str, int]:
        return {status: sum(t.status == status for t in self.terms) for status in (SHOWN, AVAILABLE, ABSENT)}

    def as_data(self) -> dict:
        return {"variant": self.variant, "posting": self.posting, "score": self.score, "counts": self.counts(),
                "terms": [asdict(t) for t in self.terms]}

    def format(self) -> str:
        counts = self.counts()
        lines = [f"{self.posting} against variant {self.variant}: score {self.score}/100 "
                 f"({counts[SHOWN]} shown, {counts[AVAILABLE]} available, {counts[ABSENT]} absent "
                 f"of {len(self.terms)} terms)"]
        for status, title in ((SHOWN, "shown in the PDF"), (AVAILABLE, "in the content, left out by the variant"),
                              (ABSENT, "nowhere in the content (cvpress never adds words: yours to decide)")):
            rows = [t for t in self.terms if t.status == status]
            if not rows:
                continue
            lines += ["", f"{status} — {title}:"]
            for row in rows:
                if status == ABSENT:
                    lines.append(f"  {row.term}")
                    continue
                place = row.places[0]
                more = f" (+{len(row.places) - 1} more)" if len(row.places) > 1 else ""
                lines.append(f"  {row.term}: {place.path}{more}: {place.text}")
                if place.change:
                    lines.append(f"      to show it: {place.change}")
        return "\n".join(lines)


def read_posting(path: Path) -> tuple[str, str]:
    """(its name for reports, its text); `-` reads standard input."""
    import sys

    if str(path) == "-":
        return "standard input", sys.stdin.read()
    try:
        return path.name, path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such posting file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: cannot read the posting: {e}") from e


def match(resume, selection, posting: str, name: str = "posting") -> Report:
    """The coverage of `posting`'s terms by the variant `selection` of `resume`."""
    from cvpress import outline

    found = posting_terms.extract(posting)
    shown = _shown_lines(outline.build(selection))
    written = list(content_strings(resume))
    dropped = {tuple(d.path): d.reason for d in selection.dropped}
    report = []
    for term in found:
        places = [Place(path, _short(text)) for path, text in shown if posting_terms.found_in(term, text)]
        if places:
            report.append(Coverage(term.name, SHOWN, places))
            continue
        places = [Place(format_path(path), _short(text), _change(path, dropped)) for path, text in written
                  if posting_terms.found_in(term, text)]
        report.append(Coverage(term.name, AVAILABLE if places else ABSENT, places))
    return Report(selection.name, name, report)


def content_strings(resume):
    """(key path, text) of every string of the content a reader could be shown, in file order."""
    for path, text in strings(resume, _NOT_TEXT):
        yield (path[:-1] if path[-1:] == ("text",) else path), text  # a highlight is its text


def _shown_lines(doc) -> list[tuple[str, str]]:
    """(where, text) of every line the outline shows, as the PDF shows it (markup reduced)."""
    from cvpress.escape import plain

    lines = [("label", plain(doc.label.text if doc.label else ""))] + [("contacts", c.text) for c in doc.contacts]
    for section in doc.sections:
        lines.append((section.kind, plain(section.text.text if section.text else "")))
        for block in section.entries + [r for b in section.entries for r in b.roles]:
            for text in (block.title, block.subtitle, block.location, *(n.text for n in block.notes),
                         *(h.text for h in block.highlights)):
                lines.append((f"{section.kind}: {block.title}", plain(text)))
    return [(where, text) for where, text in lines if text]


def _change(path: tuple, dropped: dict[tuple, str]) -> str:
    """The recipe change that would bring back the content at `path`, from the reason it (or the
    entry or section holding it) was left out."""
    reason = next((dropped[path[:n]] for n in range(len(path), 0, -1) if path[:n] in dropped), None)
    if reason is None:
        return "`cvpress tailor` brings it in (match_terms)"
    if match := re.match(r"tag '([^']+)' is in exclude_tags", reason):
        return f"remove {match[1]!r} from exclude_tags, or tailor from a variant that keeps it"
    if match := re.match(r"priority (\d) is above max_priority", reason):
        return f"raise max_priority to {match[1]} (or give it priority = 1), or `cvpress tailor`"
    if reason.startswith("has none of include_tags"):
        return "add one of its tags to include_tags, or `cvpress tailor`"
    if reason.startswith("beyond max_highlights"):
        return "raise max_highlights, or `cvpress tailor` (it puts matching highlights first)"
    if reason.startswith("not in the variant's `sections`"):
        return f"add {path[0]!r} to the variant's sections"
    return reason


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")




# ------------------------------------------------------------------------------ the tailored variant

def table(name: str, base: str, posting: str, wanted: list[str]) -> str:
    """The variant table `tailor` writes, as TOML text (what --dry-run shows)."""
    import tomlkit

    variants = tomlkit.table(True)
    variants.add(name, _table(base, posting, wanted))
    doc = tomlkit.document()
    doc.add("variants", variants)
    return tomlkit.dumps(doc)


def _table(base: str, posting: str, wanted: list[str]):
    import tomlkit

    t = tomlkit.table()
    t.add(tomlkit.comment(f"Written by `cvpress tailor` for {posting}: its highlights that say these terms"))
    t.add(tomlkit.comment("come first. `cvpress tailor` again replaces this table; edit it freely meanwhile."))
    t.add("description", f"Tailored to {posting}")
    t.add("extends", base)
    terms_array = tomlkit.array()
    terms_array.extend(wanted)
    terms_array.multiline(True)
    t.add("match_terms", terms_array)
    return t


def write_table(content_path: Path, name: str, base: str, posting: str, wanted: list[str]) -> None:
    """Put the tailored variant into the content file, style-preserving: a table of its own that a
    later `tailor` replaces; any other table of that name is the user's and is refused."""
    import tomlkit

    from cvpress.publish import write

    text = content_path.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    variants = doc.get("variants")
    if variants is None:
        doc.add(tomlkit.nl())
        doc.add("variants", tomlkit.table(True))
        variants = doc["variants"]
    existing = variants.get(name)
    if existing is not None and "match_terms" not in existing:
        raise UserError(f"{content_path}: [variants.{name}] exists and was not written by `cvpress tailor`; "
                        "choose another --name")
    if existing is not None:
        variants[name] = _table(base, posting, wanted)
    else:
        variants.add(name, _table(base, posting, wanted))
    write(content_path, tomlkit.dumps(doc))


def tailor(content_path: Path, name: str, base: str, posting: str, posting_name: str, dry_run: bool = False) -> str:
    """Write (or with `dry_run` only return) the variant table tailored to `posting`: it extends
    `base` and names the posting's terms that the content says somewhere. The content file is
    checked before and after; a table that would not load is never left in it."""
    from cvpress import content

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise UserError(f"--name {name!r}: a variant name is letters, digits, '-' or '_'")
    resume = content.load(content_path)
    if base not in resume.variants:
        known = ", ".join(sorted(resume.variants)) or "none defined"
        raise UserError(f"--from {base!r}: no such variant (variants in {content_path}: {known})")
    if name == base:
        raise UserError(f"--name {name!r} is the variant it would extend; choose another name")
    said = [t for t in posting_terms.extract(posting)
            if any(posting_terms.found_in(t, text) for _, text in content_strings(resume))]
    wanted = [t.name for t in said]
    if dry_run:
        return table(name, base, posting_name, wanted)
    before = content_path.read_bytes()
    write_table(content_path, name, base, posting_name, wanted)
    try:
        content.load(content_path)
    except UserError:
        content_path.write_bytes(before)  # never leave a content file that does not load
        raise
    return table(name, base, posting_name, wanted)
