"""Replies: the turn's facts rendered through templates in templates/replies/.

The templates are plain text a non-programmer can edit; this module only picks the
template and hands it the facts.
"""

import re
from typing import Any

from django.template.loader import render_to_string

_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def render_reply(template: str, **context: Any) -> str:
    text = render_to_string(f"replies/{template}.txt", context)
    return _BLANK_LINES.sub("\n\n", text).strip()
