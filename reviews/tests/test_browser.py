"""The desk's main path in a real browser: Debian's Chromium driven by Playwright."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import CHROMIUM, CHROMIUM_ARGS, make_user
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

CLAIM = "Harbour officials said 12,400 containers passed through the port in October."
SUMMARY = "<script>window.pwned = true</script> The port handled 11,000 containers."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM} (CI installs it)"
    ),
]


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/reviews/review/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-12345")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/reviews/review/")


def walk_the_desk(base: str) -> dict:
    """A reviewer takes the next claim, adds evidence and submits; an editor approves and
    publishes. Returns what the pages showed."""
    from playwright.sync_api import sync_playwright

    seen: dict = {"dialogs": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        reviewer = browser.new_context().new_page()
        reviewer.on(
            "dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss())
        )
        log_in(reviewer, base, "rita")
        reviewer.click("#claim-next")
        reviewer.wait_for_selector("#evidence-form")
        seen["highlighted"] = reviewer.locator("mark").inner_text()
        reviewer.fill("#evidence-url", "https://stats.example.org/table-7")
        reviewer.fill("#evidence-excerpt", "Table 7 gives 11,000.")
        reviewer.select_option("#evidence-stance", "refutes")
        reviewer.click("#add-evidence")
        reviewer.wait_for_selector("text=Evidence added.")
        reviewer.select_option("#verdict-rating", label="False")
        reviewer.fill("#verdict-summary", SUMMARY)
        reviewer.click("#submit-verdict")
        reviewer.wait_for_selector("text=Verdict submitted for sign-off.")
        seen["reviewer_summary"] = reviewer.locator(".field-summary").inner_text()
        seen["reviewer_script_ran"] = reviewer.evaluate("window.pwned === true")

        editor = browser.new_context().new_page()
        editor.on(
            "dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss())
        )
        log_in(editor, base, "edna")
        editor.click("text=Awaiting sign-off")
        editor.click("text=Harbour officials said")
        editor.click("#approve-review")
        editor.wait_for_selector("text=Verdict approved.")
        editor.click("#publish-review")
        editor.wait_for_selector("text=Verdict published.")
        seen["editor_summary"] = editor.locator(".field-summary").inner_text()
        seen["editor_script_ran"] = editor.evaluate("window.pwned === true")
        browser.close()
    return seen


def test_reviewer_submits_and_editor_publishes(live_server, committed_desk):
    for username, group in (("rita", "reviewer"), ("edna", "editor")):
        user = make_user(username, group)
        user.is_staff = True
        user.save()
    document = DocumentFactory(title="Port figures", outlet="Harbour Times", text=CLAIM)
    ReviewFactory(claim=ClaimFactory(document=document), priority=5.0)

    # Playwright's sync API runs an event loop in its thread; the ORM stays in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(walk_the_desk, live_server.url).result()

    assert seen["highlighted"] == CLAIM
    assert SUMMARY in seen["reviewer_summary"] and SUMMARY in seen["editor_summary"]
    assert not seen["reviewer_script_ran"] and not seen["editor_script_ran"]
    assert seen["dialogs"] == []
    review = Review.objects.select_related("submitted_by", "approved_by").get()
    assert (review.state, review.submitted_by.username, review.approved_by.username) == (
        Review.State.PUBLISHED,
        "rita",
        "edna",
    )
    assert review.summary == SUMMARY
