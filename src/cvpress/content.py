"""Stage 1: read content.toml and validate it into a Resume, reporting every problem at once."""

from __future__ import annotations

import difflib
import re
import tomli
from pathlib import Path

from cvpress.errors import ContentError, Problem, counted
from cvpress.locate import find, format_path, locate

_TOML_POS = re.compile(r"^(?P<msg>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def read(path: Path) -> tuple[str, dict]:
    """Read and parse a TOML file: (text, data). Syntax errors name the line and column."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: no such content file (create one with `cvpress new`)") from None
    except IsADirectoryError:
        raise ContentError(f"{path}: is a folder, expected a TOML file") from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise ContentError(f"{path}:{line}: the file is not UTF-8 text") from e
    except OSError as e:
        raise ContentError(f"{path}: cannot read: {e.strerror}") from e
    try:
        return text, tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        match = _TOML_POS.match(str(e))
        if not match:
            raise ContentError(f"{path}: invalid TOML: {e}") from e
        line, col = int(match["line"]), int(match["col"])
        problem = Problem(
            f"invalid TOML: {_toml_words(match['msg'])}", str(path), line, col, source=_line(text.splitlines(), line)
        )
        raise ContentError(f"{path} is not valid TOML", [problem]) from e


# tomli's messages in plain words
_TOML_WORDS = {
    "Illegal character '\\n'": 'this string is not closed (a " is missing before the end of the line)',
    "Unterminated string": 'this string is not closed (its closing """ or \'\'\' is missing)',
    "Unclosed inline table": "this inline table { … } is not closed: separate its key = value pairs with "
                             "commas and close it with } on the same line",
    "Unclosed array": "this list [ … ] is not closed: separate its items with commas and close it with ]",
    "Expected '=' after a key in a key/value pair": "expected key = value (text goes in quotes)",
    "Invalid value": 'this value is not valid: text goes in quotes ("…"), dates look like 2020-01 or '
                     "2020-01-15, and true/false are lower case",
    "Invalid statement": "expected key = value, a [table] or a [[list of tables]] here",
    "Expected ']' at the end of a table declaration": "this [table] header is missing its closing ]",
    "Expected ']]' at the end of an array declaration": "this [[table]] header is missing its closing ]]",
    "Cannot overwrite a value": "this key is set twice",
    "Unescaped '\\' in a string": "a backslash in a \"…\" string must be doubled (\\\\), or use '…' quotes",
}


def _toml_words(message: str) -> str:
    if message in _TOML_WORDS:
        return _TOML_WORDS[message]
    if match := re.match(r"Cannot declare (.*) twice$", message):  # tomli shows the key as a tuple
        table = ".".join(re.findall(r"'([^']*)'", match[1])) or match[1]
        return f"the table {table} is declared twice: merge the two [{table}] tables"
    return message


def load(path: Path, languages: tuple[str, ...] = ()):
    """Read and validate a content file into a Resume model. A file with translation tables is
    validated in each language it names (and in `languages`): a bad translation is reported too."""
    return validate(*read(path), path, languages)


def validate(text: str, data: dict, path: Path, languages: tuple[str, ...] = ()):
    """`load` of what `read` gave: for a caller that keeps the text it read."""
    from cvpress import translate, variants

    if tables := dict(translate.tables(data)):
        resume = _translated(data, tables, text, path, languages)
    else:
        resume = _validated(data, {}, text, path)
    if found := variants.problems(resume):  # recipes checked against the content
        where, lines = locate(text), text.splitlines()
        problems = [_located(message, loc, path, lines, where) for loc, message in found]
        raise ContentError(f"{path}: {counted(len(problems), 'problem')} in the variants", problems)
    return resume


def _validated(data: dict, picked: dict, text: str, path: Path):
    resume, problems = _validate(data, picked, text, path)
    if problems:
        raise ContentError(f"{path}: {counted(len(problems), 'problem')} in the content", problems)
    return resume


def _validate(data: dict, picked: dict, text: str, path: Path) -> tuple:
    """(the Resume, []) or (None, its problems); a problem in a translation table is located at the
    translation that was validated (`picked`: the tag each table gave, by the table's key path)."""
    from pydantic import ValidationError

    from cvpress.model import Resume

    try:
        return Resume.model_validate(data), []
    except ValidationError as e:
        where, lines = locate(text), text.splitlines()  # once for all problems: linear in their number
        return None, [_problem(err, path, lines, where, picked) for err in e.errors()]


def _translated(data: dict, tables: dict, text: str, path: Path, also: tuple[str, ...]):
    """Validate the content once per language; the default language's Resume, carrying the others."""
    from cvpress import translate

    where, lines = locate(text), text.splitlines()
    problems = [_located(f"unknown language {tag!r} in this translation table: expected one of "
                         f"{', '.join(_known_languages())}, or one with a region such as fr-CA", loc, path, lines, where)
                for loc, tag in translate.bad_tags(data)]
    default = data.get("language") if isinstance(data.get("language"), str) else "en"
    asked = [v.get("language") for v in (data.get("variants") or {}).values() if isinstance(v, dict)]
    wanted = dict.fromkeys([default, *translate.languages(data), *(a for a in asked if isinstance(a, str)), *also])
    versions = {}
    for language in wanted:
        chosen = translate.order(data, language)
        picked = {p: chosen.pick(t)[1] for p, t in tables.items()}
        resume, found = _validate(translate.resolve(data, chosen), picked, text, path)
        problems += [p for p in found if p not in problems]
        if resume is not None:
            versions[language] = resume
    if problems:
        raise ContentError(f"{path}: {counted(len(problems), 'problem')} in the content", problems)
    for resume in versions.values():
        resume._translations, resume._content = versions, data
    return versions[default]


def _known_languages() -> list[str]:
    from cvpress import locales

    return locales.known()


def _located(message: str, loc: tuple, path: Path, lines: list[str], where: dict) -> Problem:
    line, col = find(where, loc) or (None, None)
    return Problem(message, str(path), line, col, format_path(loc), _line(lines, line or 0))


def _line(lines: list[str], line: int) -> str | None:
    return lines[line - 1] if 0 < line <= len(lines) else None


def _problem(err: dict, path: Path, lines: list[str], where: dict, picked: dict | None = None) -> Problem:
    """Turn one pydantic error into a located, plain-words Problem (in a translation table: at the
    translation that was validated, `picked` saying which)."""
    loc = tuple(part for part in err["loc"] if not _is_validator_tag(part))
    for end in range(len(loc), 0, -1):
        if loc[:end] in (picked or {}):
            loc = loc[:end] + (picked[loc[:end]],)
            break
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}" + _did_you_mean(loc)
    elif kind == "missing":
        message = f"required key {loc[-1]!r} is missing"
    elif kind == "string_type" and isinstance(value, dict):
        message = ('expected text in quotes, or a table of translations such as { en = "…", fr = "…" } '
                   "(its keys language tags, its values text)")
    else:
        message = _plain(kind, err, value)
        if not isinstance(value, (dict, list)):
            message += f" (found {_show(value)})"
    position = find(where, loc) if loc else None
    line, col = position if position else (None, None)
    return Problem(message, str(path), line, col, format_path(loc) or "(top level)", _line(lines, line or 0))


def _is_validator_tag(part) -> bool:
    # pydantic inserts function-validator names such as "function-before[...]" into locations
    return isinstance(part, str) and "[" in part and part.endswith("]")


_PLAIN = {
    "string_type": "expected text in quotes",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list [ … ]",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "model_attributes_type": "expected a table",
}


def _plain(kind: str, err: dict, value) -> str:
    ctx = err.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind] + _range(err["loc"])
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()))
        return f"expected a number {words} {bound}"
    if kind == "too_short":
        return f"expected at least {ctx['min_length']} item(s)"
    if kind == "literal_error":
        return f"expected one of {ctx['expected']}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"][0].lower() + err["msg"][1:]


def _range(loc: tuple) -> str:
    """` from 1 to 9` for a number field with both bounds (model constraints), else ``."""
    from cvpress.model import Resume

    parts = tuple(p for p in loc if not _is_validator_tag(p))
    model = _model_at(Resume, parts[:-1])
    field = model.model_fields.get(parts[-1]) if model and parts else None
    bounds = {name: getattr(m, name) for m in (field.metadata if field else []) for name in ("ge", "le")
              if hasattr(m, name)}
    return f" from {bounds['ge']} to {bounds['le']}" if len(bounds) == 2 else ""


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Keys of a role that JSON Resume puts on the work entry itself (a flat `[[work]]`)
_ROLE_KEYS = {"position", "startDate", "endDate", "highlights", "summary"}


def _did_you_mean(loc: tuple) -> str:
    """Suggest the closest allowed key for an unknown one."""
    from cvpress.model import Resume

    if len(loc) == 3 and loc[0] == "work" and isinstance(loc[1], int) and loc[2] in _ROLE_KEYS:
        return (f"; {loc[2]!r} belongs to a role: move it under a [[work.positions]] table below this "
                "[[work]] (an employer holds name, url, location; each role its position, dates, highlights)")

    allowed = _allowed_keys(Resume, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed keys: {', '.join(sorted(allowed))}" if allowed else ""


def _allowed_keys(model, parents: tuple) -> list[str]:
    """The keys a table at `parents` may hold, walking the model's type annotations."""
    current = _model_at(model, parents)
    return [f.alias or name for name, f in current.model_fields.items()] if current else []


def _model_at(model, parents: tuple):
    """The model class of the table at `parents` (None when it is not a model's table)."""
    import typing

    from pydantic import BaseModel

    current, keyed = model, False
    for part in parents:
        if isinstance(part, int) or keyed:  # list index, or a key of a dict like [variants.NAME]
            keyed = False
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        keyed = "dict[" in str(field.annotation)
        current = _model_in(field.annotation, typing, BaseModel)
        if current is None:
            return None
    return current


def _model_in(annotation, typing, base):
    """The first pydantic model class inside an annotation like list[Work] | None."""
    if isinstance(annotation, type) and issubclass(annotation, base):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg, typing, base)) is not None:
            return found
    return None


def untranslated(path: Path, resume, language: str) -> list[Problem]:
    """Each text of the content with no translation in `language`, located (`check --language`)."""
    from cvpress import translate

    found = translate.untranslated(resume, language)
    if not found:
        return []
    text = path.read_text(encoding="utf-8")
    where, lines = locate(text), text.splitlines()
    return [_located(f"no {language} translation: the {tag} text is used", loc, path, lines, where)
            for loc, tag in found]
