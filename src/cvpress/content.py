"""Stage 1: read content.toml and validate it into a Resume, reporting every problem at once."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from cvpress.errors import ContentError, Problem
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
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        match = _TOML_POS.match(str(e))
        if not match:
            raise ContentError(f"{path}: invalid TOML: {e}") from e
        line, col = int(match["line"]), int(match["col"])
        problem = Problem(
            f"invalid TOML: {match['msg']}", str(path), line, col, source=_line(text.splitlines(), line)
        )
        raise ContentError(f"{path} is not valid TOML", [problem]) from e


def load(path: Path):
    """Read and validate a content file into a Resume model."""
    from pydantic import ValidationError

    from cvpress import variants
    from cvpress.model import Resume

    text, data = read(path)
    try:
        resume = Resume.model_validate(data)
    except ValidationError as e:
        where, lines = locate(text), text.splitlines()  # once for all problems: linear in their number
        problems = [_problem(err, path, lines, where) for err in e.errors()]
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise ContentError(f"{path}: {count} in the content", problems) from e
    if found := variants.problems(resume):  # recipes checked against the content
        where, lines = locate(text), text.splitlines()
        problems = [_located(message, loc, path, lines, where) for loc, message in found]
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise ContentError(f"{path}: {count} in the variants", problems)
    return resume


def _located(message: str, loc: tuple, path: Path, lines: list[str], where: dict) -> Problem:
    line, col = find(where, loc) or (None, None)
    return Problem(message, str(path), line, col, format_path(loc), _line(lines, line or 0))


def _line(lines: list[str], line: int) -> str | None:
    return lines[line - 1] if 0 < line <= len(lines) else None


def _problem(err: dict, path: Path, lines: list[str], where: dict) -> Problem:
    """Turn one pydantic error into a located, plain-words Problem."""
    loc = tuple(part for part in err["loc"] if not _is_validator_tag(part))
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}" + _did_you_mean(loc)
    elif kind == "missing":
        message = f"required key {loc[-1]!r} is missing"
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
        return _PLAIN[kind]
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"expected a number {words} {bound}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length', 1)} item(s)"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"][0].lower() + err["msg"][1:]


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _did_you_mean(loc: tuple) -> str:
    """Suggest the closest allowed key for an unknown one."""
    from cvpress.model import Resume

    allowed = _allowed_keys(Resume, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed keys: {', '.join(sorted(allowed))}" if allowed else ""


def _allowed_keys(model, parents: tuple) -> list[str]:
    """The keys a table at `parents` may hold, walking the model's type annotations."""
    import typing

    from pydantic import BaseModel

    current, keyed = model, False
    for part in parents:
        if isinstance(part, int) or keyed:  # list index, or a key of a dict like [variants.NAME]
            keyed = False
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        keyed = "dict[" in str(field.annotation)
        current = _model_in(field.annotation, typing, BaseModel)
        if current is None:
            return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_in(annotation, typing, base):
    """The first pydantic model class inside an annotation like list[Work] | None."""
    if isinstance(annotation, type) and issubclass(annotation, base):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg, typing, base)) is not None:
            return found
    return None
