"""Problems as people and machines read them: text lines, JSON, or GitHub Actions annotations.

Everything in `console` turns library results into text for a terminal; nothing here does I/O
or imports click. Text and GitHub output pass paths and messages through `safe.clean`; JSON
output is escaped by json.dumps.
"""

from __future__ import annotations

import json

from ..problems import Problem, Report
from .safe import clean

FORMATS = ("text", "json", "github")


def problem_text(item: Problem) -> str:
    """One line per problem; the path and the message (which may quote a record's values) are
    cleaned of terminal control characters."""
    where = f"{clean(item.path)}:{item.line}:{item.column}" if item.line else clean(item.path)
    return f"{where}: {item.severity.value}: {clean(item.message)} [{item.code.value}]"


def summary(report: Report) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    counted = f" in {report.files_checked} files ({report.records_checked} records)" if report.files_checked else ""
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}{counted}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def problem_github(item: Problem) -> str:
    """A workflow command: ::error file=…,line=…,col=…,title=…::message"""
    props = [f"file={_escape_property(clean(item.path))}"]
    if item.line:
        props += [f"line={item.line}", f"col={item.column or 1}"]
    props.append(f"title={_escape_property(item.code.value)}")
    return f"::{item.severity.value} {','.join(props)}::{_escape_data(clean(item.message))}"


def report(report: Report, fmt: str = "text") -> str:
    items = report.sorted()
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(problem_github(p) for p in items)
    return "\n".join([*(problem_text(p) for p in items), summary(report)])
