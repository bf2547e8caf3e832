from ninja import Schema


class OrganisationOut(Schema):
    slug: str
    name: str
    role: str
    perspective: str


class ErrorOut(Schema):
    detail: str
