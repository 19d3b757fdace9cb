"""Writing MyST safely: text from front matter escaped so that Markdown never reads it as syntax,
and a record's body made to sit inside a page.

Bodies are the contributors' Markdown and stay Markdown; what they could do to the page
around them is taken away here: their headings move so that the highest is a level-2 heading
(the page title is the only level-1 heading), and a code fence they leave open is closed, so it
cannot swallow what the page puts after the body.
"""

from __future__ import annotations

import re

from ..records import bodies

_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def escape(text: str) -> str:
    """`text` as literal MyST inline text: one line, every ASCII punctuation mark escaped."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def body(markdown: str) -> str:
    """A record body ready to sit between the page's parts (see `records.bodies.fit`)."""
    return bodies.fit(markdown)


def outer_fence(text: str) -> str:
    """A colon fence longer than any in `text`, to wrap it in a directive it cannot close."""
    longest = max((len(m.group(0)) for m in re.finditer(r":{3,}", text)), default=0)
    return ":" * max(4, longest + 1)
