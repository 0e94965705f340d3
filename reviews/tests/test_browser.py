"""The desk's main path in a real browser: Debian's Chromium driven by Playwright.

A reviewer and an editor walk from the dashboard to a published fact-check. Every page a role
is meant to see must load without a console error, without a 4xx/5xx response and without a
request to any host but the test server. Full-page screenshots of the dashboard, the queue, the
review workspace, the story page and the public page are saved under var/screenshots/.
"""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from claims.models import Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import CHROMIUM, CHROMIUM_ARGS, make_user
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
CLAIM = "Harbour officials said 12,400 containers passed through the port in October."
SUMMARY = "<script>window.pwned = true</script> The port handled 11,000 containers."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM} (CI installs it)"
    ),
]


class Watchdog:
    """Collects what a person should never meet: console errors, failed responses, requests
    to other hosts, dialogs."""

    def __init__(self, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.problems: list[str] = []

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.problems.append(f"console error on {page.url}: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("request", self._request)
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and self.problems.append(f"{response.status} for {response.url}")
            ),
        )
        page.on(
            "dialog",
            lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()),
        )

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != self.host:
            self.problems.append(f"request to another host: {request.url}")


def shoot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-12345")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def walk_the_desk(base: str, story_id: int) -> dict:
    """A reviewer takes the next claim, adds evidence, a note and the checklist, and submits;
    an editor approves and publishes and opens the public page. Returns what the pages showed."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watchdog = Watchdog(base)
    seen: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        reviewer = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        watchdog.attach(reviewer)
        log_in(reviewer, base, "rita")
        seen["dashboard_charts"] = reviewer.locator("svg.chart").count()
        shoot(reviewer, "dashboard-reviewer")
        reviewer.click(".dashboard-actions >> text=The queue")
        reviewer.wait_for_selector("#result_list tbody tr")
        seen["queue_row_height"] = reviewer.evaluate(
            "document.querySelector('#result_list tbody tr').getBoundingClientRect().height"
        )
        seen["queue_fits"] = reviewer.evaluate(
            "(() => { const t = document.querySelector('#result_list');"
            " const box = document.querySelector('#changelist .results');"
            " return t.getBoundingClientRect().right <= box.getBoundingClientRect().right + 1"
            " || box.scrollWidth > box.clientWidth; })()"
        )
        shoot(reviewer, "queue")
        reviewer.click("#claim-next")
        reviewer.wait_for_selector("#evidence-form")
        seen["rating_value"] = reviewer.input_value("#verdict-rating")
        seen["highlighted"] = reviewer.locator("mark.this-claim").inner_text()
        reviewer.fill("#evidence-url", "https://stats.example.org/table-7")
        reviewer.fill("#evidence-excerpt", "Table 7 gives 11,000.")
        reviewer.select_option("#evidence-stance", "refutes")
        reviewer.fill("#evidence-note", "The port's own yearly table.")
        reviewer.click("#add-evidence")
        reviewer.wait_for_selector("text=Evidence added.")
        reviewer.fill("#note-body", "@edna the October table disagrees with the claim.")
        reviewer.click("#add-note")
        reviewer.wait_for_selector("text=Note added.")
        reviewer.click("#ws-checklist button.ws-tick >> nth=0")
        reviewer.wait_for_selector("text=Checklist updated.")
        reviewer.select_option("#verdict-rating", label="False")
        reviewer.fill("#verdict-summary", SUMMARY)
        reviewer.click("#submit-verdict")
        reviewer.wait_for_selector("text=Verdict submitted for sign-off.")
        seen["reviewer_summary"] = reviewer.locator(".field-summary").inner_text()
        seen["reviewer_script_ran"] = reviewer.evaluate("window.pwned === true")
        shoot(reviewer, "review-reviewer")
        reviewer.goto(f"{base}/admin/claims/story/{story_id}/change/")
        shoot(reviewer, "story")

        editor = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        watchdog.attach(editor)
        log_in(editor, base, "edna")
        seen["editor_alerts"] = editor.locator("#dashboard-alerts").inner_text()
        shoot(editor, "dashboard-editor")
        editor.click("text=Awaiting sign-off")
        editor.click("text=Harbour officials said")
        editor.click("#approve-review")
        editor.wait_for_selector("text=Verdict approved.")
        editor.click("#publish-review")
        editor.wait_for_selector("text=Verdict published.")
        seen["editor_summary"] = editor.locator(".field-summary").inner_text()
        seen["editor_script_ran"] = editor.evaluate("window.pwned === true")
        shoot(editor, "review-editor")
        editor.click("#public-page")
        editor.wait_for_selector("#claim")
        seen["public_jsonld"] = editor.locator('script[type="application/ld+json"]').text_content()
        seen["public_script_ran"] = editor.evaluate("window.pwned === true")
        shoot(editor, "public")
        editor.goto(f"{base}/api/docs/")
        editor.wait_for_selector(".swagger-ui .info", timeout=15_000)
        browser.close()
    seen["problems"] = watchdog.problems
    return seen


def test_reviewer_and_editor_walk_from_the_dashboard_to_a_public_fact_check(
    live_server, committed_desk
):
    make_user("rita", "reviewer")
    make_user("edna", "editor")
    story = Story.objects.create(title="Port figures")
    document = DocumentFactory(
        title="Port figures", outlet="Harbour Times", text=CLAIM, story=story
    )
    DocumentFactory(title="Port figures, again", outlet="Coast Post", story=story)
    ReviewFactory(claim=ClaimFactory(document=document), priority=5.0)
    for _ in range(60):
        ReviewFactory()

    # Playwright's sync API runs an event loop in its thread; the ORM stays in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(walk_the_desk, live_server.url, story.pk).result()

    assert seen["problems"] == []
    assert seen["dashboard_charts"] >= 2  # the days and the queue by priority, at least
    assert seen["queue_row_height"] < 80 and seen["queue_fits"]
    assert seen["rating_value"] == ""
    assert seen["highlighted"] == CLAIM
    assert SUMMARY in seen["reviewer_summary"] and SUMMARY in seen["editor_summary"]
    assert not (
        seen["reviewer_script_ran"] or seen["editor_script_ran"] or seen["public_script_ran"]
    )
    assert "Mentioned by rita" in seen["editor_alerts"]
    review = Review.objects.select_related("submitted_by", "approved_by").get(
        claim__document=document
    )
    assert (review.state, review.submitted_by.username, review.approved_by.username) == (
        Review.State.PUBLISHED,
        "rita",
        "edna",
    )
    assert json.loads(seen["public_jsonld"])["reviewBody"] == SUMMARY
    for name in ("dashboard-reviewer", "queue", "review-reviewer", "story", "public"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
    assert not re.search(r"</script", seen["public_jsonld"], re.I)
