"""Reading a work record file for the commands: a path, or `-` for standard input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import OutputWrapper

from withpeople.domain.work_record import WorkRecord, WorkRecordInvalid, parse_work_record

#: The exit status for a record that cannot be used, as for a usage error.
INVALID = 2


def read_record(path: str, stderr: OutputWrapper) -> WorkRecord:
    """The parsed record, or write every problem to stderr, one a line, and exit with 2."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        stderr.write(f"{path}: cannot read the file ({error})")
        raise SystemExit(INVALID) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        stderr.write(f"record: is not valid JSON ({error}); check the file is a work record")
        raise SystemExit(INVALID) from None
    try:
        return parse_work_record(data)
    except WorkRecordInvalid as invalid:
        fail(invalid, stderr)


def fail(invalid: WorkRecordInvalid, stderr: OutputWrapper):
    for line in invalid.errors:
        stderr.write(line)
    raise SystemExit(INVALID)
