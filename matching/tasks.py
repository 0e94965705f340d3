from celery import shared_task

from matching import services


@shared_task(acks_late=True, ignore_result=True)
def claims_match(claim_ids: list[int]) -> None:
    for claim_id in claim_ids:
        services.claim_match(claim_id=claim_id)


@shared_task(acks_late=True, ignore_result=True)
def review_archive(review_id: int) -> None:
    """A published verdict joins the archive, where later repeats of the claim will find it."""
    services.factcheck_archive_review(review_id=review_id)
