"""Demo data. Each app adds its own through `register_demo_step`, run in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: A function(organisation, people); organisations live in an app above this one.
DemoStep = Callable[[Any, dict], None]


@dataclass(frozen=True)
class _Step:
    order: int
    name: str
    run: DemoStep


_STEPS: list[_Step] = []


def register_demo_step(name: str, *, order: int) -> Callable[[DemoStep], DemoStep]:
    """Register a function(organisation, people) that adds an app's demo data.

    `people` maps "admin", "staff" and "partner" to the demo users.
    """

    def decorator(func: DemoStep) -> DemoStep:
        if not any(step.name == name for step in _STEPS):
            _STEPS.append(_Step(order, name, func))
            _STEPS.sort(key=lambda step: step.order)
        return func

    return decorator


def demo_steps() -> list[_Step]:
    return list(_STEPS)
