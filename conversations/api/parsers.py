"""A JSON parser that bounds what it reads and never lets odd input turn into a 500."""

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils.json import strict_constant

from conversations.api.errors import RequestTooLarge

# Ample for a 1,600-character message even with every character \u-escaped (12 bytes each).
MAX_BODY_BYTES = 64 * 1024


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        encoding = get_encoding(parser_context or {})
        raw = stream.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise RequestTooLarge()
        try:
            return json.loads(raw.decode(encoding), parse_constant=strict_constant)
        except (ValueError, LookupError, RecursionError) as error:  # bad JSON, bad encoding, absurd nesting
            raise ParseError("JSON no válido.") from error
