import re
from collections.abc import Callable
from typing import Any

import pytest

from withpeople.domain.mir.framework import (
    FrameworkInvalid,
    Kind,
    is_slug,
    load_framework_yaml,
    parse_framework,
)
from withpeople.domain.mir.tests.examples import SMALL_FRAMEWORK, default_framework, small_data

Change = Callable[[dict[str, Any]], None]
SLUG = "must be a slug (lower-case letters, numbers and hyphens)"


def _set(path: tuple, value: object) -> Change:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _delete(path: tuple) -> Change:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


def _second_theme_reuses_first_statement_key(data: dict[str, Any]) -> None:
    data["themes"][1]["statements"][0]["key"] = "a-i1"


def _themes_share_a_key(data: dict[str, Any]) -> None:
    data["themes"][1]["key"] = "one"


INVALID = [
    (
        "wrong format",
        _set(("format",), "withpeople.framework/2"),
        'format: must be "withpeople.framework/1"',
    ),
    ("no format", _delete(("format",)), 'format: must be "withpeople.framework/1"'),
    ("key not a slug", _set(("key",), "My Framework"), f"key: {SLUG}"),
    ("key missing", _delete(("key",)), "key: is required"),
    ("title missing", _delete(("title",)), "title: is required"),
    ("theme title missing", _delete(("themes", 0, "title")), "themes[0].title: is required"),
    ("theme title blank", _set(("themes", 0, "title"), "  "), "themes[0].title: must not be empty"),
    ("theme title a number", _set(("themes", 0, "title"), 7), "themes[0].title: must be text"),
    ("theme key not a slug", _set(("themes", 1, "key"), "Two"), f"themes[1].key: {SLUG}"),
    (
        "duplicate theme keys",
        _themes_share_a_key,
        'themes[1].key: "one" is already used at themes[0]',
    ),
    (
        "kind misspelt",
        _set(("themes", 1, "statements", 0, "kind"), "i"),
        'themes[1].statements[0].kind: must be "I" or "We"',
    ),
    (
        "kind missing",
        _delete(("themes", 0, "statements", 1, "kind")),
        'themes[0].statements[1].kind: must be "I" or "We"',
    ),
    (
        "duplicate statement keys across themes",
        _second_theme_reuses_first_statement_key,
        'themes[1].statements[0].key: "a-i1" is already used at themes[0].statements[0]',
    ),
    (
        "statement key with a space",
        _set(("themes", 0, "statements", 0, "key"), "A I1"),
        "themes[0].statements[0].key: must have no spaces or unprintable characters",
    ),
    (
        "statement key with a control character",
        _set(("themes", 0, "statements", 0, "key"), "a\x07i1"),
        "themes[0].statements[0].key: must have no spaces or unprintable characters",
    ),
    (
        "statement key empty",
        _set(("themes", 0, "statements", 0, "key"), ""),
        "themes[0].statements[0].key: must not be empty",
    ),
    (
        "statement key read by YAML as a number",
        _set(("themes", 0, "statements", 0, "key"), 1.1),
        'themes[0].statements[0].key: must be text; put it in quotes, like "1.1"',
    ),
    (
        "statement key too long",
        _set(("themes", 0, "statements", 0, "key"), "k" * 70),
        "themes[0].statements[0].key: must be 60 characters or fewer",
    ),
    (
        "statement keys differing only in capitals",
        _set(("themes", 1, "statements", 0, "key"), "A-I1"),
        'themes[1].statements[0].key: "A-I1" is already used at themes[0].statements[0] as '
        '"a-i1"; keys must differ by more than capital letters',
    ),
    (
        "theme key too long",
        _set(("themes", 0, "key"), "t" * 61),
        "themes[0].key: must be 60 characters or fewer",
    ),
    ("framework key too long", _set(("key",), "f" * 61), "key: must be 60 characters or fewer"),
    ("title too long", _set(("title",), "T" * 201), "title: must be 200 characters or fewer"),
    (
        "theme title too long",
        _set(("themes", 1, "title"), "T" * 201),
        "themes[1].title: must be 200 characters or fewer",
    ),
    (
        "no I statements",
        _set(
            ("themes",),
            [
                {
                    "key": "one",
                    "title": "One",
                    "statements": [{"key": "w", "kind": "We", "text": "W"}],
                }
            ],
        ),
        'themes: the framework needs at least one "I" statement, or its feedback form would have '
        "no questions",
    ),
    (
        "theme with no statements",
        _set(("themes", 1, "statements"), []),
        "themes[1].statements: must list at least one statement",
    ),
    (
        "theme statements missing",
        _delete(("themes", 1, "statements")),
        "themes[1].statements: is required",
    ),
    (
        "statements not a list",
        _set(("themes", 1, "statements"), "b-i1"),
        "themes[1].statements: must be a list of statements",
    ),
    (
        "statement not a mapping",
        _set(("themes", 1, "statements"), ["b-i1"]),
        "themes[1].statements[0]: must be a mapping with key, kind and text",
    ),
    (
        "text empty",
        _set(("themes", 0, "statements", 2, "text"), ""),
        "themes[0].statements[2].text: must not be empty",
    ),
    (
        "text missing",
        _delete(("themes", 0, "statements", 2, "text")),
        "themes[0].statements[2].text: is required",
    ),
    (
        "easy read not text",
        _set(("themes", 0, "statements", 0, "easy_read"), ["x"]),
        "themes[0].statements[0].easy_read: must be text",
    ),
    (
        "easy read blank",
        _set(("themes", 0, "statements", 0, "easy_read"), " "),
        "themes[0].statements[0].easy_read: must not be empty",
    ),
    (
        "misspelt field",
        _set(("themes", 0, "statements", 0, "easy-read"), "x"),
        "themes[0].statements[0].easy-read: is not a known field; use key, kind, text, easy_read",
    ),
    (
        "unknown top-level field",
        _set(("version",), 1),
        "version: is not a known field; use format, key, title, themes",
    ),
    ("themes missing", _delete(("themes",)), "themes: is required"),
    ("themes empty", _set(("themes",), []), "themes: must list at least one theme"),
    ("themes not a list", _set(("themes",), {"one": {}}), "themes: must be a list of themes"),
    (
        "theme not a mapping",
        _set(("themes", 0), "one"),
        "themes[0]: must be a mapping with key, title and statements",
    ),
]


@pytest.mark.parametrize(
    ("change", "error"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_each_problem_is_named_by_its_path(change: Change, error: str) -> None:
    data = small_data()
    change(data)
    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework(data)
    assert raised.value.errors == [error]


def test_every_problem_is_reported_at_once() -> None:
    data = small_data()
    data["format"] = "nope"
    data["themes"][0]["title"] = ""
    data["themes"][1]["statements"][0]["kind"] = "They"
    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework(data)
    assert raised.value.errors == [
        'format: must be "withpeople.framework/1"',
        "themes[0].title: must not be empty",
        'themes[1].statements[0].kind: must be "I" or "We"',
    ]


def test_length_problems_are_reported_with_every_other_problem() -> None:
    data = small_data()
    data["title"] = "T" * 201
    data["themes"][0]["key"] = "k" * 61
    data["themes"][0]["statements"][0]["key"] = "s" * 70
    data["themes"][0]["statements"][1]["kind"] = "They"
    data["themes"][1]["statements"][0]["text"] = ""
    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework(data)
    assert raised.value.errors == [
        "title: must be 200 characters or fewer",
        "themes[0].key: must be 60 characters or fewer",
        "themes[0].statements[0].key: must be 60 characters or fewer",
        'themes[0].statements[1].kind: must be "I" or "We"',
        "themes[1].statements[0].text: must not be empty",
    ]


@pytest.mark.parametrize("key", ["WI.1", "I1a", "wi-i1", "MIR/1.2", "a" * 60, "Llesiant-ïa"])
def test_statement_keys_may_be_any_printable_text_without_spaces(key: str) -> None:
    data = small_data()
    data["themes"][0]["statements"][0]["key"] = key
    assert parse_framework(data).statement(key).text == "First I statement."


def test_titles_of_exactly_two_hundred_characters_are_kept() -> None:
    data = small_data()
    data["title"] = data["themes"][0]["title"] = "T" * 200
    framework = parse_framework(data)
    assert len(framework.title) == len(framework.themes[0].title) == 200


@pytest.mark.parametrize("data", [None, [], "framework", 3])
def test_a_framework_must_be_a_mapping(data: object) -> None:
    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework(data)
    assert raised.value.errors == [
        "framework: must be a mapping with format, key, title and themes"
    ]


def test_yaml_syntax_error_names_line_and_column() -> None:
    text = "format: withpeople.framework/1\nkey: x\nthemes:\n  - key: [one\n    title: Two\n"
    with pytest.raises(FrameworkInvalid) as raised:
        load_framework_yaml(text)
    [error] = raised.value.errors
    assert re.match(r"line \d+, column \d+: ", error), error


def test_yaml_tags_that_build_python_objects_are_refused() -> None:
    with pytest.raises(FrameworkInvalid) as raised:
        load_framework_yaml("!!python/object/apply:os.system ['true']")
    assert raised.value.errors[0].startswith("line 1, column 1: ")


def test_yaml_is_checked_like_any_framework() -> None:
    with pytest.raises(FrameworkInvalid) as raised:
        load_framework_yaml("format: withpeople.framework/1\nkey: x\ntitle: X\nthemes: []\n")
    assert raised.value.errors == ["themes: must list at least one theme"]


def test_a_valid_framework_is_built_in_order() -> None:
    framework = SMALL_FRAMEWORK
    assert framework.key == "small"
    assert [theme.key for theme in framework.themes] == ["one", "two"]
    assert [s.key for s in framework.i_statements()] == ["a-i1", "a-i2", "b-i1"]
    assert [s.key for s in framework.we_statements()] == ["a-we1"]
    assert framework.theme_of("a-i2").key == "one"
    assert framework.theme_of("b-i1").key == "two"
    assert framework.statement("a-i1").easy_read == "One."
    assert framework.statement("a-i2").easy_read is None
    assert framework.statement("a-we1").kind is Kind.WE


def test_theme_of_an_unknown_statement_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        SMALL_FRAMEWORK.theme_of("zz-i1")


def test_text_is_tidied_to_one_line() -> None:
    data = small_data()
    data["themes"][0]["statements"][0]["text"] = "  Folded\n  over   lines.\n"
    assert parse_framework(data).statement("a-i1").text == "Folded over lines."


def test_a_framework_cannot_be_changed_once_built() -> None:
    with pytest.raises(AttributeError):
        SMALL_FRAMEWORK.key = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("wi-i1", True), ("abc", True), ("a1-b2-c3", True), ("", False), ("-a", False),
     ("a-", False), ("a--b", False), ("A", False), ("a_b", False), ("a b", False), (3, False)],
)  # fmt: skip
def test_slugs(value: object, expected: bool) -> None:
    assert is_slug(value) is expected


# --- the shipped default framework ---------------------------------------------------------

THEMES = [
    "wellbeing-and-independence",
    "information-and-advice",
    "active-and-supportive-communities",
    "flexible-and-integrated-care-and-support",
    "when-things-need-to-change",
    "workforce",
]


def test_default_framework_has_the_six_themes_in_order() -> None:
    framework = default_framework()
    assert framework.key == "default"
    assert [theme.key for theme in framework.themes] == THEMES


@pytest.mark.parametrize("theme_key", THEMES)
def test_default_theme_has_four_to_seven_i_and_three_to_six_we_statements(theme_key: str) -> None:
    [theme] = [t for t in default_framework().themes if t.key == theme_key]
    assert 4 <= len(theme.i_statements()) <= 7
    assert 3 <= len(theme.we_statements()) <= 6


def test_default_statement_keys_say_their_kind() -> None:
    for statement in default_framework().statements():
        marker = "i" if statement.kind is Kind.I else "we"
        assert re.fullmatch(rf"[a-z]{{2}}-{marker}\d+", statement.key), statement.key


def test_every_default_statement_has_a_short_easy_read_wording() -> None:
    for statement in default_framework().statements():
        assert statement.easy_read, statement.key
        assert len(statement.easy_read.split()) < 15, statement.key
        for sentence in statement.easy_read.split(". "):
            assert len(sentence.split()) <= 10, (statement.key, sentence)


def test_default_i_statements_speak_for_the_person_and_we_statements_for_us() -> None:
    for statement in default_framework().i_statements():
        assert re.search(r"\b(I|My|me|my)\b", statement.text), statement.key
    for statement in default_framework().we_statements():
        assert statement.text.startswith("We "), statement.key
