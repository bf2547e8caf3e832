"""API endpoints for pieces of work, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["works"])
