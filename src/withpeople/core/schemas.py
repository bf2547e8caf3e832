"""API schemas shared by the apps' routers, which sit above the API that mounts them."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str
