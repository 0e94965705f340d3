"""The figures of the desk's dashboard: each one query (or two), pinned by tests."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from claims.models import Claim
from reviews.models import Review

State = Review.State

# The queue's priority bands, highest first: (label, lowest priority in the band).
PRIORITY_BANDS = (
    ("Urgent (1.0 and above)", 1.0),
    ("High (0.75 to 1.0)", 0.75),
    ("Medium (0.5 to 0.75)", 0.5),
    ("Low (below 0.5)", None),
)
VERDICT_STATES = (State.SUBMITTED, State.APPROVED, State.PUBLISHED)


@dataclass(frozen=True)
class DailyFlow:
    days: list[date]
    claims_in: list[int]
    checked: list[int]
    published: list[int]


@dataclass(frozen=True)
class TimeToVerdict:
    verdicts: int
    p50: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class ReviewerLoad:
    username: str
    holding: int
    awaiting_sign_off: int
    verdicts_this_week: int


def _day_counts(queryset: QuerySet, field: str, since: datetime) -> dict[date, int]:
    tz = timezone.get_current_timezone()
    rows = (
        queryset.filter(**{f"{field}__gte": since})
        .annotate(day=TruncDate(field, tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["day"]: row["n"] for row in rows}


def daily_flow(*, days: int = 14, now: datetime | None = None) -> DailyFlow:
    """Claims found, verdicts submitted and verdicts published per day (three queries)."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    claims_in = _day_counts(Claim.objects.all(), "created_at", since)
    checked = _day_counts(Review.objects.all(), "submitted_at", since)
    published = _day_counts(Review.objects.all(), "published_at", since)
    span = [first + timedelta(days=i) for i in range(days)]
    return DailyFlow(
        days=span,
        claims_in=[claims_in.get(day, 0) for day in span],
        checked=[checked.get(day, 0) for day in span],
        published=[published.get(day, 0) for day in span],
    )


def _percentile(sorted_values: list[timedelta], fraction: float) -> timedelta | None:
    """Nearest-rank percentile."""
    if not sorted_values:
        return None
    rank = max(1, round(fraction * len(sorted_values) + 0.4999))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def time_to_verdict(*, days: int = 30, now: datetime | None = None) -> TimeToVerdict:
    """From entering the queue to the reviewer's verdict, for verdicts of the last `days` days."""
    since = (now or timezone.now()) - timedelta(days=days)
    waits = sorted(
        Review.objects.filter(submitted_at__gte=since)
        .annotate(wait=F("submitted_at") - F("created_at"))
        .values_list("wait", flat=True)
    )
    return TimeToVerdict(
        verdicts=len(waits), p50=_percentile(waits, 0.5), p90=_percentile(waits, 0.9)
    )


def verdicts_by_rating() -> list[tuple[str, int]]:
    """Verdicts (submitted, approved or published) per rating, in the scale's order."""
    rows = (
        Review.objects.filter(state__in=VERDICT_STATES, rating__isnull=False)
        .values("rating__name", "rating__order", "rating__value")
        .annotate(n=Count("id"))
        .order_by("rating__order", "rating__value")
    )
    return [(row["rating__name"], row["n"]) for row in rows]


def queue_by_priority_band() -> list[tuple[str, int]]:
    """Queued claims per priority band, in one query."""
    filters = {}
    upper = None
    for label, lower in PRIORITY_BANDS:
        condition = Q()
        if lower is not None:
            condition &= Q(priority__gte=lower)
        if upper is not None:
            condition &= Q(priority__lt=upper)
        filters[label] = Count("id", filter=condition)
        upper = lower
    counts = Review.objects.filter(state=State.QUEUED).aggregate(
        **{f"band{i}": aggregate for i, aggregate in enumerate(filters.values())}
    )
    return [(label, counts[f"band{i}"]) for i, label in enumerate(filters)]


def reviewer_load(*, now: datetime | None = None) -> list[ReviewerLoad]:
    """Per person: reviews held now, verdicts awaiting sign-off, verdicts this week."""
    week_ago = (now or timezone.now()) - timedelta(days=7)
    rows = (
        Review.objects.filter(
            Q(state=State.IN_REVIEW, assignee__isnull=False)
            | Q(state__in=VERDICT_STATES, submitted_by__isnull=False)
        )
        .values("state", "assignee__username", "submitted_by__username", "submitted_at")
        .order_by()
    )
    load: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["state"] == State.IN_REVIEW:
            load.setdefault(row["assignee__username"], {}).setdefault("holding", 0)
            load[row["assignee__username"]]["holding"] += 1
            continue
        person = load.setdefault(row["submitted_by__username"], {})
        if row["state"] in (State.SUBMITTED, State.APPROVED):
            person["awaiting"] = person.get("awaiting", 0) + 1
        if row["submitted_at"] and row["submitted_at"] >= week_ago:
            person["week"] = person.get("week", 0) + 1
    return sorted(
        (
            ReviewerLoad(
                username=name,
                holding=counts.get("holding", 0),
                awaiting_sign_off=counts.get("awaiting", 0),
                verdicts_this_week=counts.get("week", 0),
            )
            for name, counts in load.items()
        ),
        key=lambda person: (-person.holding, -person.verdicts_this_week, person.username),
    )


def most_spread_open_claims(*, limit: int = 8) -> list[Review]:
    """Open reviews whose claim the most outlets carry. A review belongs to a cluster of
    claims, so each claim shows once however many outlets carried it."""
    return list(
        Review.objects.filter(state__in=Review.OPEN_STATES)
        .select_related("claim__document", "assignee")
        .only(
            "id",
            "state",
            "appearance_outlets",
            "appearance_documents",
            "priority",
            "assignee__username",
            "claim__id",
            "claim__text",
            "claim__speaker",
            "claim__document__id",
            "claim__document__outlet",
        )
        .order_by("-appearance_outlets", "-appearance_documents", "-priority", "id")[:limit]
    )


def desk_totals() -> dict[str, int]:
    """The headline counts: queued, in review, awaiting sign-off, published (one query)."""
    return Review.objects.aggregate(
        queued=Count("id", filter=Q(state=State.QUEUED)),
        in_review=Count("id", filter=Q(state=State.IN_REVIEW)),
        awaiting=Count("id", filter=Q(state__in=[State.SUBMITTED, State.APPROVED])),
        published=Count("id", filter=Q(state=State.PUBLISHED)),
    )
