from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api.views import (
    ActorViewSet,
    ClaimViewSet,
    ClusterViewSet,
    DisputeViewSet,
    DocumentFetchViewSet,
    DocumentViewSet,
    SearchView,
    StoryViewSet,
)

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("claims", ClaimViewSet, basename="claim")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("document-fetches", DocumentFetchViewSet, basename="document-fetch")
router.register("stories", StoryViewSet, basename="story")
router.register("actors", ActorViewSet, basename="actor")
router.register("disputes", DisputeViewSet, basename="dispute")

urlpatterns = [path("search/", SearchView.as_view(), name="search"), *router.urls]
