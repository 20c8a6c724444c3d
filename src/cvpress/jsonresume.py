"""`cvpress import`: a JSON Resume file -> a commented content.toml.

Reads JSON Resume 1.x and the older names that real files still use (`work[].company`,
`website`, `picture`, `gpa`), `location` as text or as a table, and treats empty strings and
nulls as absent. Consecutive `work` entries at the same employer become one employer with several
positions; `- ` lists in a work or volunteer summary become highlights. Nothing is lost: keys
cvpress has no place for go to the `extra` table (kept, not rendered), which `cvpress export`
writes back.

The pipeline: read -> normalize -> map onto the content model -> validate -> write TOML.

`x-cvpress` keys (written by `cvpress export --format json-resume`) carry what JSON Resume cannot
say: tags, highlight priorities, how positions group under employers, style and variants. On an
entry, its keys that are content-model fields (tags, endDate, location) override the plain value;
`highlightOptions` lines up with `highlights`; `employer` starts a new employer on a work entry;
`original` holds leftover keys whose values the plain field could not carry. On the top level,
`sections` holds the content's own [sections.NAME], as in TOML.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cvpress import publish, render
from cvpress.errors import ContentError, Problem, UserError
from cvpress.locate import format_path
from cvpress.model import THEMES

EXT = "x-cvpress"
STDIO = "-"  # as a file name: standard input (source) or output (target)
STDIN = "standard input"  # how prose names an imported STDIO (errors name it <stdin>, as file:line)
SECTIONS = ("basics", "work", "education", "skills", "projects", "awards", "publications", "languages",
            "volunteer", "certificates", "interests", "references")

# Older JSON Resume names -> 1.x names (applied when the 1.x name is not also present).
RENAMES: dict[str, dict[str, str]] = {
    "basics": {"website": "url", "picture": "image"},
    "profiles": {"website": "url"},
    "work": {"company": "name", "website": "url"},
    "education": {"gpa": "score", "website": "url"},
    "projects": {"website": "url"},
    "awards": {},
    "publications": {"website": "url"},
    "skills": {},
    "languages": {"name": "language"},
    "volunteer": {"website": "url"},
    "certificates": {},
    "interests": {},
    "references": {},
}

# The keys of each JSON Resume object that map onto the content model.
FIELDS: dict[str, tuple[str, ...]] = {
    "basics": ("name", "label", "email", "phone", "url", "summary", "location"),
    "location": ("address", "postalCode", "city", "countryCode", "region"),
    "profiles": ("network", "username", "url"),
    "work": ("name", "location", "description", "position", "url", "startDate", "endDate", "summary",
             "highlights"),
    "education": ("institution", "url", "area", "studyType", "startDate", "endDate", "score", "courses",
                  "location"),
    "skills": ("name", "level", "keywords"),
    "projects": ("name", "description", "highlights", "startDate", "endDate", "url"),
    "awards": ("title", "date", "awarder", "summary"),
    "publications": ("name", "publisher", "releaseDate", "url", "summary"),
    "languages": ("language", "fluency"),
    "volunteer": ("organization", "position", "location", "url", "startDate", "endDate", "summary", "highlights"),
    "certificates": ("name", "date", "issuer", "url"),
    "interests": ("name", "keywords"),
    "references": ("name", "reference"),
}
TEXT_FIELDS = {"score", "phone", "postalCode", "name", "title", "level", "fluency", "username", "label"}
DATE_FIELDS = {"startDate", "endDate", "date", "releaseDate"}
URL_FIELDS = {"url"}
_PRESENT = {"present", "current", "currently", "now", "today", "ongoing"}
_BULLET = re.compile(r"^\s*[-*•]\s+(?P<text>.*\S)\s*$")
_BARE_DOMAIN = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)*\.[A-Za-z]{2,}(/\S*)?$")
# An `extra` key that names an entry of the content, e.g. "projects[0]" or "basics.location".
ENTRY_KEY = re.compile(r"^(basics(\.location|\.profiles\[\d+\])?|work\[\d+\]\.positions\[\d+\]"
                       r"|(education|skills|projects|awards|publications|languages|volunteer|certificates|interests"
                       r"|references)\[\d+\])$")


# ------------------------------------------------------------------------------ read

def read(path: Path) -> dict:
    """Parse a JSON Resume file (`-`: standard input); syntax errors name the line and column."""
    name = display(path)
    try:
        text = sys.stdin.buffer.read().decode("utf-8-sig") if str(path) == STDIO else path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{name}: cannot read: {e}") from e
    try:
        data = json.loads(text, parse_constant=_Constant)
    except json.JSONDecodeError as e:
        lines = text.splitlines()
        source = lines[e.lineno - 1] if 0 < e.lineno <= len(lines) else None
        problem = Problem(f"invalid JSON: {e.msg}", name, e.lineno, e.colno, source=source)
        raise ContentError(f"{name} is not valid JSON", [problem]) from e
    except RecursionError as e:
        raise ContentError(f"{name}: nested too deeply to be a résumé") from e
    if not isinstance(data, dict):
        raise ContentError(f"{name}: expected a JSON object with a `basics` section, found {type(data).__name__}")
    problems = [Problem(message, name, path=format_path(where) or "(top level)")
                for where, message in _bad_values(data) + _bad_extensions(data)]
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise ContentError(f"{name}: {count} to fix before it can be imported", problems)
    return data


class _Constant(str):
    """NaN, Infinity or -Infinity: JavaScript's, not JSON's (Python's json reads them)."""


def _bad_values(data: Any) -> list[tuple[tuple, str]]:
    """Values no content file can hold: NaN and infinite numbers, text with a lone surrogate (\\ud800)."""
    found, todo = [], [((), data)]
    while todo:  # a loop, not recursion: any depth json accepted
        where, value = todo.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if _lone_surrogate(key):
                    found.append((where, f"key {key!r}: {_SURROGATE}"))
                todo.append((where + (key,), item))
        elif isinstance(value, list):
            todo += [(where + (i,), item) for i, item in enumerate(value)]
        elif isinstance(value, _Constant):
            found.append((where, f"{value} is not a number JSON allows (nor a content file); write a number or text"))
        elif isinstance(value, float) and not math.isfinite(value):
            found.append((where, "the number is too large (it reads as infinite); write a smaller one or text"))
        elif isinstance(value, str) and _lone_surrogate(value):
            found.append((where, _SURROGATE))
    return sorted(found, key=lambda problem: format_path(problem[0]))


_SURROGATE = "holds a lone UTF-16 surrogate (an escape like \\ud800 without its pair), which is no character"


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# What each x-cvpress key must be, where cvpress reads it (the model checks the values inside).
_EXT_SHAPES = {"original": dict, "employer": dict, "highlightOptions": list, "style": dict, "variants": dict,
               "labels": dict, "fallback_languages": list, "sections": dict}


def _bad_extensions(data: dict) -> list[tuple[tuple, str]]:
    """`x-cvpress` objects of the wrong shape, on the top level, basics and every entry."""
    places = [((), data)]
    if isinstance(data.get("basics"), dict):
        places.append((("basics",), data["basics"]))
    for section in SECTIONS[1:]:
        if isinstance(data.get(section), list):
            places += [((section, i), obj) for i, obj in enumerate(data[section]) if isinstance(obj, dict)]
    found = []
    for where, obj in places:
        ext = obj.get(EXT)
        if ext is None:
            continue
        if not isinstance(ext, dict):
            found.append((where + (EXT,), f"expected an object {{…}}, found {_json_type(ext)}"))
            continue
        for key, shape in _EXT_SHAPES.items():
            if ext.get(key) is not None and not isinstance(ext[key], shape):
                found.append((where + (EXT, key), f"expected {'a list [ … ]' if shape is list else 'an object {…}'}, "
                                                  f"found {_json_type(ext[key])}"))
        for i, option in enumerate(ext.get("highlightOptions") if isinstance(ext.get("highlightOptions"), list) else []):
            if option is not None and not isinstance(option, dict):
                found.append((where + (EXT, "highlightOptions", i), f"expected an object {{…}}, found {_json_type(option)}"))
    return found


def _json_type(value: Any) -> str:
    kind = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return f"{kind.get(type(value), type(value).__name__)} ({json.dumps(value, ensure_ascii=False)[:40]})"


def display(path: Path) -> str:
    """How messages name a file: `-` is standard input (or output)."""
    return "<stdin>" if str(path) == STDIO else str(path)


# ------------------------------------------------------------------------------ normalize

def clean(value: Any) -> Any:
    """Drop empty strings and nulls (absent in JSON Resume), recursively; `x-cvpress` stays as is."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = item if key == EXT else clean(item)
            if item is not None and item != "":
                out[key] = item
        return out
    if isinstance(value, list):
        return [c for item in value if (c := clean(item)) is not None and c != ""]
    if isinstance(value, str) and not value.strip():
        return ""
    return value


def _renamed(kind: str, obj: dict) -> dict:
    obj = dict(obj)
    for old, new in RENAMES.get(kind, {}).items():
        if old in obj and new not in obj:
            obj[new] = obj.pop(old)
    return obj


def _date(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in _PRESENT:
            return "present"
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):  # an ISO date-time: keep the date
            return text[:10]
        return text
    return value


def _url(value: Any) -> Any:
    if isinstance(value, str) and _BARE_DOMAIN.match(value.strip()):
        return "https://" + value.strip()
    return value.strip() if isinstance(value, str) else value


def _scalar(key: str, value: Any) -> Any:
    if key in DATE_FIELDS:
        return _date(value)
    if key in URL_FIELDS:
        return _url(value)
    if key in TEXT_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # e.g. "score": 3.9, "postalCode": 94115
    if isinstance(value, str):
        return value.strip()
    return value


def split_summary(text: str) -> tuple[str | None, list[str]]:
    """A summary's `- ` (or `* `, `•`) list lines become highlights; the rest stays the summary.

    Indented lines right after a bullet continue it.
    """
    prose: list[str] = []
    bullets: list[str] = []
    in_bullet = False
    for line in text.splitlines():
        if match := _BULLET.match(line):
            bullets.append(match["text"])
            in_bullet = True
        elif in_bullet and line[:1].isspace() and line.strip():
            bullets[-1] += " " + line.strip()
        else:
            in_bullet = False
            prose.append(line.rstrip())
    if not bullets:
        return text.strip() or None, []
    summary = re.sub(r"\n{3,}", "\n\n", "\n".join(prose)).strip()
    return summary or None, bullets


def location_text(value: Any) -> Any:
    """A location table as one line of text (city, region, country), e.g. for a work entry."""
    if not isinstance(value, dict):
        return value
    parts = [value.get(k) for k in ("city", "region", "countryCode")]
    parts = [str(p) for p in parts if p] or [str(value[k]) for k in ("address", "postalCode") if value.get(k)]
    return ", ".join(parts) or None


# ------------------------------------------------------------------------------ map

class _Mapper:
    """JSON Resume data -> content-model data, remembering where each entry came from."""

    def __init__(self):
        self.extra: dict[str, Any] = {}
        self.origins: dict[tuple, str] = {}  # content key path -> JSON key path
        self.left_out: list[str] = []  # what the import refused to carry, said to the user

    def leftovers(self, key: str, kind: str, obj: dict, fields: tuple[str, ...], ext: dict):
        left = {k: v for k, v in obj.items() if k not in fields and k != EXT}
        left.update(ext.get("original") or {})
        if left:
            self.extra[key] = left

    def resume(self, data: dict) -> dict:
        data = clean(data)
        out: dict[str, Any] = {"basics": self.basics(data.get("basics", {}))}
        self.origins[("basics",)] = "basics"
        out["work"] = self.work(data.get("work", []))
        for section in SECTIONS[2:]:
            entries = data.get(section, [])
            if not isinstance(entries, list):
                out[section] = entries  # the model reports the wrong type
                continue
            out[section] = [self.entry(section, item, i) for i, item in enumerate(entries)]
        for key, value in data.items():
            if key not in SECTIONS and key != EXT:
                if ENTRY_KEY.match(key):
                    raise ContentError(f"top-level key {key!r} looks like a cvpress entry path; rename it")
                self.extra[key] = value
        ext = data.get(EXT) or {}
        out["style"] = self.style(ext.get("style", {}), f"{EXT}.style")
        if "variants" in ext:
            out["variants"] = ext["variants"]
            if isinstance(ext["variants"], dict):
                out["variants"] = {name: self.variant(name, v) for name, v in ext["variants"].items()}
        for key in ("language", "fallback_languages", "labels", "sections"):
            if key in ext:
                out[key] = ext[key]
        self.origins[("sections",)] = f"{EXT}.sections"
        out["extra"] = dict(sorted(self.extra.items(), key=lambda kv: ENTRY_KEY.match(kv[0]) is not None))
        return {k: v for k, v in out.items() if k == "variants" or v not in ({}, [])}

    def style(self, style: Any, where: str) -> Any:
        """A style without a theme folder: a file's templates would run on the next build (shipped themes pass)."""
        if isinstance(style, dict) and isinstance(style.get("theme"), str) and style["theme"] not in THEMES:
            self.left_out.append(f"{where}.theme = {json.dumps(style['theme'], ensure_ascii=False)}: a theme "
                                 f"other than {' or '.join(THEMES)} is never imported (a theme folder's templates "
                                 "run at build time); name one in [style] yourself if you trust it")
            return {k: v for k, v in style.items() if k != "theme"}
        return style

    def variant(self, name: str, variant: Any) -> Any:
        if not isinstance(variant, dict) or "style" not in variant:
            return variant
        style = self.style(variant["style"], f"{EXT}.variants.{name}.style")
        return {k: style if k == "style" else v for k, v in variant.items() if k != "style" or style != {}}

    def basics(self, obj: Any) -> Any:
        if not isinstance(obj, dict):
            return obj
        obj = _renamed("basics", obj)
        ext = obj.get(EXT) or {}
        out = {k: _scalar(k, obj[k]) for k in FIELDS["basics"] if k in obj}
        location = obj.get("location")
        if isinstance(location, dict):
            location = _renamed("location", location)
            out["location"] = {k: _scalar(k, location[k]) for k in FIELDS["location"] if k in location} or None
            self.leftovers("basics.location", "location", location, FIELDS["location"], {})
        profiles = obj.get("profiles", [])
        if isinstance(profiles, list):
            out["profiles"] = []
            for k, profile in enumerate(profiles):
                path = f"basics.profiles[{k}]"
                self.origins[("basics", "profiles", k)] = path
                if not isinstance(profile, dict):
                    out["profiles"].append(profile)
                    continue
                profile = _renamed("profiles", profile)
                item = {f: _scalar(f, profile[f]) for f in FIELDS["profiles"] if f in profile}
                if "network" not in item and isinstance(item.get("url"), str):
                    item = {"network": _network(item["url"]), **item}
                out["profiles"].append(item)
                self.leftovers(path, "profiles", profile, FIELDS["profiles"], {})
        else:
            out["profiles"] = profiles
        out.update({k: v for k, v in ext.items() if k in ("location",)})
        self.leftovers("basics", "basics", obj, FIELDS["basics"] + ("profiles",), ext)
        return {k: v for k, v in out.items() if v is not None and v != []}

    def entry(self, section: str, obj: Any, index: int) -> Any:
        self.origins[(section, index)] = f"{section}[{index}]"
        if not isinstance(obj, dict):
            return obj
        obj = _renamed(section, obj)
        ext = obj.get(EXT) or {}
        fields = FIELDS[section]
        out = {k: _scalar(k, obj[k]) for k in fields if k in obj}
        original = dict(ext.get("original") or {})
        if section in ("education", "volunteer") and isinstance(out.get("location"), dict):
            original.setdefault("location", obj["location"])
            out["location"] = location_text(out["location"])
        prose = {"projects": "description", "volunteer": "summary"}.get(section)  # its `- ` lists: highlights
        if prose and isinstance(out.get(prose), str):
            out[prose], bullets = split_summary(out[prose])
            if bullets:
                out["highlights"] = bullets + list(out.get("highlights") or [])
        if section == "volunteer" and "startDate" in out and "endDate" not in out:
            out["endDate"] = "present"  # as in work: no end date means ongoing
        if "highlights" in out:
            out["highlights"] = _with_options(out["highlights"], ext.get("highlightOptions"))
        overrides = ("tags", "endDate", "startDate", "date", "releaseDate", "location")  # e.g. a date "present"
        out.update({k: v for k, v in ext.items() if k in overrides})
        self.leftovers(f"{section}[{index}]", section, obj, fields, {"original": original})
        return {k: v for k, v in out.items() if v is not None}

    def work(self, entries: Any) -> Any:
        if not isinstance(entries, list):
            return entries
        groups: list[dict] = []
        for i, obj in enumerate(entries):
            if not isinstance(obj, dict):
                groups.append({"entries": [(i, obj)], "ext": None})
                continue
            obj = _renamed("work", obj)
            ext = obj.get(EXT) or {}
            last = groups[-1] if groups else None
            head = last["entries"][0][1] if last else None
            if isinstance(head, dict) and "employer" not in ext and _same_employer(head, obj):
                last["entries"].append((i, obj))
            else:
                groups.append({"entries": [(i, obj)], "ext": ext.get("employer")})
        return [self.employer(g, group["entries"], group["ext"]) for g, group in enumerate(groups)]

    def employer(self, g: int, entries: list[tuple[int, Any]], marker: dict | None) -> Any:
        self.origins[("work", g)] = f"work[{entries[0][0]}]"
        if not isinstance(entries[0][1], dict):
            return entries[0][1]
        first = entries[0][1]
        work: dict[str, Any] = {"name": _scalar("name", first.get("name"))} if "name" in first else {}
        for key in ("url", "description"):  # the first one given; a different one stays with its role
            values = [_scalar(key, obj[key]) for _, obj in entries if key in obj]
            if values:
                work[key] = values[0]
        locations = [location_text(_scalar("location", obj.get("location"))) for _, obj in entries]
        if marker is not None:
            work_location = marker.get("location")
            own = [loc if loc != work_location else None for loc in locations]
        else:
            work_location, own = split_locations(locations)
        if work_location is not None:
            work["location"] = work_location
        if marker and marker.get("tags"):
            work["tags"] = marker["tags"]
        work["positions"] = []
        for j, (i, obj) in enumerate(entries):
            self.origins[("work", g, "positions", j)] = f"work[{i}]"
            ext = obj.get(EXT) or {}
            position = {k: _scalar(k, obj[k]) for k in ("position", "startDate", "endDate") if k in obj}
            if own[j] is not None:
                position["location"] = own[j]
            if "startDate" in position and "endDate" not in position:
                position["endDate"] = "present"  # JSON Resume: no end date means current
            bullets: list[str] = []
            if isinstance(obj.get("summary"), str):
                summary, bullets = split_summary(_scalar("summary", obj["summary"]))
                if summary:
                    position["summary"] = summary
            elif "summary" in obj:
                position["summary"] = obj["summary"]
            highlights = _with_options(obj.get("highlights", []), ext.get("highlightOptions"))
            if bullets or highlights:
                position["highlights"] = bullets + highlights if isinstance(highlights, list) else highlights
            position.update({k: v for k, v in ext.items() if k in ("tags", "endDate", "startDate", "location")})
            work["positions"].append({k: v for k, v in position.items() if v is not None})
            original = dict(ext.get("original") or {})
            for key in ("url", "description"):
                if key in obj and _scalar(key, obj[key]) != work.get(key):
                    original.setdefault(key, obj[key])
            if isinstance(obj.get("location"), dict):
                original.setdefault("location", obj["location"])
            self.leftovers(f"work[{g}].positions[{j}]", "work", obj, FIELDS["work"], {"original": original})
        order = ("name", "location", "url", "description", "tags", "positions")  # the model's order
        return {k: work[k] for k in order if k in work}


def split_locations(locations: list[str | None]) -> tuple[str | None, list[str | None]]:
    """Roles' locations -> (employer location, each role's own): one shared value goes to the employer."""
    if locations and locations[0] is not None and all(loc == locations[0] for loc in locations):
        return locations[0], [None] * len(locations)
    return None, list(locations)


def _same_employer(a: dict, b: dict) -> bool:
    def norm(value):
        return " ".join(str(value).split()).casefold() if value else None

    if not norm(a.get("name")) or norm(a.get("name")) != norm(b.get("name")):
        return False
    urls = {norm(_url(u)).rstrip("/") for u in (a.get("url"), b.get("url")) if u}
    return len(urls) <= 1


def _with_options(highlights: Any, options: Any) -> Any:
    """Highlights with their x-cvpress options (tags, priority, keep), matched by position."""
    if not isinstance(highlights, list):
        return highlights
    highlights = [h.strip() if isinstance(h, str) else h for h in highlights]
    if not isinstance(options, list) or len(options) != len(highlights):
        return highlights
    return [{"text": h, **o} if o and isinstance(h, str) else h for h, o in zip(highlights, options)]


_NETWORKS = {"github.com": "GitHub", "gitlab.com": "GitLab", "linkedin.com": "LinkedIn", "twitter.com": "Twitter",
             "x.com": "X", "stackoverflow.com": "Stack Overflow", "medium.com": "Medium", "mastodon.social": "Mastodon"}


def _network(url: str) -> str:
    """A profile's network, when a file gives only its URL: GitHub for https://github.com/…, else the host."""
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    return _NETWORKS.get(host, host)


def convert(data: dict, left_out: list[str] | None = None) -> tuple[dict, dict[tuple, str]]:
    """JSON Resume data -> (content data for the model, origins: content path -> JSON path);
    what the import refuses to carry (a theme folder) is added to `left_out`."""
    mapper = _Mapper()
    out = mapper.resume(data)
    out.setdefault("variants", None)  # None: the default variants are added when writing
    if left_out is not None:
        left_out += mapper.left_out
    return out, mapper.origins


# ------------------------------------------------------------------------------ validate

def validate(content: dict, origins: dict[tuple, str], source: Path):
    """Validate converted data; problems cite the JSON file's key paths."""
    from pydantic import ValidationError

    from cvpress import content as content_stage
    from cvpress.locate import format_path
    from cvpress.model import Resume

    data = dict(content)
    if data.get("variants") is None:
        data["variants"] = default_variants()
    try:
        return Resume.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(p for p in err["loc"] if not content_stage._is_validator_tag(p))
            where = _json_path(loc, origins, format_path)
            kind, value = err["type"], err.get("input")
            if kind == "extra_forbidden":
                message = f"unexpected key {loc[-1]!r}"
            elif kind == "missing":
                message = f"required key {loc[-1]!r} is missing"
            else:
                message = content_stage._plain(kind, err, value)
                if not isinstance(value, (dict, list)):
                    message += f" (found {content_stage._show(value)})"
            problems.append(Problem(message, display(source), path=where))
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise ContentError(f"{display(source)}: {count} to fix before it can be imported", problems) from e


def _json_path(loc: tuple, origins: dict[tuple, str], format_path) -> str:
    for cut in range(len(loc), 0, -1):
        if loc[:cut] in origins:
            rest = format_path(loc[cut:])
            joiner = "" if not rest or rest.startswith("[") else "."
            json_path = origins[loc[:cut]] + joiner + rest
            mapped = format_path(loc)
            return json_path if json_path == mapped else f"{json_path} (content: {mapped})"
    return format_path(loc) or "(top level)"


# ------------------------------------------------------------------------------ write

def default_variants() -> dict:
    import tomli

    return tomli.loads(DEFAULT_VARIANTS)["variants"]


DEFAULT_VARIANTS = '''
# ---------------------------------------------------------------- Variants
# A variant is a recipe over the content above; add your own table to get another PDF.
# Variants select by tags and priority. Write a highlight as a table to give it those:
#   { text = "Led the storage team.", tags = ["leadership"], priority = 1, keep = true }
# priority: 1 = strongest, 3 = default; keep = true: never dropped to fit the page budget.

[variants.full]
description = "Everything"
# max_pages = 2

[variants.onepage]
description = "The first highlights of each role, on one page"
max_pages = 1
max_highlights = 3
style = { font_size = 10 }
# Once your strongest highlights have priority = 1, keep only those:
# max_priority = 1

[variants.manager]
description = "For management roles: leadership first, deep IC detail trimmed"
max_pages = 2
exclude_tags = ["ic-detail"]    # tag hands-on detail ["ic-detail"] to leave it out here
promote_tags = ["leadership"]   # highlights tagged "leadership" come first
# label = "Engineering Manager"  # replaces basics.label in this variant
'''

TITLES = {k: v for k, v in render.TITLES.items() if k != "summary"}  # the PDF's titles, as TOML comments


def to_toml(content: dict, source_name: str, left_out: list[str] = ()) -> str:
    """Content data (as `convert` returns it) -> readable, commented TOML."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"cvpress content, imported from {source_name} (JSON Resume) by `cvpress import`."))
    doc.add(tomlkit.comment('Format: README.md ("The content file"). Validate with `cvpress check`, build with'))
    doc.add(tomlkit.comment("`cvpress build`. Text may use **bold**, *italic* and [label](https://…) markup."))
    for note in left_out:
        doc.add(tomlkit.comment(f"Left out by the import: {note}".replace("\n", " ")))
    doc.add(tomlkit.nl())
    for key in ("language", "fallback_languages"):  # top-level values go before the first table
        if key in content:
            doc.add(key, content[key])
    doc.add("basics", _table(content["basics"]))
    for section, title in TITLES.items():
        entries = content.get(section)
        if not entries:
            continue
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(f"{'-' * 64} {title}"))
        if section == "work":
            doc.add(tomlkit.comment("One [[work]] per employer; each [[work.positions]] is a role there."))
        aot = tomlkit.aot()
        for entry in entries:
            aot.append(_table(entry))
        doc.add(section, aot)
    if content.get("sections"):
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(f"{'-' * 64} Sections of your own"))
        doc.add(tomlkit.comment("Shown like the built-in sections: a variant's `sections` list names them."))
        own = tomlkit.table(is_super_table=True)  # no bare [sections] header
        for name, section in content["sections"].items():
            own.add(name, _table(section))
        doc.add("sections", own)
    if content.get("style"):
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(f"{'-' * 64} Design"))
        doc.add("style", _table(content["style"]))
    if content.get("labels"):
        doc.add(tomlkit.nl())
        doc.add("labels", _table(content["labels"]))
    text = tomlkit.dumps(doc).rstrip("\n") + "\n"
    if content.get("variants") is None or content["variants"] == default_variants():
        text += DEFAULT_VARIANTS  # with its comments
    else:
        variants = tomlkit.document()
        variants.add(tomlkit.nl())
        variants.add(tomlkit.comment(f"{'-' * 64} Variants"))
        variants.add("variants", _table(content["variants"]))
        text += tomlkit.dumps(variants)
    if content.get("extra"):
        extra = tomlkit.document()
        extra.add(tomlkit.nl())
        extra.add(tomlkit.comment(f"{'-' * 64} Extra"))
        extra.add(tomlkit.comment("Kept, not rendered: data from the import that cvpress has no place for."))
        extra.add(tomlkit.comment('`cvpress export --format json-resume` writes it back. A table named after an'))
        extra.add(tomlkit.comment('entry (e.g. "projects[0]") holds that entry\'s extra keys: move it if you reorder.'))
        extra.add("extra", _table(content["extra"]))
        text += tomlkit.dumps(extra)
    return text


def _table(data: dict):
    """A TOML table: plain keys first, then sub-tables and arrays of tables (TOML's order)."""
    import tomlkit

    table = tomlkit.table()
    nested = []
    for key, value in data.items():
        if isinstance(value, dict) and value and not _inline(key, value):
            nested.append((key, _table(value)))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value) and key != "highlights":
            aot = tomlkit.aot()
            for item in value:
                aot.append(_table(item))
            nested.append((key, aot))
        else:
            table.add(key, _value(key, value))
    for key, value in nested:
        table.add(key, value)
    return table


def _inline(key: str, value: dict) -> bool:
    return key in ("style", "fit") and all(not isinstance(v, (dict, list)) for v in value.values())


def _value(key: str, value: Any):
    import tomlkit

    if isinstance(value, str):
        return tomlkit.string(value, multiline="\n" in value)
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update({k: _value(k, v) for k, v in value.items()})
        return table
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(_value(key, v) for v in value)
        if key == "highlights" or len(value) > 1 and sum(len(str(v)) for v in value) > 70:
            array.multiline(True)
        return array
    return tomlkit.item(value)


# ------------------------------------------------------------------------------ orchestrate

def import_file(source: Path, target: Path, force: bool = False, language: str | None = None) -> Path:
    """Read a JSON Resume file, convert and validate it, write content TOML; returns the target.
    `-` as the source reads standard input; as the target, writes standard output."""
    import tomli

    from cvpress.model import Resume

    reading = None if str(source) == STDIO else source
    if str(target) != STDIO:  # never the JSON file read; an existing file only with --force
        publish.check_target(target, force, reading)
    left_out: list[str] = []
    content, origins = convert(read(source), left_out)
    if language is not None:  # the language the file is written in (JSON Resume does not say)
        content = {"language": language, **{k: v for k, v in content.items() if k != "language"}}
    model = validate(content, origins, source)
    text = to_toml(content, STDIN if str(source) == STDIO else source.name, left_out)
    written = Resume.model_validate(tomli.loads(text))
    if written != model:  # the writer must never change what the file says
        raise AssertionError(f"TOML writer changed the content of {display(source)}")
    if str(target) == STDIO:
        sys.stdout.write(text)
    else:
        publish.check_target(target, force, reading)  # again: it may have appeared meanwhile
        publish.write_file(target, text)
    for note in left_out:
        print(f"{display(source)}: left out {note}", file=sys.stderr)
    return target
