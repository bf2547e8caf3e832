from ninja import Schema

from withpeople.core.schemas import ErrorOut

__all__ = ["ErrorOut", "OrganisationOut"]


class OrganisationOut(Schema):
    slug: str
    name: str
    role: str
    perspective: str
