"""Read people's feedback on the I statements from a CSV file, or say exactly what is wrong.

The file is UTF-8 with a header row and one row per answer::

    response_id,submitted_on,perspective,statement,answer,story
    r1,2025-03-01,carer,wi-i1,mostly,"The new day centre has made a real difference."
    r1,2025-03-01,carer,wi-i2,sometimes,
    r2,2025-03-02,,wi-i1,never,

* ``response_id``: rows with the same id are one person's response, at most 100 characters. A
  response answers a statement at most once, and its rows agree on ``submitted_on`` and
  ``perspective``. An id given in ``already_imported`` (the ids a review cycle already holds)
  is a problem, so the same file imported twice does not count people twice.
* ``submitted_on``: a real date, written YYYY-MM-DD, and not after today (the caller says which
  day today is, so these rules stay free of clocks).
* ``perspective`` (optional, and the column may be left out): a perspective slug such as
  ``lived_experience`` or ``carer``; blank when the person did not say.
* ``statement``: the key of an I statement, such as ``wi-i1``.
* ``answer``: always, mostly, sometimes, rarely, never or not_applicable.
* ``story`` (optional, and the column may be left out): what the person wrote in their own words.
  A story belongs to the row it is on, so it stays with the statement it was written against;
  :func:`stories_by_theme` gathers a response's stories per theme, which is how people are
  usually asked ("tell us about this part of your care and support").

Columns may come in any order; column names, perspectives, statement keys and answers ignore
case and surrounding spaces. Rows that are entirely blank are skipped; a file with no answers at
all is a problem, as it is almost always the wrong file. A file with any problem gives
nothing back: :class:`ResponsesInvalid` lists every problem by line and column (the first
``MAX_ERRORS`` of them), so the file can be fixed in one go and nothing half-read is ever saved.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from withpeople.domain.input_text import first_refused_character, refusal_words
from withpeople.domain.ladder import PERSPECTIVE_SLUGS
from withpeople.domain.mir.framework import Framework
from withpeople.domain.mir.results import ANSWERS

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

COLUMNS: tuple[str, ...] = (
    "response_id",
    "submitted_on",
    "perspective",
    "statement",
    "answer",
    "story",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("response_id", "submitted_on", "statement", "answer")
#: A huge bad file gets this many problems listed and a count of the rest, not megabytes.
MAX_ERRORS = 200
#: `on_progress` is told how many rows have been read after every this many.
PROGRESS_EVERY = 5_000
#: The longest response_id: it is kept with the response to recognise a file imported again.
MAX_RESPONSE_ID = 100

_ANSWER_RULE = "use " + ", ".join(ANSWERS[:-1]) + " or " + ANSWERS[-1]
_PERSPECTIVE_RULE = "use " + ", ".join(PERSPECTIVE_SLUGS[:-1]) + " or " + PERSPECTIVE_SLUGS[-1]
_COLUMN_LIST = ", ".join(COLUMNS[:-1]) + " and " + COLUMNS[-1]
_ENCODING_ADVICE = 'save the file as "CSV UTF-8" and try again'


class ResponsesInvalid(ValueError):
    """A responses file that cannot be used, with every problem found, each naming its line."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors[:5]))


@dataclass(frozen=True, slots=True)
class FeedbackResponse:
    """One person's response: their answers, and any stories, keyed by statement key."""

    id: str
    submitted_on: date
    perspective: str | None
    answers: dict[str, str]
    stories: dict[str, str]
    #: The line of the file the response's first row is on, to name it in a problem.
    line: int = 0


@dataclass(frozen=True, slots=True)
class ParsedResponses:
    """Every response in a valid file, in the order each first appears, and the rows read."""

    responses: list[FeedbackResponse]
    rows: int

    def __len__(self) -> int:
        return len(self.responses)

    def answers(self) -> Iterator[tuple[str | None, str, str]]:
        """(perspective, statement, answer) for every answer: what compute_results counts."""
        for response in self.responses:
            perspective = response.perspective
            for statement, answer in response.answers.items():
                yield (perspective, statement, answer)


def stories_by_theme(response: FeedbackResponse, framework: Framework) -> dict[str, str]:
    """A response's stories per theme key, in framework order.

    A theme's story is the stories on the response's rows for that theme's statements, in
    framework order, each told once (a form that asks once per theme often repeats the story on
    every row of the theme), separated by a blank line. Themes without a story are left out.
    """
    gathered: dict[str, list[str]] = {}
    for statement in framework.i_statements():
        story = response.stories.get(statement.key)
        if story is None:
            continue
        stories = gathered.setdefault(framework.theme_of(statement.key).key, [])
        if story not in stories:
            stories.append(story)
    return {theme: "\n\n".join(stories) for theme, stories in gathered.items()}


def read_responses_csv_bytes(
    data: bytes,
    statement_keys: Collection[str],
    *,
    today: date,
    on_progress: Callable[[int], None] | None = None,
    we_statement_keys: Collection[str] = (),
    already_imported: Collection[str] = (),
) -> ParsedResponses:
    """Read an uploaded file's bytes: UTF-8, with or without a byte order mark."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ResponsesInvalid([_not_utf8(line, data[error.start])]) from None
    return read_responses_csv(
        io.StringIO(text, newline=""),
        statement_keys,
        today=today,
        on_progress=on_progress,
        we_statement_keys=we_statement_keys,
        already_imported=already_imported,
    )


def read_responses_csv(
    lines: Iterable[str],
    statement_keys: Collection[str],
    *,
    today: date,
    on_progress: Callable[[int], None] | None = None,
    we_statement_keys: Collection[str] = (),
    already_imported: Collection[str] = (),
) -> ParsedResponses:
    """Read responses from lines of text, such as a file opened with ``newline=""``.

    `statement_keys` are the statements that may be answered (a framework's I statements).
    `today` is the latest date a response may have been given on. `already_imported` are
    response ids already saved, which the file must not repeat.
    `on_progress(rows_read)` is called after every PROGRESS_EVERY rows. `we_statement_keys`, when
    given, are the framework's We statements, so that answering one is explained as such rather
    than as an unknown statement. Raises :class:`ResponsesInvalid` naming every problem; returns
    nothing unless the file is valid.
    """
    return _Reader(
        statement_keys,
        on_progress,
        we_statement_keys,
        today=today,
        already_imported=already_imported,
    ).read(lines)


def _not_utf8(line: int, byte: int) -> str:
    return f"line {line}: is not UTF-8 text (byte 0x{byte:02X} cannot be read); {_ENCODING_ADVICE}"


def _show(value: str) -> str:
    """A value from the file, quoted and kept short, for an error message."""
    value = value.replace("\r", " ").replace("\n", " ")
    if len(value) > 40:
        value = value[:39] + "…"
    return f'"{value}"'


def cell_problem(line: int, column: str, message: str) -> str:
    """A problem with one value in the file, as every such problem is written."""
    return f'line {line}, column "{column}": {message}'


def problem_list(messages: Iterable[str]) -> list[str]:
    """The first MAX_ERRORS problems, then "and N more problems" for the rest, if any."""
    problems = _Problems()
    for message in messages:
        problems.add(message)
    return problems.as_list()


class _Problems:
    """Every problem is counted; only the first MAX_ERRORS are kept as text."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.more = 0

    def add(self, message: str) -> None:
        if len(self.shown) < MAX_ERRORS:
            self.shown.append(message)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.shown)

    @property
    def count(self) -> int:
        return len(self.shown) + self.more

    def as_list(self) -> list[str]:
        if not self.more:
            return list(self.shown)
        noun = "problem" if self.more == 1 else "problems"
        return [*self.shown, f"and {self.more} more {noun}"]


class _Building:
    """A response while its rows are read; the first row's details are what the rest must match."""

    __slots__ = ("answer_lines", "answers", "first_line", "perspective", "stories", "submitted_on")

    def __init__(self, first_line: int, submitted_on: str, perspective: str) -> None:
        self.first_line = first_line
        self.submitted_on = submitted_on
        self.perspective = perspective
        self.answers: dict[str, str] = {}
        self.answer_lines: dict[str, int] = {}
        self.stories: dict[str, str] = {}


class _Columns:
    """Where each column is in a row, from the header; None for a left-out optional column."""

    __slots__ = (
        "answer",
        "perspective",
        "response_id",
        "statement",
        "story",
        "submitted_on",
        "width",
    )

    def __init__(self, names: list[str]) -> None:
        position = {name: index for index, name in enumerate(names)}
        self.width = len(names)
        self.response_id = position["response_id"]
        self.submitted_on = position["submitted_on"]
        self.perspective = position.get("perspective")
        self.statement = position["statement"]
        self.answer = position["answer"]
        self.story = position.get("story")


class _Reader:
    def __init__(
        self,
        statement_keys: Collection[str],
        on_progress: Callable[[int], None] | None,
        we_statement_keys: Collection[str] = (),
        *,
        today: date,
        already_imported: Collection[str] = (),
    ) -> None:
        # Lookups return the canonical string, so 100,000 rows share a few dozen string objects.
        self.statements = {key.lower(): key for key in statement_keys}
        self.we_statements = {key.lower() for key in we_statement_keys}
        self.answers = {answer: answer for answer in ANSWERS}
        self.perspectives = {slug: slug for slug in PERSPECTIVE_SLUGS}
        self.today = today
        self.already_imported = already_imported
        # A date's text and what it reads as: None for no real date, or a date after today.
        self.dates: dict[str, date | None] = {}
        self.on_progress = on_progress
        self.problems = _Problems()
        self.building: dict[str, _Building] = {}
        self.rows = 0

    # -- reading ---------------------------------------------------------------------------

    def read(self, lines: Iterable[str]) -> ParsedResponses:
        reader = csv.reader(lines, strict=True)
        records = self._records(reader)
        columns = self._header(next(records, None))
        if columns is not None:
            for line, row in records:
                self._row(line, row, columns)
            if not self.rows and not self.problems:
                self.problems.add("line 2: there are no answers after the header")
        if self.problems:
            raise ResponsesInvalid(self.problems.as_list())
        return ParsedResponses(responses=self._responses(), rows=self.rows)

    def _records(self, reader: _CsvReader) -> Iterator[tuple[int, list[str]]]:
        """Each record with the line it starts on; a story may run over several lines."""
        line_num = 0
        while True:
            start = line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                # A text stream decodes ahead in blocks, so the bad byte may be a little further on.
                byte = error.object[error.start]
                self.problems.add(
                    f"line {line_num + 1}: the file is not UTF-8 text at or soon after this line "
                    f"(byte 0x{byte:02X} cannot be read); {_ENCODING_ADVICE}"
                )
                return
            except csv.Error as error:
                self.problems.add(
                    f"line {line_num + 1}: {error}; the rest of the file was not read"
                )
                return
            line_num = reader.line_num
            yield start, row

    def _header(self, record: tuple[int, list[str]] | None) -> _Columns | None:
        if record is None:
            if self.problems:  # the first line could not be read at all, which says why
                return None
            self.problems.add(
                f"line 1: the file is empty; the first line must name the columns {_COLUMN_LIST}"
            )
            return None
        _, row = record
        names = [name.strip().lower() for name in row]
        if names:
            names[0] = names[0].lstrip("\ufeff").strip()
        before = self.problems.count
        for index, name in enumerate(names):
            if not name:
                self.problems.add(f"line 1: column {index + 1} has no name")
            elif name not in COLUMNS:
                self.problems.add(
                    f'line 1: unknown column "{name}"; the columns are {_COLUMN_LIST}'
                )
            elif name in names[:index]:
                self.problems.add(f'line 1: column "{name}" appears more than once')
        for name in REQUIRED_COLUMNS:
            if name not in names:
                self.problems.add(f'line 1: missing column "{name}"')
        if self.problems.count > before:
            return None
        return _Columns(names)

    def _row(self, line: int, row: list[str], columns: _Columns) -> None:
        # Blank rows, which spreadsheets often leave at the end, are not answers.
        if not "".join(row).strip():
            return
        if len(row) != columns.width:
            self._count_row()
            self.problems.add(
                f"line {line}: has {len(row)} fields but the header has {columns.width}"
            )
            return
        self._count_row()
        for cell in row:
            found = first_refused_character(cell)
            if found is not None:
                self.problems.add(f"line {line}: {refusal_words(found)}")
                return
        self._answer(line, row, columns)

    def _count_row(self) -> None:
        self.rows += 1
        if self.on_progress is not None and self.rows % PROGRESS_EVERY == 0:
            self.on_progress(self.rows)

    # -- one row ---------------------------------------------------------------------------

    def _answer(self, line: int, row: list[str], columns: _Columns) -> None:
        """Check one row and add its answer to its response.

        This runs for every row of a file that may have 100,000, so the checks are dictionary
        look-ups, and the words of a problem are only put together when there is one.
        """
        response_id = row[columns.response_id].strip()
        submitted_text = row[columns.submitted_on].strip()
        perspective_text = (
            "" if columns.perspective is None else row[columns.perspective].strip().lower()
        )
        statement_text = row[columns.statement].strip().lower()
        answer_text = row[columns.answer].strip().lower()

        if submitted_text in self.dates:
            submitted_on = self.dates[submitted_text]
        else:
            submitted_on = self.dates[submitted_text] = self._date(submitted_text)
        perspective = self.perspectives.get(perspective_text)
        statement = self.statements.get(statement_text)
        answer = self.answers.get(answer_text)
        valid = bool(
            response_id
            and submitted_on is not None
            and (perspective is not None or not perspective_text)
            and statement is not None
            and answer is not None
        )
        if not valid:
            self._explain(line, row, columns)
        if not response_id:
            return
        response = self._response(line, response_id, submitted_text, perspective_text)
        if statement is None or not self._answers_once(line, response_id, response, statement):
            return
        response.answer_lines[statement] = line
        if valid and answer is not None:
            response.answers[statement] = answer
            story = "" if columns.story is None else row[columns.story].strip()
            if story:
                response.stories[statement] = story

    def _explain(self, line: int, row: list[str], columns: _Columns) -> None:
        """Name each problem with a row, column by column."""
        response_id = row[columns.response_id].strip()
        if not response_id:
            self._problem(line, "response_id", "is required")
        submitted_text = row[columns.submitted_on].strip()
        if self.dates.get(submitted_text) is None:
            self._problem(line, "submitted_on", _date_problem(submitted_text, self.today))
        if columns.perspective is not None:
            perspective_text = row[columns.perspective].strip()
            if perspective_text and perspective_text.lower() not in self.perspectives:
                self._problem(line, "perspective", _perspective_problem(perspective_text))
        statement_text = row[columns.statement].strip()
        if statement_text.lower() in self.we_statements:
            self._problem(
                line,
                "statement",
                f"{_show(statement_text)} is a We statement; only I statements can be answered",
            )
        elif statement_text.lower() not in self.statements:
            self._problem(line, "statement", _statement_problem(statement_text))
        answer_text = row[columns.answer].strip()
        if answer_text.lower() not in self.answers:
            self._problem(line, "answer", _answer_problem(answer_text))

    def _problem(self, line: int, column: str, message: str) -> None:
        self.problems.add(cell_problem(line, column, message))

    def _date(self, text: str) -> date | None:
        parsed = _parse_date(text)
        return parsed if parsed is not None and parsed <= self.today else None

    # -- rows that belong together ---------------------------------------------------------

    def _response(
        self, line: int, response_id: str, submitted_text: str, perspective_text: str
    ) -> _Building:
        """The response this row belongs to, checking the row agrees with its first row."""
        response = self.building.get(response_id)
        if response is None:
            response = _Building(line, submitted_text, perspective_text)
            self.building[response_id] = response
            if len(response_id) > MAX_RESPONSE_ID:
                self._problem(line, "response_id", f"must be {MAX_RESPONSE_ID} characters or fewer")
            elif response_id in self.already_imported:
                self._problem(line, "response_id", already_imported_problem(response_id))
            return response
        first = response.first_line
        if submitted_text != response.submitted_on:
            self._problem(
                line,
                "submitted_on",
                f'response "{response_id}" has submitted_on {_show(response.submitted_on)} '
                f"on line {first} but {_show(submitted_text)} here",
            )
        if perspective_text != response.perspective:
            self._problem(
                line,
                "perspective",
                f'response "{response_id}" has {_shown_perspective(response.perspective)} '
                f"on line {first} but {_shown_perspective(perspective_text)} here",
            )
        return response

    def _answers_once(
        self, line: int, response_id: str, response: _Building, statement: str
    ) -> bool:
        first = response.answer_lines.get(statement)
        if first is None:
            return True
        self._problem(
            line,
            "statement",
            f'response "{response_id}" already answers statement "{statement}" '
            f"(first on line {first})",
        )
        return False

    def _known_date(self, text: str) -> date:
        parsed = self.dates[text]
        if parsed is None:  # pragma: no cover - a bad date is a problem, and problems raise
            raise AssertionError(f"unchecked date {text!r}")
        return parsed

    def _responses(self) -> list[FeedbackResponse]:
        return [
            FeedbackResponse(
                id=response_id,
                submitted_on=self._known_date(response.submitted_on),
                perspective=self.perspectives.get(response.perspective),
                answers=response.answers,
                stories=response.stories,
                line=response.first_line,
            )
            for response_id, response in self.building.items()
        ]


def already_imported_problem(response_id: str) -> str:
    return (
        f"response {_show(response_id)} is already in this review cycle, from a file imported "
        "before; take out the responses already imported, or give them new ids"
    )


def _shown_perspective(text: str) -> str:
    return f"perspective {_show(text)}" if text else "no perspective"


def _perspective_problem(text: str) -> str:
    return f"{_show(text)} is not a perspective; {_PERSPECTIVE_RULE}"


def _statement_problem(text: str) -> str:
    return f"unknown statement {_show(text)}" if text else "is required"


def _answer_problem(text: str) -> str:
    if not text:
        return f"is required; {_ANSWER_RULE}"
    return f"{_show(text)} is not an answer; {_ANSWER_RULE}"


def _looks_like_a_date(text: str) -> bool:
    """Written YYYY-MM-DD in ASCII digits, whether or not it is a real date."""
    return (
        len(text) == 10
        and text.isascii()
        and text[4] == "-"
        and text[7] == "-"
        and (text[:4] + text[5:7] + text[8:]).isdigit()
    )


def _parse_date(text: str) -> date | None:
    """A real calendar date written exactly YYYY-MM-DD, or None.

    The shape is checked first because date.fromisoformat also takes 20250301 and 2025-W09-6.
    """
    if not _looks_like_a_date(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _date_problem(text: str, today: date) -> str:
    if not text:
        return "is required"
    parsed = _parse_date(text)
    if parsed is not None and parsed > today:
        return f"{_show(text)} is after today; feedback cannot have been given in the future"
    if _looks_like_a_date(text):
        return f"{_show(text)} is not a real date"
    return f"{_show(text)} is not a date written YYYY-MM-DD"
