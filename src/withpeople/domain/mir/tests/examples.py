"""Frameworks shared by the tests: the shipped default, and a small one for worked examples."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from withpeople.domain.mir.framework import Framework, load_framework_yaml, parse_framework
from withpeople.frameworks import default_framework_path

SMALL: dict[str, Any] = {
    "format": "withpeople.framework/1",
    "key": "small",
    "title": "A small framework",
    "themes": [
        {
            "key": "one",
            "title": "Theme one",
            "statements": [
                {"key": "a-i1", "kind": "I", "text": "First I statement.", "easy_read": "One."},
                {"key": "a-we1", "kind": "We", "text": "A We statement."},
                {"key": "a-i2", "kind": "I", "text": "Second I statement."},
            ],
        },
        {
            "key": "two",
            "title": "Theme two",
            "statements": [{"key": "b-i1", "kind": "I", "text": "Third I statement."}],
        },
    ],
}


def small_data() -> dict[str, Any]:
    """A fresh copy of the small framework's data, safe to change in a test."""
    return copy.deepcopy(SMALL)


SMALL_FRAMEWORK: Framework = parse_framework(SMALL)


@cache
def default_framework() -> Framework:
    return load_framework_yaml(default_framework_path().read_text(encoding="utf-8"))
