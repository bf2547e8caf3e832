"""API endpoints for privacy, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["privacy"])
