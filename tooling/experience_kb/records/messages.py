"""Schema errors as plain-language messages, each at its line.

`validate_document` runs a jsonschema validator over parsed YAML and turns every error into a
`Problem` that a contributor can act on: which field, what is wrong, and, for an unknown field,
the field that was probably meant.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, Callable

from ..problems import Code, Problem, problem
from . import schema as schema_module

if TYPE_CHECKING:
    import jsonschema


MAX_UNKNOWN = 20  # unknown fields listed one by one per mapping; the rest are counted


def dotted(path) -> str:
    """A path such as ('stakeholders', 0, 'role') written as stakeholders[0].role."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "front matter"


def did_you_mean(value: str, choices) -> str:
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of fields", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "empty"}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


def _message(error: "jsonschema.ValidationError") -> str:
    where = dotted(error.absolute_path)
    kind, schema, value = error.validator, error.schema, error.instance
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"the required field '{missing}' is missing" + ("" if not error.absolute_path else f" in {where}")
    if kind == "type":
        expected = schema.get("type")
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        return f"{where} must be {names}, not {_describe(value)}"
    if kind == "pattern":
        hint = schema.get("description", f"it must match {schema.get('pattern')}")
        return f"{where}: {value!r} is not valid. {hint}"
    if kind in ("minimum", "maximum"):
        hint = schema.get("description") or f"it must be {'at least' if kind == 'minimum' else 'at most'} " \
                                            f"{schema[kind]}"
        return f"{where}: {value!r} is not valid. {hint}"
    if kind == "minLength":
        return f"{where} must not be empty"
    if kind == "maxLength":
        return f"{where} is too long ({len(value)} characters; at most {schema['maxLength']})"
    if kind == "minItems":
        return f"{where} needs at least {schema['minItems']} item(s)"
    if kind == "uniqueItems":
        return f"{where} lists the same item twice"
    if kind == "const":
        return f"{where} must be {schema['const']!r}, not {value!r}"
    return f"{where}: {error.message}"


def validate_record(type_name: str, data: dict, fm, display: str, skip: tuple = ()) -> list[Problem]:
    """Schema problems of one record. Valid records (the usual case) take the compiled fast path."""
    return check_document(schema_module.fast(type_name), lambda: schema_module.validator(type_name), data, fm,
                          display, skip)


def check_document(fast: Callable[[Any], Any], validator: Callable[[], Any], data: Any, fm, display: str,
                   skip: tuple = ()) -> list[Problem]:
    """[] when the compiled `fast` validator accepts `data`; else every problem, from jsonschema."""
    import fastjsonschema

    try:
        fast(data)
        return []
    except fastjsonschema.JsonSchemaException:
        return validate_document(validator(), data, fm, display, skip)


def validate_document(validator: Any, data: dict, fm, display: str, skip: tuple = ()) -> list[Problem]:
    """Schema problems of one document, each at its line. `skip` lists top-level fields already reported.

    A misspelt required field gives one problem, not two: the unknown field that suggests it
    is reported, and the "required field missing" that follows from it is not.
    """
    errors = [e for e in validator.iter_errors(data) if not (e.absolute_path and e.absolute_path[0] in skip)]
    problems, suggested = [], set()
    for error in errors:
        if error.validator != "additionalProperties":
            continue
        path, known = tuple(error.absolute_path), error.schema.get("properties", {})
        unknown = [key for key in error.instance if key not in known]
        for key in unknown[:MAX_UNKNOWN]:
            hint = did_you_mean(key, known)
            if hint:
                suggested.add((path, hint.split("'")[1]))
            line, col = fm.locate(path + (key,), key=True)
            problems.append(problem(Code.UNKNOWN_FIELD, display, line, col,
                                    f"unknown field '{dotted(path + (key,))}'{hint}"))
        if len(unknown) > MAX_UNKNOWN:
            line, col = fm.locate(path + (unknown[MAX_UNKNOWN],), key=True)
            problems.append(problem(Code.UNKNOWN_FIELD, display, line, col,
                                    f"and {len(unknown) - MAX_UNKNOWN:,} more unknown fields in "
                                    f"{dotted(path)} from here on; see docs/fields.md for the fields of each type"))
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            continue
        if error.validator == "required" and any(
                (path, name) in suggested for name in error.validator_value if name not in error.instance):
            continue
        line, col = fm.locate(path, key=error.validator == "required")
        problems.append(problem(Code.SCHEMA, display, line, col, _message(error)))
    return problems
