"""`cvpress explain` and `cvpress diff`: what a variant keeps, what it leaves out, and why."""

from __future__ import annotations

import json
from pathlib import Path

from cvpress import outline
from cvpress.errors import counted
from cvpress.locate import format_path
from cvpress.variants import Selection


def _kept(selection: Selection, headers: bool = False) -> list[tuple[str, str]]:
    """(key path, short text) of every entry, role and highlight the variant shows, in order;
    with `headers`, each section's title first (key path: the section's kind)."""
    rows = []
    for section in outline.build(selection).sections:
        if headers:
            rows.append((section.kind, f"{section.title}:"))
        for entry in section.entries:
            rows.append((entry.path, _short(entry.title)))
            if entry.subtitle_path:
                rows.append((entry.subtitle_path, f"  {_short(entry.subtitle)}"))
            rows += [(h.path, f"    - {_short(h.text)}") for h in entry.highlights]
            for role in entry.roles:
                rows.append((role.path, f"  {_short(role.title)}"))
                rows += [(h.path, f"    - {_short(h.text)}") for h in role.highlights]
    return rows


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def explain(selection: Selection, out: Path | None = None) -> str:
    variant = selection.variant
    budget = f"max {counted(variant.max_pages, 'page')}" if variant.max_pages else "no page budget"
    lines = [f"variant {selection.name}: {variant.description or '(no description)'} [{budget}]",
             f"sections: {', '.join(selection.sections)}", "", "keeps:"]
    lines += [f"  {text}" for _, text in _kept(selection, headers=True)]
    if variant.match_terms:  # a tailored variant (cvpress tailor): why each highlight came in
        matched = [i for i in selection.highlights() if i.matched]
        lines += ["", f"brought in by match_terms ({len(matched)}):"]
        lines += [f"  {format_path(i.path)}: {', '.join(i.matched)}\n      {_short(i.text)}" for i in matched]
    lines += ["", f"leaves out ({len(selection.dropped)}):"]
    lines += [f"  {format_path(d.path)}: {_short(d.what, 8)}\n      because {d.reason}" for d in selection.dropped]
    report = out / f"{selection.name}.fit.json" if out else None
    if report and report.exists():
        lines += ["", *_fitting(report)]
    elif variant.max_pages:
        lines += ["", "page fitting: no build report yet (run `cvpress build` first)"]
    return "\n".join(lines)


def _fitting(report: Path) -> list[str]:
    """What the last build's fit report says; a report that cannot be read says so (a build rewrites it)."""
    try:
        text = report.read_text(encoding="utf-8")
        data = json.loads(text)
        style = data["style"]
        lines = [f"last build's page fitting ({report}): {int(data['compiles'])} compile(s), "
                 f"spacing {style.get('spacing')}, margin {style.get('margin')}, {style.get('font_size')}pt"]
        lines += [f"  dropped {d['path']} ({d['employer']}, {d['position']}): {d['text']}" for d in data["dropped"]]
        return lines + [f"  note: {n}" for n in data.get("notes", [])]
    except OSError as e:
        reason = f"cannot read it: {e.strerror}"
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    except json.JSONDecodeError as e:
        reason = "empty" if not text.strip() else f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
    except KeyError as e:
        reason = f"not a fit report: no {e.args[0]!r}"
    except (TypeError, AttributeError, ValueError):
        reason = "not a fit report: values of the wrong kind"
    return [f"last build's page fitting: {report} is unreadable ({reason}); `cvpress build` writes it again"]


def diff(a: Selection, b: Selection) -> str:
    """What differs between two variants: content by key path, order, words, sections, page budget
    and the design (after page fitting, when the out folder has its report: `explain`'s numbers)."""
    from cvpress.render import merged_style

    kept_a, kept_b = dict(_kept(a)), dict(_kept(b))
    lines = [f"--- {a.name}", f"+++ {b.name}"]
    gone = [f"- {path}: {text.strip()}" for path, text in kept_a.items() if path not in kept_b]
    added = [f"+ {path}: {text.strip()}" for path, text in kept_b.items() if path not in kept_a]
    if gone or added:
        lines += ["content:", *gone, *added]
    both = [path for path in kept_a if path in kept_b]
    if both != [path for path in kept_b if path in kept_a]:
        moved = [path for path, other in zip(both, [p for p in kept_b if p in kept_a]) if path != other]
        lines += ["order (what both show, in another order):", f"  first difference at {moved[0]}"]
    words = [(attr, getattr(a, attr), getattr(b, attr)) for attr in ("label", "summary")]
    words = [(attr, x, y) for attr, x, y in words if x != y]
    if words:
        lines.append("words:")
        for attr, x, y in words:
            lines += [f"- {attr}: {_short(x or '')}", f"+ {attr}: {_short(y or '')}"]
    if a.sections != b.sections:
        lines += ["sections:", f"- {', '.join(a.sections)}", f"+ {', '.join(b.sections)}"]
    layout = [(key, x, y) for key, x, y in (
        ("max_pages", a.variant.max_pages, b.variant.max_pages),
        *((k, getattr(merged_style(a), k), getattr(merged_style(b), k)) for k in type(merged_style(a)).model_fields))
        if x != y]
    if layout:
        lines += ["budget and design:", *(f"  {key}: {x} -> {y}" for key, x, y in layout)]
    return "\n".join(lines) if len(lines) > 2 else f"{a.name} and {b.name} show the same content, in the same design"
