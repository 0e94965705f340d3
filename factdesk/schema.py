"""The OpenAPI schema tells the truth about failures: every operation documents the error
answers the API can give, each with the body `{"error", "detail", "request_id"}`."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "a stable code, e.g. not_found"},
        "detail": {"description": "what went wrong, in words (for 400: per field)"},
        "request_id": {"type": "string", "description": "quote it when reporting a problem"},
    },
    "required": ["error", "detail", "request_id"],
    "additionalProperties": True,
}
ERRORS = {
    "400": "The input is invalid (fields named in the body), or the JSON is malformed or too deep.",
    "401": "No valid credentials were given.",
    "403": "The caller's role does not allow this.",
    "404": "No such object (or page).",
    "429": "Too many requests: wait for the time given in Retry-After.",
    "503": "The database or the task broker is down: try again after Retry-After seconds.",
}
WRITE_ERRORS = {
    "409": "The object's state or version does not allow this (reload and retry).",
    "413": "The request body is larger than the limit.",
}


def document_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ERRORS)
            if method in {"post", "put", "patch", "delete"}:
                errors.update(WRITE_ERRORS)
            for code, description in errors.items():
                documented = operation["responses"].setdefault(code, {"description": description})
                documented.setdefault("content", {"application/json": {"schema": reference}})
    return result
