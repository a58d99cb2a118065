"""Replies: the turn's facts rendered through templates in templates/replies/.

The templates are plain text a non-programmer can edit; this module only picks the
template and hands it the facts.
"""

import re
from typing import Any

from django.template import engines

_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def render_reply(template: str, **context: Any) -> str:
    text = engines["replies"].get_template(f"replies/{template}.txt").render(context)
    return _BLANK_LINES.sub("\n\n", text).strip()
