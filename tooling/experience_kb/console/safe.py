"""Content made safe to print on a terminal.

Titles, snippets, paths and messages that quote values come from records that anyone can
contribute. An escape character in them (ESC, U+001B) starts a terminal control sequence that
can recolour, move the cursor, rewrite earlier lines or set the window title; other controls and
the invisible direction overrides can hide or reorder what is shown. `clean` writes each such
character as a visible escape instead (`\\x1b`, `\\u202e`), and keeps line feeds and tabs. Apply it
to each piece of content before our own styling is added, so that our bold still works.
"""

from __future__ import annotations

# C0 controls except tab (U+0009) and line feed (U+000A), DEL, C1 controls, and the direction
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_UNSAFE = [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
           *range(0x2066, 0x206A)]
_TABLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _UNSAFE}


def clean(text: str) -> str:
    """`text` with every control character (but line feed and tab) and every invisible direction
    control written as a visible escape, e.g. ESC as the four characters \\x1b."""
    return text.translate(_TABLE) if not text.isprintable() else text
