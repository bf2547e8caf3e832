"""Reading a work record file and printing its assessment, for the commands.

Nothing here imports Django, directly or through the modules it uses: `withpeople assess` runs
this before Django starts (see `withpeople.cli`), so that assessing a file takes a fraction of a
second and needs no settings, secret key or database. The `assess` and `import-work` management
commands call the same functions, so every way in gives the same output, the same messages and
the same exit statuses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn, TextIO

from withpeople.domain.assessment import ASPECT_FLAGS, WORK_FLAGS, assess
from withpeople.domain.ladder import RUNG_BY_SLUG
from withpeople.domain.suppression import CHECKIN_THRESHOLD
from withpeople.domain.work_record import WorkRecord, WorkRecordInvalid, parse_work_record_json

#: The exit status for a record that cannot be used, as for a usage error.
INVALID = 2


def read_record(path: str, stderr: TextIO) -> WorkRecord:
    """The parsed record from a file, or `-` for standard input; otherwise write every problem
    to `stderr`, one a line, and exit with status 2."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        stderr.write(f"{path}: cannot read the file ({error})\n")
        raise SystemExit(INVALID) from None
    try:
        return parse_work_record_json(text)
    except WorkRecordInvalid as invalid:
        fail(invalid, stderr)


def fail(invalid: WorkRecordInvalid, stderr: TextIO) -> NoReturn:
    """Write every problem of a record to `stderr`, one a line, and exit with status 2."""
    for line in invalid.errors:
        stderr.write(f"{line}\n")
    raise SystemExit(INVALID)


def _rung(slug: str | None, missing: str) -> str:
    # The domain's English name: this runs without Django, so nothing here is translated.
    return RUNG_BY_SLUG[slug].name if slug else missing


def assessment_text(record: WorkRecord, assessment: dict[str, Any]) -> str:
    """The assessment as plain text for people to read."""
    lines = [record.title, "=" * len(record.title), ""]
    hidden = f"not shown (fewer than {CHECKIN_THRESHOLD} answers)"
    for plan, result in zip(record.aspects, assessment["aspects"], strict=True):
        lines.append(plan.name)
        lines.append(f"  Planned:               {_rung(result['intended'], '')}")
        if plan.reason:
            lines.append(f"  Why it steps down:     {plan.reason.explanation}")
        lines.append(f"  Evidence shows:        {_rung(result['evidenced'], 'no rung yet')}")
        lines.append(f"  Partners think:        {_rung(result['perceived']['partners'], hidden)}")
        lines.append(f"  Staff think:           {_rung(result['perceived']['staff'], hidden)}")
        for line in result["why"]:
            lines.append(f"  - {line}")
        for flag in result["flags"]:
            lines.append(f"  ! {ASPECT_FLAGS[flag].title}: {ASPECT_FLAGS[flag].explanation}")
        lines.append("")
    for flag in assessment["work"]["flags"]:
        lines.append(f"! {WORK_FLAGS[flag].title}: {WORK_FLAGS[flag].explanation}")
    return "\n".join(lines).rstrip() + "\n"


def assess_file(path: str, *, as_json: bool, stdout: TextIO, stderr: TextIO) -> None:
    """`withpeople assess FILE [--json]`: print the assessment of a record, saving nothing.

    For a record that cannot be used, write every problem to `stderr` and exit with status 2.
    """
    record = read_record(path, stderr)
    assessment = assess(record)
    if as_json:
        stdout.write(json.dumps(assessment, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(assessment_text(record, assessment))
