"""The access-control table: who may open each URL, shared by every app.

Each app lists its URLs in `<app>/tests/access_cases.py` as `CASES = {url_name: Case(...)}`.
`tests/test_access.py` walks every URL pattern in the project and fails for any URL without a
case, so a new page cannot be added without saying who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTORS = ("anonymous", "outsider", "partner", "staff", "admin")
SIGN_IN = "sign-in"  # a redirect to the sign-in page
API_UNAUTHORISED = 401


@dataclass
class Context:
    """What a case may use to build its URL: an organisation, its members and an outsider."""

    organisation: Any
    members: dict[str, Any]
    outsider: Any
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """What each actor gets from one URL.

    `method` is "get", or "post" for an endpoint that only takes a POST. The walk then sends
    an empty form, or `data(ctx)` if given: for an API endpoint, the emptiest body that gets
    past parsing (no answers, an empty file), so the answer shows who may use it. Whoever
    sends it, nothing may be saved. `content_type` is for a JSON body.
    """

    expect: dict[str, int | str]
    kwargs: Callable[[Context], dict[str, Any]] = lambda ctx: {}
    query: str = ""
    method: str = "get"
    data: Callable[[Context], Any] = lambda ctx: {}
    content_type: str | None = None


def org(ctx: Context) -> dict[str, Any]:
    return {"org_slug": ctx.organisation.slug}


PUBLIC = dict.fromkeys(ACTORS, 200)
SIGNED_IN = {"anonymous": SIGN_IN, "outsider": 200, "partner": 200, "staff": 200, "admin": 200}
MEMBERS = {"anonymous": SIGN_IN, "outsider": 404, "partner": 200, "staff": 200, "admin": 200}
STAFF = {"anonymous": SIGN_IN, "outsider": 404, "partner": 403, "staff": 200, "admin": 200}
ADMINS = {"anonymous": SIGN_IN, "outsider": 404, "partner": 403, "staff": 403, "admin": 200}
API_SIGNED_IN = {"anonymous": 401, "outsider": 200, "partner": 200, "staff": 200, "admin": 200}
API_MEMBERS = {"anonymous": 401, "outsider": 404, "partner": 200, "staff": 200, "admin": 200}
#: An empty POST: those allowed are told what is missing (422); nobody else learns anything.
API_STAFF_POST = {"anonymous": 401, "outsider": 404, "partner": 403, "staff": 422, "admin": 422}
