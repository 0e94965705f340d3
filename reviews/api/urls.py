from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.api.views import (
    ClaimEvidenceView,
    ClaimNextView,
    ClaimReviewListView,
    ClusterMergeView,
    ClusterSplitView,
    PromoteView,
    QueueView,
    RatingViewSet,
    ReviewViewSet,
    VerdictExportView,
)

router = SimpleRouter()
router.register("reviews", ReviewViewSet, basename="review")
router.register("ratings", RatingViewSet, basename="rating")

urlpatterns = [
    path("claims/<int:pk>/evidence/", ClaimEvidenceView.as_view(), name="claim-evidence"),
    path("clusters/<int:pk>/merge/", ClusterMergeView.as_view(), name="cluster-merge"),
    path("clusters/<int:pk>/split/", ClusterSplitView.as_view(), name="cluster-split"),
    path("queue/", QueueView.as_view(), name="queue"),
    path("queue/claim-next/", ClaimNextView.as_view(), name="queue-claim-next"),
    path("queue/promote/", PromoteView.as_view(), name="queue-promote"),
    path("claimreviews/", ClaimReviewListView.as_view(), name="claimreview-list"),
    path("reviews/export.csv", VerdictExportView.as_view(), name="review-export"),
    *router.urls,
]
