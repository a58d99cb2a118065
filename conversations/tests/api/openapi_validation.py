"""Check real API answers against the served OpenAPI 3.0 document, strictly.

jsonschema speaks JSON Schema, not OpenAPI 3.0: `nullable` becomes a union with null, component references
point into `$defs`, and every documented object refuses properties it does not document, so a field the API
returns without the schema saying so fails the check.
"""

import copy
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

COMPONENTS = "#/components/schemas/"


def _to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {name: _to_json_schema(value) for name, value in node.items()}
    if isinstance(node.get("$ref"), str) and node["$ref"].startswith(COMPONENTS):
        node["$ref"] = "#/$defs/" + node["$ref"].removeprefix(COMPONENTS)
    if "properties" in node and node.get("type") == "object":
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def response_validator(schema: dict[str, Any], path: str, method: str, status: int) -> Draft202012Validator:
    """A validator for the JSON answer `status` of `method path` as the document describes it."""
    responses = schema["paths"][path][method]["responses"]
    body = responses[str(status)]["content"]["application/json"]["schema"]
    definitions = _to_json_schema(copy.deepcopy(schema["components"]["schemas"]))
    return Draft202012Validator({**_to_json_schema(body), "$defs": definitions}, format_checker=FormatChecker())


def schema_errors(validator: Draft202012Validator, answer: Any) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(answer)]
