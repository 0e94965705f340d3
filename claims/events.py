"""What `claims` announces to the apps downstream of it (the review desk, later ones).

`claims` never imports those apps: it announces, and each of them subscribes in its
`AppConfig.ready()` (see factdesk.events for the mechanism: synchronous, in subscription order,
inside the announcer's transaction). Each event's keyword arguments are its contract.
"""

from factdesk.events import Event

on_claims_stored = Event(
    "claims_stored",
    """`announce(claims=list[Claim])`: a document's extraction stored these claims (all of the
    current engine's claims of the document, new or kept). Announced inside the extraction's
    transaction, after the document is marked extracted.""",
)

on_document_joined_story = Event(
    "document_joined_story",
    """`announce(document_ids=list[int])`: these stored documents were moved into another story
    (a new near duplicate adopted them). Announced inside the ingest's transaction, after their
    `story_id` was updated.""",
)

on_claims_retiring = Event(
    "claims_retiring",
    """`announce(claims=QuerySet[Claim])`: claims of an older engine are about to be deleted.
    Each subscriber answers with the ids (a values queryset or a collection) of the claims it
    needs kept, e.g. those someone has worked on; the others go.""",
)

on_clusters_created = Event(
    "clusters_created",
    """`announce(clusters=list[ClaimCluster])`: these claim clusters were just started (a new
    claim matched none, or a reviewer split a claim out). Announced inside the transaction that
    stored them, after their claims were attached and counted (claims.clusters).""",
)

on_dispute_decided = Event(
    "dispute_decided",
    """`announce(claim_ids=list[int])`: a reviewer confirmed or dismissed a dispute between
    these claims (claims.disputes). Announced inside the decision's transaction.""",
)
