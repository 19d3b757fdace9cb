"""Unsafe content in a record is found by parsing it (checks/content.py, checks/html_rules.py):
each case is one small body or front-matter edit of a copy of good/minimal, with the code and the
exact file line it must be reported at, and nothing else of its kind; harmless content passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from experience_kb.checks import content
from experience_kb.checks.html_rules import html_tags, unsafe_html, url_scheme
from experience_kb.checks.validate import validate
from experience_kb.problems import Code

LESSON = "lessons/plain-language.en.md"
STAKEHOLDER = "stakeholders/forest-roundtable.en.md"
SAFETY = {Code.UNSAFE_HTML, Code.UNSAFE_DIRECTIVE, Code.CONTROL_CHARACTER}
BODY_FIRST_LINE = 19  # the lesson's body starts on file line 19; the cases' bodies start with "Intro.\n\n"
HTML, DIRECTIVE, CONTROL = Code.UNSAFE_HTML, Code.UNSAFE_DIRECTIVE, Code.CONTROL_CHARACTER


def with_body(copy_fixture, body: str) -> Path:
    root = copy_fixture("good/minimal")
    path = root / LESSON
    text = path.read_text(encoding="utf-8")
    head = text[:text.index("\n---\n") + len("\n---\n")]
    assert head.count("\n") + 1 == BODY_FIRST_LINE
    path.write_text(head + "Intro.\n\n" + body, encoding="utf-8")
    return root


def with_front_matter(copy_fixture, relpath: str, old: str, new: str) -> Path:
    root = copy_fixture("good/minimal")
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def safety_problems(root: Path, relpath: str) -> set[tuple[Code, int]]:
    return {(p.code, p.line) for p in validate(root).problems
            if p.code in SAFETY and Path(p.path).as_posix().endswith(relpath)}


# (id, body after "Intro.\n\n", code, line counted from the body's first line "Intro." = 1)
BODY_CASES = [
    ("script", "<script>alert(1)</script>\n", HTML, 3),
    ("img-slash-onerror", "Text <img/src=x/onerror=alert(1)> here.\n", HTML, 3),
    ("img-onerror", "Then <img src=\"x\" onerror=\"alert(1)\"> here.\n", HTML, 3),
    ("iframe-srcdoc", "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>\n", HTML, 3),
    ("svg-onload", "A picture <svg onload=alert(1)> here.\n", HTML, 3),
    ("style", "<style>body { display: none }</style>\n", HTML, 3),
    ("form-formaction", "<form><button formaction=javascript:alert(1)>Go</button></form>\n", HTML, 3),
    ("href-tab-entity", "A <a href=\"jav&#x09;ascript:alert(1)\">link</a>.\n", HTML, 3),
    ("href-decimal-entity", "A <a href=\"&#106;avascript:alert(1)\">link</a>.\n", HTML, 3),
    ("markdown-javascript", "[x](javascript:alert(1))\n", HTML, 3),
    ("markdown-mixed-case-space", "[x]( JaVaScRiPt:alert(1))\n", HTML, 3),
    ("markdown-raw-tab", "[x](java\tscript:alert(1))\n", HTML, 3),
    ("markdown-entity", "[x](&#106;avascript:alert(1))\n", HTML, 3),
    ("autolink", "<javascript:alert(1)>\n", HTML, 3),
    ("reference", "See [x][r].\n\n[r]: javascript:alert(1)\n", HTML, 5),
    ("image-data", "![i](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n", HTML, 3),
    ("vbscript", "[x](vbscript:msgbox(1))\n", HTML, 3),
    ("second-line-of-paragraph", "First line\nsecond [x](javascript:alert(1)) line\n", HTML, 4),
    ("html-block-second-line", "<div>\n<p>ok</p>\n<script>alert(1)</script>\n</div>\n", HTML, 5),
    ("style-attribute", "<p style=\"background: url(javascript:alert(1))\">x</p>\n", HTML, 3),
    ("css-escape", "<p style=\"background: url(\\6a avascript:alert(1))\">x</p>\n", HTML, 3),
    ("srcset-data", "<img srcset=\"a.png 1x, data:image/svg+xml;base64,PHN2Zz4= 2x\">\n", HTML, 3),
    ("noscript", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>\n", HTML, 3),
    ("meta-refresh", "<meta http-equiv=\"refresh\" content=\"0;url=https://example.org\">\n", HTML, 3),
    ("base", "<base href=\"https://example.org/\">\n", HTML, 3),
    ("in-a-table", "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | x |\n", HTML, 5),
    ("in-a-list", "- one\n- two <script>alert(1)</script>\n", HTML, 4),
    ("raw-fence", "```{raw} html\n<b>x</b>\n```\n", DIRECTIVE, 3),
    ("include-fence", "```{include} /etc/passwd\n```\n", DIRECTIVE, 3),
    ("literalinclude-fence", "```{literalinclude} ../../secret\n```\n", DIRECTIVE, 3),
    ("tilde-raw-fence", "~~~{raw} html\n<b>x</b>\n~~~\n", DIRECTIVE, 3),
    ("raw-colon-fence", ":::{raw} html\n<b>x</b>\n:::\n", DIRECTIVE, 3),
    ("eval-rst-raw", "```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```\n", DIRECTIVE, 4),
    ("eval-rst-include", "```{eval-rst}\n.. include:: /etc/passwd\n```\n", DIRECTIVE, 4),
    ("eval-rst-csv-file", "```{eval-rst}\n.. csv-table:: Secrets\n   :file: /etc/passwd\n```\n", DIRECTIVE, 5),
    ("eval-rst-javascript", "```{eval-rst}\nA `link <javascript:alert(1)>`_ here.\n```\n", HTML, 4),
    ("csv-table-url", "```{csv-table} Data\n:url: https://example.org/data.csv\n```\n", DIRECTIVE, 4),
    ("nested-in-note", ":::{note}\nA note.\n\n```{raw} html\n<b>x</b>\n```\n:::\n", DIRECTIVE, 6),
    ("html-in-note", "```{note}\nA note <script>alert(1)</script>.\n```\n", HTML, 4),
    ("raw-html-role", "Say {raw-html}`<b>x</b>` here.\n", DIRECTIVE, 3),
    ("eval-rst-role", "Say {eval-rst}`:raw-html:\\`x\\`` here.\n", DIRECTIVE, 3),
]


@pytest.mark.parametrize("body, code, line", [case[1:] for case in BODY_CASES], ids=[c[0] for c in BODY_CASES])
def test_unsafe_body_is_found_at_its_line(copy_fixture, body, code, line):
    root = with_body(copy_fixture, body)
    assert safety_problems(root, LESSON) == {(code, BODY_FIRST_LINE + line - 1)}


# (id, file, text replaced, replacement, code, file line)
FRONT_MATTER_CASES = [
    ("title-nul", LESSON, "title: Use plain language", 'title: "Use\\x00plain language"', CONTROL, 3),
    ("title-escape", LESSON, "title: Use plain language", 'title: "Use \\e[31mplain\\e[0m language"', CONTROL, 3),
    ("summary-bidi", LESSON, "summary: Technical", "summary: \u202eTechnical", CONTROL, 4),
    ("summary-c1", LESSON, "summary: Technical information must be simple.", 'summary: "\\x9bTechnical"', CONTROL,
     4),
    ("title-line-break", LESSON, "title: Use plain language", 'title: "Use plain\\nlanguage"', CONTROL, 3),
    ("title-script", LESSON, "title: Use plain language", "title: </title><script>alert(1)</script>", HTML, 3),
    ("title-bold", LESSON, "title: Use plain language", "title: Use <b>plain</b> language", HTML, 3),
    ("nested-source-title", LESSON, "  - title: Fixture source", '  - title: "<img src=x onerror=alert(1)>"',
     HTML, 16),
    ("website-javascript", STAKEHOLDER, "website: https://example.org/frt/", "website: javascript:alert(1)", HTML, 11),
    ("website-spaced", STAKEHOLDER, "website: https://example.org/frt/", 'website: " jav\\tascript:alert(1)"',
     HTML, 11),
]


@pytest.mark.parametrize("relpath, old, new, code, line", [case[1:] for case in FRONT_MATTER_CASES],
                         ids=[c[0] for c in FRONT_MATTER_CASES])
def test_unsafe_front_matter_is_found_at_its_line(copy_fixture, relpath, old, new, code, line):
    root = with_front_matter(copy_fixture, relpath, old, new)
    assert safety_problems(root, relpath) == {(code, line)}


SAFE_BODIES = {
    "not-a-tag": "The <comunidad> decided, and a < b holds.\n",
    "harmless-tags": "Some <b>bold</b> text<br>and <i>more</i>, <sup>1</sup>.\n\n<div align=\"center\">x</div>\n",
    "code-fence": "```python\nprint('<script>alert(1)</script>')\n```\n",
    "indented-code": "    <script>alert(1)</script>\n",
    "code-span": "Write `<script>` and `[x](javascript:y)` as code.\n",
    "escaped": "Write &lt;script&gt; or \\<script> as text.\n",
    "https-link": "[site](https://example.org/a?b=1&c=2) and <https://example.org>\n",
    "mailto": "[mail](mailto:someone@example.org) and <someone@example.org>\n",
    "anchor-and-relative": "[up](#anchor), [other](../lessons/other.md) and ![pic](images/pic.png)\n",
    "html-link": "<a href=\"https://example.org/online=1\">x</a> <img src=\"pic.png\" alt=\"a picture\">\n",
    "directive": ":::{note}\nA note with **bold** and [a link](https://example.org).\n:::\n\n"
                 "```{code-block} html\n<script>x</script>\n```\n",
    "rst-in-code": "```rst\n.. raw:: html\n```\n",
    "eval-rst-plain": "```{eval-rst}\n.. note:: Just a note with `a link <https://example.org>`_.\n```\n",
    "ordinary-role": "See {ref}`a-target` and {abbr}`MSP (multi-stakeholder platform)`.\n",
    "words": "javascript, vbscript and data: are words here; so is &#169; an entity.\n",
}


@pytest.mark.parametrize("body", SAFE_BODIES.values(), ids=SAFE_BODIES.keys())
def test_harmless_body_passes(copy_fixture, body):
    assert validate(with_body(copy_fixture, body)).problems == []


@pytest.mark.parametrize("old, new", [
    ("title: Use plain language", "title: Use <comunidad> language"),
    ("summary: Technical information must be simple.", "summary: 'a < b, and b > c'"),
    ("summary: Technical information must be simple.", "summary: |\n  Two lines\n  of summary."),
    ("summary: Technical information must be simple.", "summary: \"A\\ttab is fine\""),
], ids=["not-a-tag", "comparison", "multi-line-summary", "tab"])
def test_harmless_front_matter_passes(copy_fixture, old, new):
    assert validate(with_front_matter(copy_fixture, LESSON, old, new)).problems == []


def test_every_finding_is_reported_up_to_the_limit(copy_fixture):
    body = "".join(f"Line <script>alert({i})</script>\n\n" for i in range(30))
    problems = [p for p in validate(with_body(copy_fixture, body)).problems if p.code in SAFETY]
    assert len(problems) == content.MAX_FINDINGS
    assert [p.line for p in problems] == [BODY_FIRST_LINE + 2 + 2 * i for i in range(content.MAX_FINDINGS)]


def test_findings_of_one_line_keep_their_columns(copy_fixture):
    root = with_body(copy_fixture, "A [x](javascript:a) and [y](vbscript:b).\n")
    found = [(p.line, p.column) for p in validate(root).problems if p.code in SAFETY]
    assert found == [(BODY_FIRST_LINE + 2, 7), (BODY_FIRST_LINE + 2, 29)]  # at each address


def test_messages_say_what_and_what_to_do(copy_fixture):
    root = with_body(copy_fixture, "![i](data:image/png;base64,AAAA)\n\n```{include} secret.md\n```\n")
    messages = {p.code: p.message for p in validate(root).problems}
    assert "data:" in messages[HTML] and "images included" in messages[HTML] and "https://" in messages[HTML]
    assert "{include}" in messages[DIRECTIVE] and "Markdown" in messages[DIRECTIVE]


def test_bodies_without_markers_are_not_parsed(monkeypatch, copy_fixture):
    monkeypatch.setattr(content, "_parser", lambda: pytest.fail("parsed a body without markers"))
    assert validate(copy_fixture("good/minimal")).problems == []


@pytest.mark.parametrize("url, scheme", [
    ("jav&#x09;ascript:alert(1)", "javascript"), ("java\tscript:x", "javascript"), ("&#106;avascript:x", "javascript"),
    ("JaVaScRiPt:x", "javascript"), (" javascript:x", "javascript"), ("javascript&colon;x", "javascript"),
    ("\x01vbscript:x", "vbscript"), ("DATA:text/html,x", "data"), ("https://example.org", None),
    ("mailto:a@example.org", None), ("#top", None), ("../a.md", None), ("%6Aavascript:x", None),
])
def test_url_scheme(url, scheme):
    assert url_scheme(url) == scheme


def test_html_rules_directly():
    assert unsafe_html("<b>x</b><br><comunidad>") == []
    assert [f.line for f in unsafe_html("<p>\nok\n<embed src=x>")] == [3]
    assert unsafe_html("<![foo bar> <a\n" + "x" * 5000 + ">")[0].what.startswith("an HTML tag longer than")
    assert unsafe_html("<a title=\"x>\" onclick=y>")  # a quoted > does not end the tag
    assert unsafe_html("<b <img src=x onerror=y") == []  # open until the end: no tag, as in browsers
    assert html_tags("a < b and <comunidad>") is None
    assert html_tags("x <unknown data-x=1>") == "<unknown data-x=1>"
