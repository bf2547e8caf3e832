"""Fill an empty database with realistic, varied data of a chosen size, quickly.

For measuring pages at the size of a national roll-out: organisations with their members,
groups and pieces of work (aspects, activities, decisions, check-ins, time and claims), and
review cycles with anonymous responses, answers, stories and actions. Rows are written with
bulk_create in batches; responses, answers and stories, the largest tables, with COPY on
PostgreSQL (and executemany on SQLite) with ids given here. The kept counts of answers are
counted while the answers are made, and written in bulk.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from withpeople.accounts.models import User
from withpeople.audit.models import AuditEvent
from withpeople.domain.ladder import PERSPECTIVE_SLUGS, RUNG_SLUGS, TOP
from withpeople.domain.mir.results import ANSWERS
from withpeople.domain.work_record import DECIDERS, REASON_CATEGORIES
from withpeople.feedback.models import (
    Answer,
    AnswerTally,
    Channel,
    CycleStatus,
    Response,
    ResponseTally,
    ResultsStep,
    ReviewCycle,
    Statement,
    StatementKind,
    Story,
    Theme,
)
from withpeople.feedback.services import default_framework
from withpeople.groups.models import Group, GroupKind, GroupMember, GroupRole
from withpeople.improvement.models import (
    STATUSES_NEEDING_EXPLANATION,
    Action,
    ActionStatus,
    Publication,
)
from withpeople.organisations.models import (
    FiguresVersion,
    Membership,
    Organisation,
    Role,
    SecondFactorRule,
)
from withpeople.recognition.models import (
    ExpenseCategory,
    ExpenseClaim,
    RecognitionPolicy,
    TimeRecord,
)
from withpeople.works.models import (
    Activity,
    ActivityKind,
    Aspect,
    CheckinRound,
    CheckinTally,
    Decision,
    Participation,
    Work,
    WorkStatus,
)
from withpeople.works.services import (
    DEFAULT_ASPECTS,
    PARTNER_ANSWER_PERSPECTIVE,
    STAFF_ANSWER_PERSPECTIVE,
)

BATCH = 5_000
#: Answers written to the database at a time.
ANSWER_BATCH = 200_000
#: How many I statements one person answers, on average, out of the framework's.
ANSWERED_SHARE = 0.6
STORY_SHARE = 0.05

LARGE_WORKS = 2_000
LARGE_MEMBERS = 200
LARGE_CYCLES = 5
LARGE_ANSWERS_PER_CYCLE = 100_000

PLACES = (
    "Northshire", "Eastmoor", "Westbridge", "Southvale", "Kingsford", "Ashby", "Brookfield",
    "Calder", "Dunmore", "Elmstead", "Fairhaven", "Glenholme", "Harrowgate", "Ivybridge",
    "Jarrow", "Kelsall", "Larkhill", "Millbrook", "Newhaven", "Oakley",
)  # fmt: skip
KINDS = ("County Council", "Borough Council", "NHS Trust", "Care Services", "Housing Association")
TOPICS = (
    "day services", "carers' support", "home care", "short breaks", "mental health support",
    "learning disability services", "transport", "housing support", "direct payments",
    "young carers", "dementia care", "hospital discharge", "advocacy", "employment support",
)  # fmt: skip
FIRST = ("Sam", "Alex", "Jo", "Priya", "Tom", "Aisha", "Ben", "Chloe", "Dev", "Ella", "Femi")
LAST = ("Khan", "Smith", "Jones", "Patel", "Brown", "Evans", "Okafor", "Taylor", "Wilson")
STORIES = (
    "The staff listened to me and changed my support plan.",
    "I had to tell my story three times to three different people.",
    "My carer is always on time and knows what I like.",
    "I did not know who to ring when things went wrong.",
    "The group helped me meet people who understand.",
    "Nobody asked me what I wanted before deciding.",
    "The easy-read letter meant I could read it myself.",
    "It took months to get an answer about my direct payment.",
)
PARTNER_PERSPECTIVES = ("lived_experience", "carer")
STAFF_PERSPECTIVES = ("frontline_staff", "back_office_staff", "manager", "commissioner")
ANSWER_WEIGHTS = (26, 30, 20, 11, 7, 6)
REASONS = tuple(REASON_CATEGORIES)
CHANNELS = (Channel.ONLINE, Channel.EASY_READ, Channel.PAPER, Channel.PHONE, Channel.IMPORTED)


@dataclass
class Size:
    organisations: int
    works: int
    members: int
    answers: int
    large: bool = False


@dataclass
class Made:
    counts: Counter[str] = field(default_factory=Counter)


class Filler:
    def __init__(self, size: Size, *, out: Callable[[str], None], seed: int = 2026) -> None:
        self.size = size
        self.out = out
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        self.made: Counter[str] = Counter()
        self.started = time.perf_counter()
        self.today = timezone.localdate()
        self.password = make_password(None)  # nobody can sign in with it

    # -- helpers ---------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.out(f"[{time.perf_counter() - self.started:7.1f} s] {text}")

    def bulk(self, model, rows: Iterable, *, returning: bool = True) -> list:
        saved: list = []
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                saved.extend(self._save(model, batch, returning))
                batch = []
        if batch:
            saved.extend(self._save(model, batch, returning))
        return saved

    def _save(self, model, batch: list, returning: bool) -> list:
        self.made[model._meta.verbose_name_plural] += len(batch)
        done = model.objects.bulk_create(batch)
        return done if returning else []

    def day(self, start: dt.date, days: int) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange(max(days, 1)))

    # -- the whole -------------------------------------------------------------------------

    def run(self) -> Counter[str]:
        framework = default_framework()
        self.i_statements = list(
            Statement.objects.filter(theme__framework=framework, kind=StatementKind.I)
            .order_by("theme__position", "position")
            .values_list("pk", "theme_id")
        )
        self.statement_keys = dict(
            Statement.objects.filter(theme__framework=framework).values_list("pk", "key")
        )
        self.theme_ids = list(
            Theme.objects.filter(framework=framework).values_list("pk", flat=True)
        )
        self.framework = framework
        plans = self._plans()
        self.say(
            f"{len(plans):,} organisations, {sum(p.works for p in plans):,} pieces of work, "
            f"{sum(p.members for p in plans):,} members, "
            f"{sum(sum(p.cycle_answers) for p in plans):,} answers"
        )
        done = 0
        chunk: list[OrgPlan] = []
        with _bulk_loading():
            for plan in plans:
                chunk.append(plan)
                if sum(p.works for p in chunk) >= 2_000 or len(chunk) >= 50:
                    done += self._organisations(chunk)
                    chunk = []
                    self.say(f"{done:,} organisations made")
            if chunk:
                done += self._organisations(chunk)
                self.say(f"{done:,} organisations made")
            self._feedback(plans)
        self._sequences()
        # Written last, once every row is in: until an organisation has a token its kept
        # figures are drawn afresh on each request (withpeople.organisations.figures).
        FiguresVersion.objects.bulk_create(
            FiguresVersion(organisation=plan.organisation) for plan in plans
        )
        return self.made

    def _plans(self) -> list[OrgPlan]:
        size = self.size
        plans: list[OrgPlan] = []
        regular = size.organisations - (1 if size.large else 0)
        answers_left = size.answers
        if size.large:
            large_answers = [LARGE_ANSWERS_PER_CYCLE] * LARGE_CYCLES
            answers_left = max(answers_left - sum(large_answers), 0)
            plans.append(
                OrgPlan(
                    slug="northshire",
                    name="Northshire County Council",
                    works=LARGE_WORKS,
                    members=LARGE_MEMBERS,
                    cycle_answers=large_answers,
                    large=True,
                )
            )
        works_left = max(size.works - (LARGE_WORKS if size.large else 0), regular)
        if regular:
            # Organisations differ in size: a few big ones, many small.
            weights = [self.rng.paretovariate(1.5) for _ in range(regular)]
            total = sum(weights)
            for index, weight in enumerate(weights):
                share = weight / total
                place = PLACES[index % len(PLACES)]
                kind = KINDS[(index // len(PLACES)) % len(KINDS)]
                cycles = 2
                answers = round(answers_left * share)
                split = self.rng.uniform(0.3, 0.7)
                plans.append(
                    OrgPlan(
                        slug=f"{place.lower()}-{index + 1}",
                        name=f"{place} {kind} {index + 1}",
                        works=max(1, round(works_left * share)),
                        members=max(4, round(size.members * share)),
                        cycle_answers=[round(answers * split), answers - round(answers * split)][
                            :cycles
                        ],
                    )
                )
        return plans

    # -- organisations, people and work ----------------------------------------------------

    @transaction.atomic
    def _organisations(self, plans: Sequence[OrgPlan]) -> int:
        rng = self.rng
        # Made-up organisations for measuring, signed into with a password alone, as the demo.
        orgs = self.bulk(
            Organisation,
            (
                Organisation(
                    slug=p.slug,
                    name=p.name,
                    second_factor_required_for=SecondFactorRule.NOBODY,
                )
                for p in plans
            ),
        )
        for plan, org in zip(plans, orgs, strict=True):
            plan.organisation = org
        users = self.bulk(
            User,
            (
                User(
                    email=f"{'admin' if n == 0 else f'person{n}'}@{p.slug}.example",
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    password=self.password,
                )
                for p in plans
                for n in range(p.members)
            ),
        )
        memberships: list[Membership] = []
        at = 0
        for plan in plans:
            for n in range(plan.members):
                role = Role.ADMIN if n == 0 else (Role.STAFF if n % 3 == 1 else Role.PARTNER)
                perspective = (
                    rng.choice(PARTNER_PERSPECTIVES)
                    if role == Role.PARTNER
                    else rng.choice(STAFF_PERSPECTIVES)
                )
                memberships.append(
                    Membership(
                        organisation=plan.organisation,
                        user=users[at],
                        role=role,
                        perspective=perspective,
                    )
                )
                at += 1
        memberships = self.bulk(Membership, memberships)
        by_org: dict[int, list[Membership]] = {}
        for membership in memberships:
            by_org.setdefault(membership.organisation_id, []).append(membership)
        for plan in plans:
            plan.memberships = by_org[plan.organisation.pk]
        self._recognition_settings(plans)
        self._works(plans)
        self._audit(plans)
        return len(plans)

    def _recognition_settings(self, plans: Sequence[OrgPlan]) -> None:
        self.bulk(
            RecognitionPolicy,
            (
                RecognitionPolicy(organisation=p.organisation, hourly_rate=Decimal("15"))
                for p in plans
            ),
            returning=False,
        )
        categories = self.bulk(
            ExpenseCategory,
            (
                ExpenseCategory(organisation=p.organisation, name=name, receipt_required=False)
                for p in plans
                for name in ("Travel", "Care while attending")
            ),
        )
        for index, plan in enumerate(plans):
            plan.categories = categories[index * 2 : index * 2 + 2]

    def _works(self, plans: Sequence[OrgPlan]) -> None:
        rng = self.rng
        groups = self.bulk(
            Group,
            (
                Group(
                    organisation=p.organisation,
                    name=self._title(n),
                    kind=GroupKind.WORK,
                )
                for p in plans
                for n in range(p.works)
            ),
        )
        works: list[Work] = []
        at = 0
        for plan in plans:
            for _n in range(plan.works):
                group = groups[at]
                at += 1
                starts = self.day(self.today - dt.timedelta(days=900), 800)
                works.append(
                    Work(
                        organisation=plan.organisation,
                        group=group,
                        title=group.name,
                        summary=f"Working with people who use {rng.choice(TOPICS)} to improve it.",
                        level=rng.choice(("strategic", "service_design", "individual")),
                        status=rng.choice(list(WorkStatus.values)),
                        starts_on=starts,
                    )
                )
        works = self.bulk(Work, works)
        leads = Work.leads.through
        plan_of: dict[int, OrgPlan] = {p.organisation.pk: p for p in plans}
        self.bulk(
            leads,
            (
                leads(work_id=w.pk, membership_id=self._staff(plan_of[w.organisation_id]).pk)
                for w in works
            ),
            returning=False,
        )
        aspects: list[Aspect] = []
        for w in works:
            for position, (key, name) in enumerate(DEFAULT_ASPECTS):
                stepped_down = rng.random() < 0.15
                aspects.append(
                    Aspect(
                        work=w,
                        key=key,
                        name=name,
                        position=position,
                        intended_rung=rng.choice(RUNG_SLUGS[2:-1]) if stepped_down else TOP.slug,
                        reason_category=rng.choice(REASONS) if stepped_down else "",
                        reason_explanation="The final decision rests with the council's cabinet."
                        if stepped_down
                        else "",
                    )
                )
        aspects = self.bulk(Aspect, aspects)
        aspects_of: dict[int, list[Aspect]] = {}
        for aspect in aspects:
            aspects_of.setdefault(aspect.work_id, []).append(aspect)
        # Each group: two or three partners of the organisation and a member of staff.
        members: list[GroupMember] = []
        for w in works:
            plan = plan_of[w.organisation_id]
            chosen = rng.sample(plan.memberships, min(3, len(plan.memberships)))
            for index, membership in enumerate(chosen):
                members.append(
                    GroupMember(
                        group_id=w.group_id,
                        membership=membership,
                        name=membership.user.name,
                        perspective=membership.perspective,
                        role=GroupRole.CHAIR if index == 0 else GroupRole.MEMBER,
                    )
                )
            members.append(
                GroupMember(
                    group_id=w.group_id,
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    contact="by post",
                    perspective=rng.choice(PARTNER_PERSPECTIVES),
                )
            )
        members = self.bulk(GroupMember, members)
        in_group: dict[int, list[GroupMember]] = {}
        for member in members:
            in_group.setdefault(member.group_id, []).append(member)
        activities: list[Activity] = []
        decisions: list[Decision] = []
        for w in works:
            for aspect in rng.sample(aspects_of[w.pk], 2):
                activities.append(
                    Activity(
                        work=w,
                        aspect=aspect,
                        date=self.day(w.starts_on, 300),
                        kind=rng.choice(list(ActivityKind.values)),
                        title=f"{aspect.name} session",
                        partners_shaped_agenda=rng.random() < 0.6,
                        views_sought=True,
                    )
                )
            aspect = rng.choice(aspects_of[w.pk])
            decisions.append(
                Decision(
                    work=w,
                    aspect=aspect,
                    date=self.day(w.starts_on, 300),
                    summary=f"We agreed to change how {rng.choice(TOPICS)} are booked.",
                    decided_by=rng.choice(list(DECIDERS)),
                )
            )
        activities = self.bulk(Activity, activities)
        self.bulk(Decision, decisions, returning=False)
        work_of = {w.pk: w for w in works}
        times: list[TimeRecord] = []
        claims: list[ExpenseClaim] = []
        for activity in activities:
            w = work_of[activity.work_id]
            member = rng.choice(in_group[w.group_id])
            times.append(
                TimeRecord(
                    organisation_id=w.organisation_id,
                    member=member,
                    activity=activity,
                    date=activity.date,
                    minutes=rng.choice((60, 90, 120, 180)),
                )
            )
            if rng.random() < 0.3:
                claims.append(
                    ExpenseClaim(
                        organisation_id=w.organisation_id,
                        member=member,
                        category=plan_of[w.organisation_id].categories[0],
                        date=activity.date,
                        description="Bus fare",
                        amount=Decimal(rng.choice(("2.50", "4.80", "12.00"))),
                    )
                )
        self.bulk(
            Participation,
            (
                Participation(activity=activity, member=member)
                for activity in activities
                for member in in_group[work_of[activity.work_id].group_id][:3]
            ),
            returning=False,
        )
        self.bulk(TimeRecord, times, returning=False)
        self.bulk(ExpenseClaim, claims, returning=False)
        rounds = self.bulk(
            CheckinRound,
            (
                CheckinRound(
                    work=w,
                    name="Spring check-in",
                    opened_at=timezone.now() - dt.timedelta(days=60),
                    closed_at=timezone.now() - dt.timedelta(days=30),
                )
                for w in works
            ),
        )
        tallies: list[CheckinTally] = []
        for checkin_round in rounds:
            for aspect in aspects_of[checkin_round.work_id]:
                for perspective in (PARTNER_ANSWER_PERSPECTIVE, STAFF_ANSWER_PERSPECTIVE):
                    for rung in rng.sample(RUNG_SLUGS, 2):
                        tallies.append(
                            CheckinTally(
                                round=checkin_round,
                                aspect=aspect,
                                perspective=perspective,
                                rung=rung,
                                count=rng.randint(1, 6),
                            )
                        )
        self.bulk(CheckinTally, tallies, returning=False)

    def _title(self, n: int) -> str:
        return f"{self.rng.choice(TOPICS).capitalize()} review {n + 1}"

    def _staff(self, plan: OrgPlan) -> Membership:
        staff = [m for m in plan.memberships[:4] if m.role != Role.PARTNER]
        return self.rng.choice(staff or plan.memberships)

    def _audit(self, plans: Sequence[OrgPlan]) -> None:
        rng = self.rng
        now = timezone.now()
        self.bulk(
            AuditEvent,
            (
                AuditEvent(
                    organisation=p.organisation,
                    actor_id=m.user_id,
                    action=rng.choice(("viewed_payments", "signed_in", "exported_finance")),
                    at=now - dt.timedelta(minutes=rng.randrange(60 * 24 * 365)),
                )
                for p in plans
                for m in p.memberships
                for _ in range(5)
            ),
            returning=False,
        )

    # -- feedback --------------------------------------------------------------------------

    def _feedback(self, plans: Sequence[OrgPlan]) -> None:
        cycles: list[tuple[ReviewCycle, int]] = []
        rows: list[ReviewCycle] = []
        for plan in plans:
            count = len(plan.cycle_answers)
            for index, _answers in enumerate(plan.cycle_answers):
                starts = self.today - dt.timedelta(days=180 * (count - index))
                rows.append(
                    ReviewCycle(
                        organisation=plan.organisation,
                        framework=self.framework,
                        slug=f"cycle-{index + 1}",
                        name=f"Review {starts.year} ({index + 1})",
                        starts_on=starts,
                        ends_on=starts + dt.timedelta(days=90),
                        status=CycleStatus.OPEN if index == count - 1 else CycleStatus.CLOSED,
                    )
                )
        saved = self.bulk(ReviewCycle, rows)
        answer_counts = [a for plan in plans for a in plan.cycle_answers]
        cycles = list(zip(saved, answer_counts, strict=True))
        self.bulk(
            Publication,
            (Publication(cycle=c) for c, _n in cycles if c.status == CycleStatus.CLOSED),
            returning=False,
        )
        actions = self.bulk(
            Action,
            (
                Action(
                    cycle=c,
                    title=f"Action {n + 1}: make {self.rng.choice(TOPICS)} easier to reach",
                    status=self.rng.choice(list(ActionStatus.values)),
                    published=n % 2 == 0,
                    due_on=c.ends_on + dt.timedelta(days=30 * (n + 1)),
                    explanation="",
                )
                for c, _n in cycles
                for n in range(8)
            ),
        )
        explained = [a for a in actions if a.status in STATUSES_NEEDING_EXPLANATION]
        for action in explained:
            action.explanation = "We changed the booking line after people told us."
        Action.objects.bulk_update(explained, ["explanation"], batch_size=BATCH)
        total = sum(answer_counts)
        self.say(f"{len(cycles):,} review cycles; writing {total:,} answers")
        writer = RowWriter()
        next_response = (
            Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        next_story = (Story.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        written = 0
        reported = 0
        response_rows: list[tuple] = []
        answer_rows: list[tuple] = []
        story_rows: list[tuple] = []
        answer_tallies: list[tuple] = []
        response_tallies: list[tuple] = []
        results_steps: list[tuple] = []
        rng = self.rng
        statements = self.i_statements
        per_response = max(1, round(len(statements) * ANSWERED_SHARE))
        perspectives = (*PERSPECTIVE_SLUGS, "", "")
        with transaction.atomic():
            for cycle, wanted in cycles:
                kept_answers: Counter[tuple[int, str, str]] = Counter()
                kept_responses: Counter[str] = Counter()
                made = 0
                while made < wanted:
                    k = min(per_response + rng.randint(-5, 5), len(statements), wanted - made)
                    k = max(k, 1)
                    perspective = rng.choice(perspectives)
                    channel = rng.choice(CHANNELS)
                    response_id = next_response
                    next_response += 1
                    response_rows.append(
                        (
                            response_id,
                            cycle.pk,
                            self.day(cycle.starts_on, 90),
                            perspective,
                            channel,
                            f"r{response_id}" if channel == Channel.IMPORTED else "",
                        )
                    )
                    kept_responses[perspective] += 1
                    chosen = rng.sample(statements, k)
                    given = rng.choices(ANSWERS, weights=ANSWER_WEIGHTS, k=k)
                    for (statement_id, _theme), answer in zip(chosen, given, strict=True):
                        answer_rows.append((response_id, statement_id, answer))
                        kept_answers[(statement_id, perspective, answer)] += 1
                    if rng.random() < STORY_SHARE:
                        story_rows.append(
                            (
                                next_story,
                                response_id,
                                cycle.pk,
                                rng.choice(self.theme_ids),
                                rng.choice(STORIES),
                                rng.random() < 0.2,
                            )
                        )
                        next_story += 1
                    made += k
                    if len(answer_rows) >= ANSWER_BATCH:
                        written += self._flush(writer, response_rows, answer_rows, story_rows)
                        if written - reported >= 1_000_000:
                            reported = written
                            self.say(f"{written:,} of {total:,} answers written")
                answer_tallies.extend(
                    (cycle.pk, s, p, a, n) for (s, p, a), n in kept_answers.items()
                )
                response_tallies.extend((cycle.pk, p, n) for p, n in kept_responses.items())
                # Results are shown from published steps: each cycle starts from a first one.
                results_steps.append(
                    (
                        cycle.pk,
                        timezone.now(),
                        sum(kept_responses.values()),
                        json.dumps(
                            sorted(
                                [self.statement_keys[s], p, a, n]
                                for (s, p, a), n in kept_answers.items()
                            )
                        ),
                    )
                )
            written += self._flush(writer, response_rows, answer_rows, story_rows)
            # Millions of counts for thousands of cycles: written as plain rows too.
            names = ("cycle", "statement", "perspective", "answer", "n")
            writer.write(AnswerTally, names, answer_tallies)
            writer.write(ResponseTally, ("cycle", "perspective", "n"), response_tallies)
            writer.write(
                ResultsStep, ("cycle", "published_at", "responses", "answers"), results_steps
            )
            self.made["answer tallies"] += len(answer_tallies)
            self.made["response tallies"] += len(response_tallies)
        self.say(f"{written:,} answers written, with their kept counts")

    def _flush(self, writer: RowWriter, responses: list, answers: list, stories: list) -> int:
        writer.write(
            Response,
            ("id", "cycle", "submitted_on", "perspective", "channel", "import_ref"),
            responses,
        )
        writer.write(Answer, ("response", "statement", "answer"), answers)
        writer.write(
            Story, ("id", "response", "cycle", "theme", "text", "chosen_for_publication"), stories
        )
        self.made["responses"] += len(responses)
        self.made["answers"] += len(answers)
        self.made["stories"] += len(stories)
        n = len(answers)
        responses.clear()
        answers.clear()
        stories.clear()
        return n

    def _sequences(self) -> None:
        """After rows written with their own ids, the next id the database gives is past them."""
        if connection.vendor != "postgresql":
            return
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Response, Story]):
                cursor.execute(sql)


@contextmanager
def _bulk_loading():
    """On PostgreSQL, write rows without per-row foreign-key checks and without waiting for
    each commit to reach the disk, as pg_restore does: every id written was made here, for rows
    just saved, in a database that was empty. Needs a superuser; otherwise the rows are checked
    as usual."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        # Not a superuser: foreign keys are checked, which is only slower.
        with suppress(DatabaseError), transaction.atomic():
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
            cursor.execute("RESET synchronous_commit")


@dataclass
class OrgPlan:
    slug: str
    name: str
    works: int
    members: int
    cycle_answers: list[int]
    large: bool = False
    organisation: Organisation | None = None
    memberships: list[Membership] = field(default_factory=list)
    categories: list[ExpenseCategory] = field(default_factory=list)


class RowWriter:
    """Writes plain rows to a model's table: COPY on PostgreSQL, executemany elsewhere."""

    def write(self, model, names: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        meta = model._meta
        quote = connection.ops.quote_name
        columns = ", ".join(quote(meta.get_field(name).column) for name in names)
        table = quote(meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - model names
                    rows,
                )
