"""Escaping free text for the report's formats: every rationale, title, name, note and piece of
advice is someone's typing, and must print as text, never as markup.

Who calls it: the Markdown and HTML renderers (:mod:`after_action.report.render`), once per
piece of text. Markdown: line breaks become spaces (no forged heading or list can start a line)
and every character CommonMark could read as markup or raw HTML is backslash-escaped. HTML:
``html.escape`` with quotes, so text is safe in elements and in attributes alike.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!{}])")
_SPACE = re.compile(r"\s+")


def md(text: object) -> str:
    """One line of Markdown that shows ``text`` literally."""
    flat = _SPACE.sub(" ", str(text)).strip()
    return _MD_SPECIAL.sub(r"\\\1", flat)


def htm(text: object) -> str:
    """``text`` as HTML character data (safe inside attribute values too)."""
    return html.escape(str(text), quote=True)
