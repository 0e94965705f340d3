from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from claims.tests.factories import ClaimFactory
from conftest import make_user
from dashboard import charts, selectors
from dashboard.admin_site import readable_duration
from reviews.models import Rating, Review
from reviews.tests.factories import ReviewFactory, cluster_of

pytestmark = pytest.mark.django_db
State = Review.State


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verdict(*, rating: Rating, by: User, waited: timedelta, state=State.SUBMITTED) -> Review:
    now = timezone.now()
    review = ReviewFactory(state=state, rating=rating, submitted_by=by, submitted_at=now)
    Review.objects.filter(pk=review.pk).update(created_at=now - waited)
    return review


def test_a_reviewer_without_the_staff_flag_signs_in_and_sees_the_dashboard_with_charts(db):
    make_user("rosa", "reviewer")
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "rosa", "password": "pw-rosa-12345"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="chart"' in html
    assert "Take the next claim" in html and "Reviewer load" in html


def test_someone_outside_the_desk_cannot_sign_in(db):
    User.objects.create_user("visitor", password="pw-visitor-12345")
    response = Client().post(
        "/admin/login/?next=/admin/", {"username": "visitor", "password": "pw-visitor-12345"}
    )
    assert response.status_code == 200
    assert "staff account" in response.content.decode()


def test_the_index_of_a_staff_member_outside_the_desk_is_the_plain_app_list(db):
    staff = User.objects.create_user("ops", password="pw-ops-12345", is_staff=True)
    html = logged_in(staff).get("/admin/").content.decode()
    assert '<svg class="chart"' not in html


def test_dashboard_query_count_is_pinned(editor, reviewer, django_assert_max_num_queries):
    rating = Rating.objects.order_by("value").first()
    for _ in range(30):
        verdict(rating=rating, by=reviewer, waited=timedelta(hours=2))
    ReviewFactory.create_batch(30)
    client = logged_in(editor)
    # session and user, groups, 3 daily counts, waits, ratings, bands, load, spread, totals,
    # alerts (2)
    with django_assert_max_num_queries(16):
        response = client.get("/admin/")
    assert response.status_code == 200


def test_daily_flow_counts_claims_in_checked_and_published_per_day(
    reviewer, django_assert_num_queries
):
    now = timezone.now()
    ClaimFactory.create_batch(3)
    rating = Rating.objects.first()
    verdict(rating=rating, by=reviewer, waited=timedelta(hours=1))
    ReviewFactory(state=State.PUBLISHED, published_at=now, submitted_at=now - timedelta(days=2))

    with django_assert_num_queries(3):
        flow = selectors.daily_flow(days=7)

    assert len(flow.days) == 7 and flow.days[-1] == timezone.localdate()
    assert flow.claims_in[-1] == 5  # three claims and the claims of the two reviews
    assert flow.checked[-1] == 1 and flow.checked[-3] == 1
    assert flow.published[-1] == 1 and sum(flow.published) == 1


def test_time_to_verdict_gives_the_median_and_the_90th_percentile(
    reviewer, django_assert_num_queries
):
    rating = Rating.objects.first()
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10):
        verdict(rating=rating, by=reviewer, waited=timedelta(hours=hours))

    with django_assert_num_queries(1):
        waits = selectors.time_to_verdict(days=30)

    assert waits.verdicts == 10
    assert round(waits.p50.total_seconds() / 3600) == 5
    assert round(waits.p90.total_seconds() / 3600) == 9
    assert readable_duration(waits.p50).startswith("5 h") or readable_duration(
        waits.p50
    ).startswith("4 h")


def test_readable_durations():
    assert readable_duration(None) == "—"
    assert readable_duration(timedelta(minutes=45)) == "45 min"
    assert readable_duration(timedelta(hours=3, minutes=20)) == "3 h 20 min"
    assert readable_duration(timedelta(days=3, hours=4)) == "3 days 4 h"


def test_verdicts_by_rating_follow_the_scale(reviewer, django_assert_num_queries):
    scale = list(Rating.objects.order_by("order"))
    verdict(rating=scale[2], by=reviewer, waited=timedelta(hours=1))
    verdict(rating=scale[0], by=reviewer, waited=timedelta(hours=1))
    verdict(rating=scale[0], by=reviewer, waited=timedelta(hours=1), state=State.PUBLISHED)
    ReviewFactory(state=State.DISMISSED, rating=scale[1])

    with django_assert_num_queries(1):
        rows = selectors.verdicts_by_rating()

    assert rows == [(scale[0].name, 2), (scale[2].name, 1)]


def test_queue_by_priority_band(django_assert_num_queries):
    for priority in (1.4, 0.9, 0.8, 0.6, 0.2):
        ReviewFactory(priority=priority)
    ReviewFactory(priority=2.0, state=State.IN_REVIEW)

    with django_assert_num_queries(1):
        bands = selectors.queue_by_priority_band()

    assert [count for _, count in bands] == [1, 2, 1, 1]


def test_reviewer_load(reviewer, second_reviewer, django_assert_num_queries):
    soon = timezone.now() + timedelta(minutes=20)
    ReviewFactory.create_batch(2, state=State.IN_REVIEW, assignee=reviewer, locked_until=soon)
    verdict(rating=Rating.objects.first(), by=second_reviewer, waited=timedelta(hours=1))

    with django_assert_num_queries(1):
        load = selectors.reviewer_load()

    assert [(p.username, p.holding, p.awaiting_sign_off, p.verdicts_this_week) for p in load] == [
        ("rita", 2, 0, 0),
        ("ravi", 0, 1, 1),
    ]


def test_most_spread_open_claims_show_each_cluster_once(django_assert_num_queries):
    wide = ReviewFactory(appearance_outlets=4, appearance_documents=4)
    syndicated = ClaimFactory(text=wide.claim.text, document__outlet="Another Outlet")
    cluster_of(syndicated)
    narrow = ReviewFactory(appearance_outlets=2)
    ReviewFactory(appearance_outlets=9, state=State.PUBLISHED)

    with django_assert_num_queries(1):
        shown = selectors.most_spread_open_claims(limit=5)

    assert syndicated.cluster_id == wide.cluster_id
    assert [review.pk for review in shown] == [wide.pk, narrow.pk]


def test_chart_labels_are_escaped():
    svg = charts.horizontal_bars([("<script>x</script>", 3)], title="Load & <b>more</b>")
    assert "<script>x" not in svg and "&lt;script&gt;" in svg
    assert "Load &amp; &lt;b&gt;more" in svg


def test_daily_columns_draw_one_bar_per_day_and_series():
    days = [timezone.localdate() - timedelta(days=i) for i in (2, 1, 0)]
    svg = charts.daily_columns(days, [("In", [1, 2, 3], "a"), ("Out", [0, 1, 0], "b")], title="t")
    assert svg.count("<rect ") == 6
    assert "In, " in svg and "Out" in svg
