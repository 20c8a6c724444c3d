"""Translations in one content file: any text may be a table `{ en = "…", fr = "…" }`.

A variant's language picks one text from each table, before validation, so every later stage sees
plain strings. Where a table has no text in that language (nor in a region of it: `fr-CA` for
`fr`, `fr` for `fr-CA`), the content's `fallback_languages` are tried in order, then its default
`language`, then the table's first entry; `cvpress check --language fr` lists those fields.

A translation table is told apart from the content's other tables by its shape alone: every key
is a language tag (two or three lower-case letters, an optional region), one at least of a language
cvpress knows, and every value text. No other table of the model has such keys; `extra` is never
entered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SKIP = ("extra",)  # top-level tables never entered: kept as typed, never rendered


def is_table(value: Any) -> bool:
    """Every key a language tag, one at least of a language cvpress knows (`{ cty = "Lyon" }` is a
    location with a typo), every value text."""
    if not isinstance(value, dict):  # most of the content: its strings
        return False
    from cvpress.locales import LOCALES

    return (any(_primary(k) in LOCALES for k in value)
            and all(isinstance(k, str) and _TAG.match(k) and isinstance(v, str) for k, v in value.items()))


def tables(data: Any) -> list[tuple[tuple, dict]]:
    """(key path, table) of every translation table in raw content, in document order."""
    found: list[tuple[tuple, dict]] = []
    _collect(data, (), found)
    return found


def _collect(data: Any, path: tuple, found: list) -> None:  # a list, not nested generators: x50 walks 10,000 values
    if is_table(data):
        found.append((path, data))
    elif isinstance(data, dict):
        for key, value in data.items():
            if not (path == () and key in SKIP):
                _collect(value, path + (key,), found)
    elif isinstance(data, list):
        for n, value in enumerate(data):
            _collect(value, path + (n,), found)


def languages(data: dict) -> list[str]:
    """The language tags the content's translation tables use, in order of first use."""
    return list(dict.fromkeys(k for _, table in tables(data) for k in table))


@dataclass(frozen=True)
class Order:
    """Where a variant in `language` looks for its text in a table."""

    language: str
    fallback: tuple[str, ...]  # the content's fallback_languages, then its default language

    def pick(self, table: dict[str, str]) -> tuple[str, str, bool]:
        """(text, the tag it came from, whether it is in the variant's own language)."""
        primary = _primary(self.language)
        own = [self.language, primary] + [k for k in table if _primary(k) == primary]
        for tag in own:
            if tag in table:
                return table[tag], tag, True
        for tag in self.fallback:
            for key in (tag, *(k for k in table if _primary(k) == _primary(tag))):
                if key in table:
                    return table[key], key, False
        first = next(iter(table))
        return table[first], first, False


def order(data: dict, language: str) -> Order:
    fallback = data.get("fallback_languages")
    fallback = [t for t in fallback if isinstance(t, str)] if isinstance(fallback, list) else []
    default = data.get("language") if isinstance(data.get("language"), str) else "en"
    return Order(language, tuple(dict.fromkeys([*fallback, default])))


def resolve(data: Any, chosen: Order, top: bool = True) -> Any:
    """`data` with every translation table replaced by its text in the chosen order."""
    if is_table(data):
        return chosen.pick(data)[0]
    if isinstance(data, dict):
        return {k: v if top and k in SKIP else resolve(v, chosen, False) for k, v in data.items()}
    if isinstance(data, list):
        return [resolve(v, chosen, False) for v in data]
    return data


def missing(data: dict, chosen: Order) -> list[tuple[tuple, str]]:
    """(key path, the tag used instead) of every table with no text in the chosen language."""
    picks = ((path, chosen.pick(table)) for path, table in tables(data))
    return [(path, tag) for path, (_, tag, own) in picks if not own]


def bad_tags(data: dict) -> list[tuple[tuple, str]]:
    """(key path, tag) of the tags in translation tables that name no language cvpress knows."""
    from cvpress import locales

    found = []
    for path, table in tables(data):
        for tag in table:
            if _primary(tag) not in locales.LOCALES:
                found.append((path + (tag,), tag))
    return found


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def localized(resume, language: str):
    """The résumé with its texts in `language` (itself when it has no translation tables)."""
    versions = resume._translations
    if not versions:
        return resume
    if language not in versions:  # a language no variant names (export --language): validated now
        from cvpress.model import Resume

        versions[language] = Resume.model_validate(resolve(resume._content, order(resume._content, language)))
    return versions[language]


def untranslated(resume, language: str) -> list[tuple[tuple, str]]:
    """(key path, the tag used instead) of each text the résumé has no `language` translation of."""
    data = resume._content
    return missing(data, order(data, language)) if data is not None else []
