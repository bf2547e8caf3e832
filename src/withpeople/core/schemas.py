"""API schemas shared by the apps' routers, which sit above the API that mounts them."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class ProblemsOut(Schema):
    """What every 422 answer of the API says: in a sentence, and one line per problem."""

    detail: str
    errors: list[str]
