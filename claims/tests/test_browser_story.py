"""The story page in a real browser: Debian's Chromium driven by Playwright."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import User

from claims.actors import Speaker, actors_resolve
from claims.disputes import story_disputes_find
from claims.extraction.figures import find_figures
from claims.models import Dispute, Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM} (CI installs it)"
    ),
]
LOW = "Only 12 people were confirmed dead, <script>window.pwned = true</script> the ministry said."
HIGH = "At least 40 people were killed in the strike."


def walk_the_story_page(base: str, story_id: int) -> dict:
    from playwright.sync_api import sync_playwright

    seen: dict = {"dialogs": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/admin/login/?next=/admin/claims/story/{story_id}/change/")
        page.fill("#id_username", "boss")
        page.fill("#id_password", "pw-boss-12345")
        page.click("input[type=submit]")
        page.wait_for_selector("#story-page")
        seen["sides"] = page.locator(".story-side h3").all_inner_texts()
        seen["undated"] = page.locator(".undated-warning").count()
        seen["figures"] = page.locator(".story-figure").count()
        seen["dispute"] = page.locator(".story-dispute").inner_text()
        page.click(".confirm-dispute")
        page.wait_for_selector("text=Dispute confirmed.")
        seen["state"] = page.locator(".story-dispute").get_attribute("data-state")
        seen["script_ran"] = page.evaluate("window.pwned === true")
        browser.close()
    return seen


def test_an_editor_reads_the_story_page_and_confirms_its_dispute(
    live_server, django_db_serialized_rollback, transactional_db
):
    """Committed, like every live-server test: the migrated data is restored afterwards."""
    User.objects.create_superuser("boss", "boss@factdesk.example", "pw-boss-12345")
    ministry, spokesman = actors_resolve(
        speakers=[
            Speaker("Defence Ministry", "organization"),
            Speaker("Ada Smith", "person", affiliation="The coalition"),
        ]
    )
    story = Story.objects.create(title="Strike on the dam")
    for actor, text, outlet, undated in (
        (ministry, LOW, "Valmont Wire", False),
        (spokesman, HIGH, "Eastbank Herald", True),
    ):
        document = DocumentFactory(story=story, outlet=outlet, text=text, undated=undated)
        ClaimFactory(document=document, actor=actor, figures=find_figures(text))
    story_disputes_find(story=story)

    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(walk_the_story_page, live_server.url, story.pk).result()

    assert len(seen["sides"]) == 2
    assert any("Defence Ministry" in side for side in seen["sides"])
    assert seen["undated"] == 1
    assert seen["figures"] == 2
    assert "Conflicting figures" in seen["dispute"]
    assert seen["state"] == "confirmed"
    assert Dispute.objects.get().state == Dispute.State.CONFIRMED
    assert not seen["script_ran"] and seen["dialogs"] == []
