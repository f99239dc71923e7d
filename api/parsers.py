"""The API's JSON parser, with limits so odd input is a 400, never a 500.

Python's ``json`` recurses once per nesting level: a body of ten thousand ``[`` raises
RecursionError (a 500) before any serializer sees it. No Caseflow payload nests more
than a few levels, so anything deeper than ``MAX_DEPTH`` is refused before parsing, as is
a NUL character in any string (PostgreSQL's text types cannot store it).
"""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep is not accepted"
NUL_IN_JSON = "JSON strings must not contain the NUL character (\\u0000)"


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, ignoring brackets in strings."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _has_nul(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - the body is not {encoding}") from exc
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        try:
            data = json.loads(text, parse_constant=self._refuse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if _has_nul(data):
            raise ParseError(NUL_IN_JSON)
        return data

    @staticmethod
    def _refuse_constant(name):
        # NaN and Infinity are not JSON (DRF's strict mode refuses them the same way).
        raise ValueError(f"{name} is not valid JSON")
