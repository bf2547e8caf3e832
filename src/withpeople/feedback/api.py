"""API endpoints for feedback, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["feedback"])
