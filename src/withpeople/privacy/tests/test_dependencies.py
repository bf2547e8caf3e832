"""Each app's part of a person's data uses that app's own functions directly: if one of them
cannot be imported, the code stops with an error instead of quietly leaving access needs or
payments out of a person's data, or leaving their bank details behind after erasure."""

from __future__ import annotations

import importlib
import sys

import pytest


@pytest.mark.parametrize(
    ("module", "broken"),
    [
        ("withpeople.recognition.personal_data", "withpeople.recognition.selectors"),
        ("withpeople.recognition.personal_data", "withpeople.recognition.services"),
        ("withpeople.groups.personal_data", "withpeople.groups.services"),
        ("withpeople.privacy.retention", "withpeople.recognition.services"),
        ("withpeople.values.selectors", "withpeople.recognition.selectors"),
    ],
)
def test_a_broken_import_is_an_error_not_a_silent_gap(monkeypatch, module, broken):
    for name in ("withpeople.privacy.selectors", "withpeople.privacy.services", module):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delitem(sys.modules, "withpeople.privacy.retention", raising=False)
    # None in sys.modules makes importing that module raise ImportError.
    monkeypatch.setitem(sys.modules, broken, None)
    with pytest.raises(ImportError):
        importlib.import_module(module)
