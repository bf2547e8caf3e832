"""`withpeople mir`: frameworks, cycles and results from the command line."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from withpeople.feedback.models import Channel, Framework, ReviewCycle
from withpeople.feedback.selectors import cycle_results
from withpeople.feedback.services import response_submit
from withpeople.feedback.steps import results_step_publish
from withpeople.feedback.tests.helpers import i_keys, make_cycle
from withpeople.feedback.tests.test_services import SMALL

pytestmark = pytest.mark.django_db


def test_framework_import_for_an_organisation(organisation, tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text(SMALL)
    out = io.StringIO()
    call_command("mir", "framework", "import", str(path), "--organisation", "example", stdout=out)
    assert 'Loaded "Our own words" (ours) for Example Council.' in out.getvalue()
    assert Framework.objects.get(key="ours").organisation == organisation


def test_a_bad_framework_exits_2_naming_the_path(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(SMALL.replace("kind: We", "kind: They"))
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("mir", "framework", "import", str(path), stderr=err)
    assert raised.value.returncode == 2
    assert 'themes[0].statements[1].kind: must be "I" or "We"' in err.getvalue()
    assert not Framework.objects.filter(key="ours").exists()


def test_a_used_framework_is_not_replaced_from_the_command_line(organisation, tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text(SMALL)
    call_command("mir", "framework", "import", str(path), stdout=io.StringIO())
    call_command(
        "mir", "cycle", "create", "--organisation", "example", "--cycle", "c", "--name", "C",
        "--framework", "ours", stdout=io.StringIO(),
    )  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("mir", "framework", "import", str(path), stderr=err)
    assert raised.value.returncode == 2
    assert "is used by a review cycle" in err.getvalue()


def test_cycle_create(organisation):
    call_command(
        "mir", "cycle", "create", "--organisation", "example", "--cycle", "spring-2026",
        "--name", "Spring 2026", stdout=io.StringIO(),
    )  # fmt: skip
    cycle = ReviewCycle.objects.get(slug="spring-2026")
    assert (cycle.organisation, cycle.framework.key, cycle.status) == (
        organisation,
        "default",
        "draft",
    )


def test_results_json_is_exactly_the_selectors(organisation):
    cycle = make_cycle(organisation)
    for _ in range(6):
        response_submit(cycle=cycle, answers={i_keys(cycle)[0]: "always"}, channel=Channel.API)
    results_step_publish(cycle)
    out = io.StringIO()
    call_command(
        "mir", "results", "--organisation", "example", "--cycle", cycle.slug, "--json", stdout=out
    )
    assert json.loads(out.getvalue()) == cycle_results(cycle)
    table = io.StringIO()
    call_command("mir", "results", "--organisation", "example", "--cycle", cycle.slug, stdout=table)
    assert "wi-i1" in table.getvalue()
    assert "100.0" in table.getvalue()
    assert "hidden" in table.getvalue()


def test_unknown_cycle_is_an_error(organisation):
    with pytest.raises(CommandError, match='no review cycle "nope"'):
        call_command("mir", "results", "--organisation", "example", "--cycle", "nope")


def test_results_json_is_one_document_as_json_dumps_writes_it(organisation):
    cycle = make_cycle(organisation)
    for _ in range(6):
        response_submit(cycle=cycle, answers={i_keys(cycle)[0]: "mostly"}, channel=Channel.API)
    results_step_publish(cycle)
    out = io.StringIO()
    call_command(
        "mir", "results", "--organisation", "example", "--cycle", cycle.slug, "--json", stdout=out
    )
    expected = json.dumps(cycle_results(cycle), indent=2)
    # Exactly json.dumps's lines, then one newline: not a line for every token.
    assert out.getvalue() == expected + "\n"
    assert len(out.getvalue().splitlines()) == len(expected.splitlines())


def test_cycle_create_prefers_the_organisations_own_framework(organisation, outsider, tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text(SMALL.replace("Our own words", "Everyone's words"))
    call_command("mir", "framework", "import", str(site), stdout=io.StringIO())
    ours = tmp_path / "ours.yaml"
    ours.write_text(SMALL)
    call_command(
        "mir", "framework", "import", str(ours), "--organisation", "example", stdout=io.StringIO()
    )
    for org_slug in ("example", "elsewhere"):
        call_command(
            "mir", "cycle", "create", "--organisation", org_slug, "--cycle", "c", "--name", "C",
            "--framework", "ours", stdout=io.StringIO(),
        )  # fmt: skip
    ours_cycle = ReviewCycle.objects.get(organisation=organisation, slug="c")
    assert ours_cycle.framework.organisation == organisation
    assert ours_cycle.framework.title == "Our own words"
    # Another organisation, with no framework of its own by that key, gets the site's.
    theirs = ReviewCycle.objects.get(organisation=outsider.organisation, slug="c")
    assert theirs.framework.organisation is None
    assert theirs.framework.title == "Everyone's words"
