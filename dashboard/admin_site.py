"""The desk's admin site: the Django admin, with the dashboard as its index for reviewers and
editors, who sign in with their desk role (no separate staff flag needed)."""

from datetime import timedelta

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.template.response import TemplateResponse

from alerts.selectors import unread_notifications
from dashboard import charts, selectors
from factdesk.roles import user_is_editor, user_is_reviewer


class DeskLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        if user.is_active and user_is_reviewer(user):
            return
        super().confirm_login_allowed(user)


class DeskAdminSite(AdminSite):
    site_header = "FactDesk"
    site_title = "FactDesk"
    index_title = "The desk"
    # "View site": the public fact-checks.
    site_url = "/"
    login_form = DeskLoginForm
    index_template = "admin/dashboard/index.html"
    # The desk's pages need the width; the app list is on the dashboard.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_staff or user_is_reviewer(user))

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        context = dict(extra_context or {})
        if user_is_reviewer(request.user):
            context["dashboard"] = dashboard_context(is_editor=user_is_editor(request.user))
            count, latest = unread_notifications(user=request.user)
            context["dashboard"]["alerts"] = {"unread": count, "latest": latest}
        return super().index(request, context)


def dashboard_context(*, is_editor: bool) -> dict:
    flow = selectors.daily_flow(days=14)
    waits = selectors.time_to_verdict(days=30)
    ratings = selectors.verdicts_by_rating()
    bands = selectors.queue_by_priority_band()
    load = selectors.reviewer_load()
    return {
        "is_editor": is_editor,
        "totals": selectors.desk_totals(),
        "flow_chart": charts.daily_columns(
            flow.days,
            [
                ("Claims in", flow.claims_in, "series-in"),
                ("Checked", flow.checked, "series-checked"),
                ("Published", flow.published, "series-published"),
            ],
            title="Claims in, checked and published per day, last 14 days",
        ),
        "flow_totals": {
            "claims_in": sum(flow.claims_in),
            "checked": sum(flow.checked),
            "published": sum(flow.published),
        },
        "waits": waits,
        "p50": readable_duration(waits.p50),
        "p90": readable_duration(waits.p90),
        "ratings_chart": charts.horizontal_bars(
            ratings, title="Verdicts by rating", css_class="bar-rating", empty="No verdicts yet."
        ),
        "bands_chart": charts.horizontal_bars(
            bands, title="The queue by priority band", css_class="bar-band"
        ),
        "load_chart": charts.horizontal_bars(
            [(person.username, person.holding + person.awaiting_sign_off) for person in load],
            title="Open work per reviewer: held now and awaiting sign-off",
            css_class="bar-load",
            empty="Nobody holds a review or awaits sign-off.",
        ),
        "load": load,
        "spread": selectors.most_spread_open_claims(),
    }


def readable_duration(value: timedelta | None) -> str:
    """E.g. "45 min", "3 h 20 min", "2 days 4 h"; "no verdicts yet" when there is none."""
    if value is None:
        return "—"
    minutes = max(0, round(value.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h" if hours else f"{days} days"
