"""The versioned JSON API, `/api/v1/`, described by `/api/v1/openapi.json`.

Every organisation endpoint looks up the caller's membership with
`withpeople.organisations.access.membership_for`, the same rule the web pages use.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError

from withpeople.api.auth import API_AUTH
from withpeople.api.errors import document_errors, refuse_control_characters, validation_error
from withpeople.api.schemas import OrganisationOut
from withpeople.diversity.api import router as diversity_router
from withpeople.feedback.api import router as feedback_router
from withpeople.groups.api import router as groups_router
from withpeople.improvement.api import router as improvement_router
from withpeople.meetings.api import router as meetings_router
from withpeople.packs.api import router as packs_router
from withpeople.recognition.api import router as recognition_router
from withpeople.values.api import router as values_router
from withpeople.works.api import router as works_router


class WithPeopleAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = WithPeopleAPI(
    title="WithPeople API",
    version="1",
    description=(
        "Read and write WithPeople data for the organisations you belong to. Authenticate "
        "with a personal token from your account page: `Authorization: Bearer <token>`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url=None,
)
api.add_decorator(refuse_control_characters, mode="operation")
api.add_exception_handler(ValidationError, partial(validation_error, api=api))


@api.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
def list_organisations(request: HttpRequest):
    """The organisations you belong to, with your role and perspective in each."""
    memberships = request.auth.memberships.select_related("organisation").order_by(
        "organisation__name"
    )
    return [
        OrganisationOut(
            slug=m.organisation.slug,
            name=m.organisation.name,
            role=m.role,
            perspective=m.perspective,
        )
        for m in memberships
    ]


# Each app adds its endpoints through its own router.
for _router in (
    groups_router,
    values_router,
    works_router,
    feedback_router,
    improvement_router,
    recognition_router,
    meetings_router,
    diversity_router,
    packs_router,
):
    api.add_router("", _router)
