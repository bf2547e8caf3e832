"""API endpoints for groups, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["groups"])
