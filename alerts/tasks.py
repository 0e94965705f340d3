from celery import shared_task

from alerts import services


@shared_task(acks_late=True, ignore_result=True)
def alerts_match_claims(*, claim_ids: list[int]) -> None:
    services.alerts_match_claims(claim_ids=claim_ids)


@shared_task(acks_late=True, ignore_result=True)
def alerts_notify(*, kind: str, user_ids: list[int], review_id: int | None, actor_id: int | None):
    services.alerts_notify(kind=kind, user_ids=user_ids, review_id=review_id, actor_id=actor_id)


@shared_task(acks_late=True, ignore_result=True)
def alerts_send_digests() -> None:
    services.alerts_send_digests()
