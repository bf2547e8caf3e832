"""API endpoints for improvement, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["improvement"])
