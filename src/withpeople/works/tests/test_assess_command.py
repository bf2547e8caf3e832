"""`withpeople assess` runs before Django starts, and says exactly what the Django command says."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from withpeople.domain.tests.test_work_record import valid_record

#: Nothing Django needs: no settings module, no DEBUG, no secret key, no database.
WITHOUT_DJANGO_SETTINGS = ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DATABASE_URL")


def run_withpeople(
    *arguments: str, stdin: str | None = None, settings: dict[str, str] | None = None
) -> tuple[int, str, str, set[str]]:
    """Run `withpeople ARGUMENTS` as people do, in a new process, with Python reporting every
    module it imports (`-X importtime`). Gives the exit status, standard output, the command's
    own standard error, and the top-level packages imported."""
    environment = {k: v for k, v in os.environ.items() if k not in WITHOUT_DJANGO_SETTINGS}
    environment.update(settings or {})
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "withpeople.cli", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    errors, imported = [], set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:"):
            module = line.rsplit("|", 1)[1].strip()
            imported.add(module.split(".")[0])
        else:
            errors.append(line)
    return done.returncode, done.stdout, "".join(f"{line}\n" for line in errors), imported


def django_command(*arguments: str) -> tuple[int, str, str]:
    """The same, through Django's management command."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*arguments, stdout=out, stderr=err)
    except SystemExit as exited:
        return exited.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _write(tmp_path, data) -> str:
    path = tmp_path / "record.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_assess_needs_no_django_and_prints_what_the_command_prints(tmp_path, as_json):
    path = _write(tmp_path, valid_record())
    options = ["--json"] if as_json else []
    status, out, err, imported = run_withpeople("assess", path, *options)
    assert (status, err) == (0, "")
    assert "django" not in imported
    assert "withpeople" in imported
    assert (status, out, err) == django_command("assess", path, *options)
    if as_json:
        assert json.loads(out)["format"] == "withpeople.assessment/1"
    else:
        assert out.startswith("Carers' strategy\n")


def test_assess_reads_standard_input_without_django():
    status, out, err, imported = run_withpeople(
        "assess", "-", "--json", stdin=json.dumps(valid_record())
    )
    assert (status, err) == (0, "")
    assert "django" not in imported
    assert len(json.loads(out)["aspects"]) == 2


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(dict(valid_record(), level="stratgic", title="\x00")),
        "not json",
        "[]",
        "[" * 50_000 + "]" * 50_000,
    ],
    ids=["problems", "not-json", "a-list", "too-deep"],
)
def test_a_bad_record_gets_the_same_lines_and_exit_status_2_either_way(tmp_path, text):
    path = _write(tmp_path, text)
    status, out, err, imported = run_withpeople("assess", path)
    assert "django" not in imported
    assert status == 2
    assert out == ""
    assert err and "Traceback" not in err
    assert (status, out, err) == django_command("assess", path)


def test_a_missing_file_is_reported_the_same_either_way(tmp_path):
    path = str(tmp_path / "missing.json")
    status, out, err, _imported = run_withpeople("assess", path)
    assert status == 2
    assert err.startswith(f"{path}: cannot read the file (")
    assert (status, out, err) == django_command("assess", path)


def test_anything_else_given_to_assess_goes_to_django(tmp_path):
    # --help is Django's; so is every option the quick path does not know.
    settings = {"DJANGO_SETTINGS_MODULE": "withpeople.settings_test"}
    status, out, _err, imported = run_withpeople("assess", "--help", settings=settings)
    assert status == 0
    assert "django" in imported
    assert "FILE may be - for standard input" in out
    path = _write(tmp_path, valid_record())
    status, out, err, imported = run_withpeople(
        "assess", "--verbosity", "2", path, settings=settings
    )
    assert "django" in imported
    assert (status, out, err) == django_command("assess", path)
