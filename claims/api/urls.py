from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api.views import (
    ClaimViewSet,
    ClusterViewSet,
    DocumentFetchViewSet,
    DocumentViewSet,
    SearchView,
)

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("claims", ClaimViewSet, basename="claim")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("document-fetches", DocumentFetchViewSet, basename="document-fetch")

urlpatterns = [path("search/", SearchView.as_view(), name="search"), *router.urls]
