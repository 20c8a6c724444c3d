"""Stage 2: apply a variant (a recipe in content.toml) to the résumé.

The result is a Selection: what the PDF shows, each item with its key path, plus every item the
variant left out and the rule that removed it (`cvpress explain` prints those).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cvpress.errors import ContentError, counted
from cvpress.locate import format_path
from cvpress.model import Highlight, Resume, Variant

Path = tuple


@dataclass
class Item:
    """A highlight chosen for the output."""

    highlight: Highlight
    path: Path
    matched: tuple[str, ...] = ()  # the variant's match_terms this highlight says (tailor.py)

    @property
    def text(self) -> str:
        return self.highlight.text


@dataclass
class Role:
    position: object  # model.Position
    path: Path
    highlights: list[Item]


@dataclass
class Employer:
    work: object  # model.Work
    path: Path
    roles: list[Role]


@dataclass
class Entry:
    """An entry of any other section (education, skills, projects, …)."""

    item: object
    path: Path
    highlights: list[Item] = field(default_factory=list)


@dataclass
class Dropped:
    path: Path
    what: str  # a short description for people
    reason: str


@dataclass
class Selection:
    name: str
    variant: Variant
    resume: Resume
    label: str | None
    summary: str | None
    sections: list[str]
    work: list[Employer]
    entries: dict[str, list[Entry]]
    dropped: list[Dropped]
    warnings: list[str] = field(default_factory=list)  # for people: `check` and `build` print them

    def highlights(self) -> list[Item]:
        items = [i for e in self.work for r in e.roles for i in r.highlights]
        return items + [i for entries in self.entries.values() for e in entries for i in e.highlights]


DEFAULT_VARIANT = Variant.model_construct(description="Everything in the content file")  # no validator built


def resolve(resume: Resume, name: str) -> Variant:
    """The variant's settings, with `extends` chains merged (the child's own keys win)."""
    if name not in resume.variants:
        if name == "full" and not resume.variants:
            return DEFAULT_VARIANT
        known = ", ".join(sorted(resume.variants)) or "none defined"
        raise ContentError(f"unknown variant {name!r} (variants in this file: {known})")
    chain, current = [], name
    while current is not None and current in resume.variants:
        if current in chain:
            raise ContentError(f"variant {name!r}: `extends` loops through {' -> '.join(chain + [current])}")
        chain.append(current)
        current = resume.variants[current].extends
    settings: dict = {}
    if broken := next((c for c in chain if resume.variants[c].extends not in (None, *resume.variants)), None):
        raise ContentError(f"variant {broken!r} extends {resume.variants[broken].extends!r}, which is not defined")
    for link in reversed(chain):
        variant = resume.variants[link]
        for key in variant.model_fields_set:
            value = getattr(variant, key)
            if key in ("style", "labels") and value is not None and settings.get(key) is not None:
                value = settings[key].model_copy(update={k: getattr(value, k) for k in value.model_fields_set})
                value.model_fields_set.update(settings[key].model_fields_set)
            settings[key] = value
    return Variant(**settings)


def select(resume: Resume, name: str) -> Selection:
    from cvpress import translate

    variant = resolve(resume, name)
    language = variant.language or resume.language
    if (local := translate.localized(resume, language)) is not resume:
        resume, variant = local, resolve(local, name)  # the variant's own texts in its language too
    dropped: list[Dropped] = []
    sections = list(variant.sections or [s for s in resume.section_names() if _has(resume, s, variant)])
    matches = _matches(resume, variant)
    work = [e for i, w in enumerate(resume.work) if (e := _employer(w, ("work", i), variant, dropped, matches))]
    entries: dict[str, list[Entry]] = {}
    for section in sections:
        if section in ("summary", "work"):
            continue
        entries[section] = []
        for i, item in enumerate(resume.entries_of(section)):
            path = resume.entry_path(section, i)
            if reason := _excluded(item.tags, variant) or _too_weak(getattr(item, "priority", None), variant):
                dropped.append(Dropped(path, describe(item), reason))
                continue
            items = _highlights(getattr(item, "highlights", []), path, variant, dropped, matches)
            entries[section].append(Entry(item, path, items))
    for section in resume.section_names():
        if section not in sections and _has(resume, section):
            where = ("sections", section) if section in resume.sections else (section,)
            dropped.append(Dropped(where, f"section {section}", "not in the variant's `sections`"))
    untranslated = [p for p, _ in translate.untranslated(resume, language)  # of what this variant shows
                     if (p[0] != "variants" or p[1] == name) and not any(p[:len(d.path)] == d.path for d in dropped)]
    return Selection(
        name=name,
        variant=variant,
        resume=resume,
        label=variant.label if variant.label is not None else resume.basics.label,
        summary=variant.summary if variant.summary is not None else resume.basics.summary,
        sections=sections,
        work=work if "work" in sections else [],
        entries=entries,
        dropped=dropped,
        warnings=_warnings(resume, variant, work if "work" in sections else [], dropped) + [
            f"{counted(len(untranslated), 'text')} {'has' if len(untranslated) == 1 else 'have'} no {language} "
            f"translation and fall{'s' if len(untranslated) == 1 else ''} back to another language "
            f"(`cvpress check --language {language}` lists them)"] * bool(untranslated),
    )


# ---------------------------------------------------------------- recipes checked against the content

TAG_KEYS = ("include_tags", "exclude_tags", "promote_tags")


def problems(resume: Resume) -> list[tuple[tuple, str]]:
    """What is wrong with the recipes, as (key path, message): an `extends` that names no variant,
    a tag in include_tags that nothing carries, or one in exclude/promote_tags that looks like a typo
    of a tag the content has. content.load reports them with their lines."""
    import difflib

    known, found = content_tags(resume), []
    for name, variant in resume.variants.items():
        if variant.extends is not None and variant.extends not in resume.variants:
            others = [v for v in resume.variants if v != name]
            found.append((("variants", name, "extends"), f"variant {name!r} extends {variant.extends!r}, which is not "
                          f"defined{_suggest(variant.extends, others, 'variants in this file')}"))
        for n, section in enumerate(variant.sections or []):
            if section not in resume.section_names():
                found.append((("variants", name, "sections", n), f"no section is called {section!r}"
                              f"{_suggest(section, resume.section_names(), 'sections')}"))
        for key in TAG_KEYS:
            for n, tag in enumerate(getattr(variant, key)):
                close = difflib.get_close_matches(tag, known, n=1, cutoff=0.6)
                if tag not in known and (key == "include_tags" or close):
                    found.append((("variants", name, key, n), f"no entry, role or highlight has the tag {tag!r}"
                                  f"{_suggest(tag, known, 'tags in the content')}"))
    return found


def content_tags(resume: Resume) -> list[str]:
    """Every tag the content carries, on entries, roles and highlights."""
    tags: dict[str, None] = {}
    for section in resume.section_names()[1:]:
        for item in resume.entries_of(section):
            tags.update(dict.fromkeys(item.tags))
            for h in getattr(item, "highlights", []):
                tags.update(dict.fromkeys(h.tags))
            for position in getattr(item, "positions", []):
                tags.update(dict.fromkeys(position.tags))
                for h in position.highlights:
                    tags.update(dict.fromkeys(h.tags))
    return sorted(tags)


def _suggest(word: str, known: list[str], what: str) -> str:
    import difflib

    if close := difflib.get_close_matches(word, known, n=1, cutoff=0.6):
        return f"; did you mean {close[0]!r}?"
    return f" ({what}: {', '.join(map(repr, known))})" if known else f" (no {what.split(' ')[0]} yet)"


def _warnings(resume: Resume, variant: Variant, work: list[Employer], dropped: list[Dropped]) -> list[str]:
    """What a recipe does that is allowed but probably not meant."""
    found = []
    known = set(content_tags(resume))
    for key in TAG_KEYS[1:]:
        for tag in getattr(variant, key):
            if tag not in known:
                found.append(f"{key} names the tag {tag!r}, which nothing in the content carries: it has no effect")
    for employer in work:
        for role in employer.roles:
            if role.position.highlights and not role.highlights:
                reasons = sorted({d.reason for d in dropped if d.path[:len(role.path)] == role.path})
                found.append(f"{format_path(role.path)} ({employer.work.name}: {role.position.position}) keeps none of its "
                             f"{counted(len(role.position.highlights), 'highlight')}: {'; '.join(reasons)}")
    return found


def _has(resume: Resume, section: str, variant: Variant | None = None) -> bool:
    if section == "summary":
        return bool(resume.basics.summary or (variant and variant.summary))
    return bool(resume.entries_of(section))


def _too_weak(priority: int | None, variant: Variant) -> str | None:
    """Why a highlight, or an entry of one's own section, goes by its priority (other entries have none)."""
    if variant.max_priority is not None and priority is not None and priority > variant.max_priority:
        return f"priority {priority} is above max_priority {variant.max_priority}"
    return None


def _excluded(tags: list[str], variant: Variant) -> str | None:
    hit = [t for t in tags if t in variant.exclude_tags]
    return f"tag {hit[0]!r} is in exclude_tags" if hit else None


def describe(item) -> str:
    for attr in ("text", "organization", "position", "name", "institution", "title", "language"):
        if value := getattr(item, attr, None):
            words = value.split()
            return " ".join(words[:8]) + (" …" if len(words) > 8 else "")
    return type(item).__name__


def _matches(resume: Resume, variant: Variant) -> dict[str, tuple[str, ...]]:
    """Key path -> the match_terms each highlight says, for the highlights tailoring brings in."""
    if not variant.match_terms:
        return {}
    from cvpress import terms

    return terms.chosen(resume, [terms.term(t) for t in variant.match_terms])


def _employer(work, path: Path, variant: Variant, dropped: list[Dropped],
              matches: dict[str, tuple[str, ...]]) -> Employer | None:
    if reason := _excluded(work.tags, variant):
        dropped.append(Dropped(path, work.name, reason))
        return None
    roles = []
    for j, position in enumerate(work.positions):
        role_path = path + ("positions", j)
        if reason := _excluded(position.tags, variant):
            dropped.append(Dropped(role_path, f"{work.name}: {position.position}", reason))
            continue
        items = _highlights(position.highlights, role_path, variant, dropped, matches)
        roles.append(Role(position, role_path, items))
    return Employer(work, path, roles) if roles else None


def _highlights(highlights: list[Highlight], path: Path, variant: Variant, dropped: list[Dropped],
                matches: dict[str, tuple[str, ...]] | None = None) -> list[Item]:
    """Filter by tags and priority, promote, then cap (keeping the strongest). A highlight that
    says the variant's match_terms comes in whatever include_tags and max_priority say (exclude_tags
    still win), first, and counts as priority 1 for the cap and for page fitting."""
    kept: list[Item] = []
    for k, h in enumerate(highlights):
        item = Item(h, path + ("highlights", k))
        if said := (matches or {}).get(format_path(item.path)):
            item = Item(h.model_copy(update={"priority": 1}), item.path, said)
        if reason := _excluded(h.tags, variant):
            pass
        elif said:
            pass
        elif variant.include_tags and not set(h.tags) & set(variant.include_tags):
            reason = f"has none of include_tags {variant.include_tags}"
        else:
            reason = _too_weak(h.priority, variant)
        if reason:
            dropped.append(Dropped(item.path, describe(h), reason))
        else:
            kept.append(item)
    if variant.promote_tags:
        kept.sort(key=lambda i: not set(i.highlight.tags) & set(variant.promote_tags))
    if matches:  # what the posting asks for first, the most terms first (a stable sort)
        kept.sort(key=lambda i: -len(i.matched))
    cap = variant.max_highlights
    if cap is not None and len(kept) > cap:
        strongest = sorted(kept, key=lambda i: i.highlight.priority)[:cap]  # stable: earlier wins ties
        for item in kept:
            if item not in strongest:
                dropped.append(Dropped(item.path, describe(item.highlight), f"beyond max_highlights {cap}"))
        kept = [i for i in kept if i in strongest]
    return kept
