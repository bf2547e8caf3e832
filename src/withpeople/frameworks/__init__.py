"""Frameworks of I and We statements shipped with WithPeople, as data files.

``default.yaml`` is Making It Real's six themes with statements in WithPeople's own words. An
organisation can load the official Making It Real wording, or its own, in the same format.
"""

from pathlib import Path


def default_framework_path() -> Path:
    """Where the shipped default framework file is, wherever the package is installed."""
    return Path(__file__).with_name("default.yaml")
