import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withpeople.domain.ladder import PERSPECTIVE_SLUGS
from withpeople.domain.mir.responses_csv import (
    MAX_ERRORS,
    ParsedResponses,
    ResponsesInvalid,
    cell_problem,
    problem_list,
    read_responses_csv,
    read_responses_csv_bytes,
    stories_by_theme,
)
from withpeople.domain.mir.results import ANSWERS
from withpeople.domain.mir.tests.examples import SMALL_FRAMEWORK

KEYS = [s.key for s in SMALL_FRAMEWORK.i_statements()]
HEADER = "response_id,submitted_on,perspective,statement,answer,story"
GOOD = "r1,2025-03-01,carer,a-i1,mostly,"
TODAY = date(2026, 3, 1)


def read(text: str, **kwargs) -> ParsedResponses:
    return read_responses_csv(io.StringIO(text, newline=""), KEYS, **({"today": TODAY} | kwargs))


def problems(text: str) -> list[str]:
    with pytest.raises(ResponsesInvalid) as raised:
        read(text)
    return raised.value.errors


def rows(*lines: str) -> str:
    return "\n".join((HEADER, *lines)) + "\n"


ANSWER_RULE = "use always, mostly, sometimes, rarely, never or not_applicable"

INVALID = [
    ("answer misspelt", rows(GOOD, "r2,2025-03-01,,a-i1,sometime,"),
     f'line 3, column "answer": "sometime" is not an answer; {ANSWER_RULE}'),
    ("answer blank", rows("r2,2025-03-01,,a-i1,,"),
     f'line 2, column "answer": is required; {ANSWER_RULE}'),
    ("unknown statement", rows(GOOD, "r1,2025-03-01,carer,wi-i9,always,"),
     'line 3, column "statement": unknown statement "wi-i9"'),
    ("a We statement is not for feedback", rows("r1,2025-03-01,carer,a-we1,always,"),
     'line 2, column "statement": unknown statement "a-we1"'),
    ("statement blank", rows("r1,2025-03-01,carer,,always,"),
     'line 2, column "statement": is required'),
    ("response id blank", rows(" ,2025-03-01,carer,a-i1,always,"),
     'line 2, column "response_id": is required'),
    ("statement answered twice",
     rows(GOOD, "r1,2025-03-01,carer,a-i2,never,", "r1,2025-03-01,carer,a-i1,never,"),
     'line 4, column "statement": response "r1" already answers statement "a-i1" '
     "(first on line 2)"),
    ("date not a real date", rows("r1,2025-02-29,,a-i1,always,"),
     'line 2, column "submitted_on": "2025-02-29" is not a real date'),
    ("date in another shape", rows("r1,01/03/2025,,a-i1,always,"),
     'line 2, column "submitted_on": "01/03/2025" is not a date written YYYY-MM-DD'),
    ("date without hyphens", rows("r1,20250301,,a-i1,always,"),
     'line 2, column "submitted_on": "20250301" is not a date written YYYY-MM-DD'),
    ("date as a week", rows("r1,2025-W09-6,,a-i1,always,"),
     'line 2, column "submitted_on": "2025-W09-6" is not a date written YYYY-MM-DD'),
    ("date blank", rows("r1,,,a-i1,always,"),
     'line 2, column "submitted_on": is required'),
    ("unknown perspective", rows("r1,2025-03-01,patient,a-i1,always,"),
     'line 2, column "perspective": "patient" is not a perspective; use lived_experience, carer, '
     "frontline_staff, back_office_staff, manager, commissioner or other_staff"),
    ("too few fields", rows(GOOD, "r2,2025-03-01,a-i1,always"),
     "line 3: has 4 fields but the header has 6"),
    ("too many fields", rows(GOOD, "r2,2025-03-01,,a-i1,always,,extra"),
     "line 3: has 7 fields but the header has 6"),
    ("dates disagree", rows(GOOD, "r1,2025-03-02,carer,a-i2,always,"),
     'line 3, column "submitted_on": response "r1" has submitted_on "2025-03-01" on line 2 '
     'but "2025-03-02" here'),
    ("perspectives disagree", rows(GOOD, "r1,2025-03-01,manager,a-i2,always,"),
     'line 3, column "perspective": response "r1" has perspective "carer" on line 2 '
     'but perspective "manager" here'),
    ("perspective dropped", rows(GOOD, "r1,2025-03-01,,a-i2,always,"),
     'line 3, column "perspective": response "r1" has perspective "carer" on line 2 '
     "but no perspective here"),
    ("date in the future", rows("r1,2099-01-01,,a-i1,always,"),
     'line 2, column "submitted_on": "2099-01-01" is after today; feedback cannot have been '
     "given in the future"),
    ("the day after today", rows("r1,2026-03-02,,a-i1,always,"),
     'line 2, column "submitted_on": "2026-03-02" is after today; feedback cannot have been '
     "given in the future"),
    ("missing column", "response_id,submitted_on,perspective,statement,story\n" + GOOD,
     'line 1: missing column "answer"'),
    ("extra column", HEADER + ",colour\n" + GOOD + ",blue\n",
     'line 1: unknown column "colour"; the columns are response_id, submitted_on, perspective, '
     "statement, answer and story"),
    ("column twice", HEADER + ",answer\n" + GOOD + ",always\n",
     'line 1: column "answer" appears more than once'),
    ("unnamed column", HEADER + ",\n" + GOOD + ",\n", "line 1: column 7 has no name"),
    ("empty file", "",
     "line 1: the file is empty; the first line must name the columns response_id, "
     "submitted_on, perspective, statement, answer and story"),
    ("header only", HEADER + "\n", "line 2: there are no answers after the header"),
    ("bad quoting", rows(GOOD, 'r2,2025-03-01,,a-i1,always,"said "no""'),
     "line 3: ',' expected after '\"'; the rest of the file was not read"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "error"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_each_problem_names_its_line_and_column(text: str, error: str) -> None:
    assert problems(text) == [error]


def test_every_problem_in_the_file_is_reported_in_line_order() -> None:
    text = rows(
        "r1,2025-03-01,carer,a-i1,always,",
        "r2,2025-13-01,,a-i1,always,",
        "r3,2025-03-01,,a-i9,alway,",
        "r1,2025-03-01,carer,a-i1,never,",
    )
    assert problems(text) == [
        'line 3, column "submitted_on": "2025-13-01" is not a real date',
        'line 4, column "statement": unknown statement "a-i9"',
        f'line 4, column "answer": "alway" is not an answer; {ANSWER_RULE}',
        'line 5, column "statement": response "r1" already answers statement "a-i1" '
        "(first on line 2)",
    ]


def test_header_problems_are_all_on_line_one_and_rows_are_not_read() -> None:
    text = "id,submitted_on,statement\nr1,2025-03-01,a-i1\n"
    assert problems(text) == [
        'line 1: unknown column "id"; the columns are response_id, submitted_on, perspective, '
        "statement, answer and story",
        'line 1: missing column "response_id"',
        'line 1: missing column "answer"',
    ]


def test_a_huge_bad_file_lists_the_first_problems_and_counts_the_rest() -> None:
    text = rows(*(f"r{n},2025-03-01,,a-i1,maybe," for n in range(MAX_ERRORS + 150)))
    errors = problems(text)
    assert len(errors) == MAX_ERRORS + 1
    assert errors[0].startswith('line 2, column "answer": "maybe"')
    assert errors[-1] == "and 150 more problems"


def test_one_problem_over_the_limit_is_singular() -> None:
    text = rows(*(f"r{n},2025-03-01,,a-i1,maybe," for n in range(MAX_ERRORS + 1)))
    assert problems(text)[-1] == "and 1 more problem"


def test_problems_found_after_reading_are_written_and_cut_off_the_same_way() -> None:
    assert cell_problem(7, "answer", "is odd") == 'line 7, column "answer": is odd'
    assert problem_list(["a", "b"]) == ["a", "b"]
    listed = problem_list(str(n) for n in range(MAX_ERRORS + 2))
    assert listed == [*(str(n) for n in range(MAX_ERRORS)), "and 2 more problems"]


def test_long_values_are_shortened_in_messages() -> None:
    [error] = problems(rows("r1,2025-03-01,," + "x" * 500 + ",always,"))
    assert len(error) < 100
    assert error.endswith('…"')


def test_lines_after_a_story_over_several_lines_are_numbered_right() -> None:
    text = rows(
        'r1,2025-03-01,,a-i1,always,"One line,\nand another\nand a third"',
        "r1,2025-03-01,,a-i2,nope,",
    )
    assert problems(text) == [f'line 5, column "answer": "nope" is not an answer; {ANSWER_RULE}']


# --- encodings -----------------------------------------------------------------------------


def test_bytes_that_are_not_utf8_are_a_problem_on_their_line() -> None:
    data = rows(GOOD, "r2,2025-03-01,,a-i1,always,Caf\u00e9 closed").encode("cp1252")
    with pytest.raises(ResponsesInvalid) as raised:
        read_responses_csv_bytes(data, KEYS, today=TODAY)
    assert raised.value.errors == [
        'line 3: is not UTF-8 text (byte 0xE9 cannot be read); save the file as "CSV UTF-8" and '
        "try again"
    ]


def test_a_text_stream_that_is_not_utf8_is_a_problem_not_a_crash() -> None:
    data = rows(GOOD, "r2,2025-03-01,,a-i1,always,Caf\u00e9").encode("cp1252")
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    with pytest.raises(ResponsesInvalid) as raised:
        read_responses_csv(stream, KEYS, today=TODAY)
    [error] = raised.value.errors
    assert error.startswith("line ")
    assert "not UTF-8 text" in error


def test_a_byte_order_mark_is_ignored() -> None:
    parsed = read_responses_csv_bytes(rows(GOOD).encode("utf-8-sig"), KEYS, today=TODAY)
    assert [r.id for r in parsed.responses] == ["r1"]


def test_a_byte_order_mark_in_text_is_ignored() -> None:
    assert len(read("\ufeff" + rows(GOOD))) == 1


# --- what a valid file gives ---------------------------------------------------------------


def test_rows_of_a_response_are_gathered_into_one_response() -> None:
    parsed = read(
        rows(
            "r1,2025-03-01,carer,a-i1,mostly,It got better.",
            "r2,2025-03-02,,a-i1,never,",
            "r1,2025-03-01,carer,b-i1,not_applicable,",
        )
    )
    assert parsed.rows == 3
    first, second = parsed.responses
    assert first.id == "r1"
    assert first.submitted_on == date(2025, 3, 1)
    assert first.perspective == "carer"
    assert first.answers == {"a-i1": "mostly", "b-i1": "not_applicable"}
    assert first.stories == {"a-i1": "It got better."}
    assert second.perspective is None
    assert second.stories == {}
    assert list(parsed.answers()) == [
        ("carer", "a-i1", "mostly"),
        ("carer", "b-i1", "not_applicable"),
        (None, "a-i1", "never"),
    ]


def test_case_spaces_and_column_order_are_forgiven() -> None:
    text = (
        " Answer ,STATEMENT,submitted_on,response_id,Perspective\n"
        " Always , A-I1 ,2025-03-01,r1, Carer \n"
    )
    [response] = read(text).responses
    assert response.answers == {"a-i1": "always"}
    assert response.perspective == "carer"


def test_perspective_and_story_columns_may_be_left_out() -> None:
    [response] = read(
        "response_id,submitted_on,statement,answer\nr1,2025-03-01,a-i1,rarely\n"
    ).responses
    assert response.perspective is None
    assert response.stories == {}


def test_blank_rows_are_skipped() -> None:
    parsed = read(rows(GOOD, "", ",,,,,", "r2,2025-03-01,,a-i1,never,"))
    assert parsed.rows == 2
    assert len(parsed) == 2


def test_stories_are_gathered_per_theme_each_told_once() -> None:
    parsed = read(
        rows(
            "r1,2025-03-01,,a-i2,mostly,Same story.",
            "r1,2025-03-01,,a-i1,mostly,Same story.",
            'r1,2025-03-01,,b-i1,never,"Another, with a comma."',
            "r2,2025-03-01,,a-i1,never,First.",
            "r2,2025-03-01,,a-i2,never,Second.",
        )
    )
    first, second = parsed.responses
    assert stories_by_theme(first, SMALL_FRAMEWORK) == {
        "one": "Same story.",
        "two": "Another, with a comma.",
    }
    assert stories_by_theme(second, SMALL_FRAMEWORK) == {"one": "First.\n\nSecond."}


def test_progress_is_reported_every_five_thousand_rows() -> None:
    lines = [f"r{n},2025-03-01,,{KEYS[n % 3]},always," for n in range(12_001)]
    seen: list[int] = []
    parsed = read(rows(*lines), on_progress=seen.append)
    assert seen == [5_000, 10_000]
    assert parsed.rows == 12_001


# --- a file written from any responses reads back the same ----------------------------------

ANSWER_SETS = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(ANSWERS), min_size=1)
RESPONSES = st.lists(
    st.tuples(
        st.dates(date(2000, 1, 1), date(2100, 12, 31)),
        st.sampled_from((None, *PERSPECTIVE_SLUGS)),
        ANSWER_SETS,
        st.text(
            # Any text a person can type: no control characters but tab and new lines
            # (withpeople.domain.input_text refuses them), and no lone surrogates.
            st.characters(
                blacklist_categories=("Cs", "Cc"),
                blacklist_characters="\ufffe\uffff",
                whitelist_characters="\t\n\r",
            ),
            max_size=30,
        ),
    ),
    min_size=1,
    max_size=20,
)


@given(RESPONSES)
def test_what_is_written_reads_back(responses) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER.split(","))
    for number, (day, perspective, answers, story) in enumerate(responses):
        for statement, answer in answers.items():
            writer.writerow(
                (f"r{number}", day.isoformat(), perspective or "", statement, answer, story)
            )
    parsed = read_responses_csv_bytes(out.getvalue().encode(), KEYS, today=date(2100, 12, 31))
    assert len(parsed) == len(responses)
    for response, (day, perspective, answers, story) in zip(
        parsed.responses, responses, strict=True
    ):
        assert response.submitted_on == day
        assert response.perspective == perspective
        assert response.answers == answers
        expected = {key: story.strip() for key in answers} if story.strip() else {}
        assert response.stories == expected


def test_a_we_statement_is_named_as_such_when_the_we_keys_are_given() -> None:
    text = rows(GOOD, "r2,2025-03-01,,a-we1,always,")
    with pytest.raises(ResponsesInvalid) as raised:
        read(text, we_statement_keys=["a-we1"])
    assert raised.value.errors == [
        'line 3, column "statement": "a-we1" is a We statement; only I statements can be answered'
    ]


def test_today_itself_is_not_in_the_future() -> None:
    [response] = read(rows("r1,2026-03-01,,a-i1,always,")).responses
    assert response.submitted_on == TODAY


def test_every_row_of_a_response_in_the_future_is_named() -> None:
    text = rows("r1,2099-01-01,,a-i1,always,", "r1,2099-01-01,,a-i2,never,")
    assert problems(text) == [
        'line 2, column "submitted_on": "2099-01-01" is after today; feedback cannot have been '
        "given in the future",
        'line 3, column "submitted_on": "2099-01-01" is after today; feedback cannot have been '
        "given in the future",
    ]


def test_a_problem_that_spans_rows_names_its_column() -> None:
    # Every problem names a line and a column, so a spreadsheet user can find the cell.
    text = rows(
        GOOD,
        "r1,2025-03-02,manager,a-i1,always,",
    )
    errors = problems(text)
    assert [e.split(":")[0] for e in errors] == [
        'line 3, column "submitted_on"',
        'line 3, column "perspective"',
        'line 3, column "statement"',
    ]


def test_a_response_already_imported_is_named_once_on_its_first_line() -> None:
    text = rows(GOOD, "r1,2025-03-01,carer,a-i2,never,", "r2,2025-03-01,,a-i1,always,")
    with pytest.raises(ResponsesInvalid) as raised:
        read(text, already_imported={"r1", "r9"})
    assert raised.value.errors == [
        'line 2, column "response_id": response "r1" is already in this review cycle, from a '
        "file imported before; take out the responses already imported, or give them new ids"
    ]


def test_a_response_id_is_at_most_a_hundred_characters() -> None:
    long_id = "r" * 101
    assert problems(rows(f"{long_id},2025-03-01,,a-i1,always,")) == [
        'line 2, column "response_id": must be 100 characters or fewer'
    ]
    assert read(rows(f"{long_id[:100]},2025-03-01,,a-i1,always,")).responses[0].id == long_id[:100]


def test_each_response_knows_the_line_it_starts_on() -> None:
    parsed = read(rows(GOOD, "r2,2025-03-01,,a-i1,always,", "r1,2025-03-01,carer,a-i2,never,"))
    assert [(r.id, r.line) for r in parsed.responses] == [("r1", 2), ("r2", 3)]
