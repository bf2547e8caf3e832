"""How the API answers when something is wrong, the same way on every endpoint.

* Every error body is an object with `detail`, a sentence; a 422 also has `errors`, one line
  per problem, whether ninja found the problem (a missing field, a wrong type) or our own
  checks did. So a 422 body matches the schema each endpoint documents for it.
* Every string an endpoint is given (the JSON body, the query and the path) is checked for
  characters that are not text (`withpeople.domain.input_text`) before the endpoint runs, and
  refused with 422, so none reaches the database (PostgreSQL cannot store NUL at all).
* Every status an endpoint can answer with is in the OpenAPI document: `document_errors`
  adds 400, 401, 403, 404 and 422 where they can happen.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from pydantic import BaseModel

from withpeople.core.schemas import ErrorOut, ProblemsOut
from withpeople.domain.input_text import refusal_words, refused_in


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value


def refuse_control_characters(operation):
    """An operation decorator: 422 if any value the endpoint is given holds a control character."""

    @wraps(operation)
    def checked(request: HttpRequest, *args, **kwargs):
        problems = [
            {"loc": where.split("."), "msg": refusal_words(found), "type": "control_character"}
            for where, found in refused_in({k: _plain(v) for k, v in kwargs.items()})
        ]
        if problems:
            raise ValidationError(problems)
        return operation(request, *args, **kwargs)

    return checked


def _line(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload"))
    message = str(error.get("msg", "is not valid"))
    return f"{where}: {message}" if where else message


def validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": "The request was not valid; nothing was saved.",
            "errors": [_line(error) for error in exc.errors],
        },
        status=422,
    )


_DESCRIPTIONS = {
    400: "The request body could not be read (it is not JSON, say).",
    401: "No valid API token, and not signed in.",
    403: "You may not do this: you are not staff or an admin, or a signed-in browser's "
    "CSRF token is missing.",
    404: "No such organisation (or you are not a member), or nothing with that key in it.",
    422: "The request was not valid; `errors` says why, one line per problem.",
}


def _ref(schema: type[BaseModel]) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{schema.__name__}"}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers each operation can give to the OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ProblemsOut):
        components.setdefault(
            model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}")
        )
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            has_body = "requestBody" in operation
            has_params = bool(operation.get("parameters")) or has_body
            statuses = [401]
            if has_body:
                statuses += [400, 403]
            if "{" in path:
                statuses.append(404)
            if has_params:
                statuses.append(422)
            responses = operation["responses"]
            for status in statuses:
                if str(status) in responses or status in responses:
                    continue
                responses[status] = {
                    "description": _DESCRIPTIONS[status],
                    "content": {
                        "application/json": {
                            "schema": _ref(ProblemsOut if status == 422 else ErrorOut)
                        }
                    },
                }
    return schema
