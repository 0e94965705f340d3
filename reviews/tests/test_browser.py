"""The desk's main path in a real browser: Debian's Chromium driven by Playwright."""

import os
from pathlib import Path

import pytest

from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import make_user
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

CHROMIUM = Path(os.environ.get("FACTDESK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUMMARY = "<script>window.pwned = true</script> The port handled 11,000 containers."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM} (CI installs it)"
    ),
]


@pytest.fixture
def browser(monkeypatch, live_server):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def staff(username: str, group: str):
    user = make_user(username, group)
    user.is_staff = True
    user.save()
    return user


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/reviews/review/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-12345")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/reviews/review/")


def test_reviewer_submits_and_editor_publishes(browser, live_server, committed_desk):
    staff("rita", "reviewer")
    staff("edna", "editor")
    text = "Harbour officials said 12,400 containers passed through the port in October."
    document = DocumentFactory(title="Port figures", outlet="Harbour Times", text=text)
    ReviewFactory(claim=ClaimFactory(document=document), priority=5.0)
    base = live_server.url

    reviewer_page = browser.new_context().new_page()
    dialogs: list[str] = []
    reviewer_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(reviewer_page, base, "rita")
    reviewer_page.click("#claim-next")
    reviewer_page.wait_for_selector("#evidence-form")
    assert reviewer_page.locator("mark").inner_text() == text

    reviewer_page.fill("#evidence-url", "https://stats.example.org/table-7")
    reviewer_page.fill("#evidence-excerpt", "Table 7 gives 11,000.")
    reviewer_page.select_option("#evidence-stance", "refutes")
    reviewer_page.click("#add-evidence")
    reviewer_page.wait_for_selector("text=Evidence added.")
    reviewer_page.select_option("#verdict-rating", label="False")
    reviewer_page.fill("#verdict-summary", SUMMARY)
    reviewer_page.click("#submit-verdict")
    reviewer_page.wait_for_selector("text=Verdict submitted for sign-off.")

    assert SUMMARY in reviewer_page.locator(".field-summary").inner_text()
    assert reviewer_page.evaluate("window.pwned === undefined")
    assert dialogs == []

    editor_page = browser.new_context().new_page()
    log_in(editor_page, base, "edna")
    editor_page.click("text=Awaiting sign-off")
    editor_page.click("text=Harbour officials said")
    editor_page.click("#approve-review")
    editor_page.wait_for_selector("text=Verdict approved.")
    editor_page.click("#publish-review")
    editor_page.wait_for_selector("text=Verdict published.")
    assert SUMMARY in editor_page.locator(".field-summary").inner_text()
    assert editor_page.evaluate("window.pwned === undefined")

    review = Review.objects.get()
    assert (review.state, review.submitted_by.username, review.approved_by.username) == (
        Review.State.PUBLISHED,
        "rita",
        "edna",
    )
