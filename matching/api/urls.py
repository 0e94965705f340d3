from rest_framework.routers import DefaultRouter

from matching.api.views import FactCheckViewSet

router = DefaultRouter()
router.register("factchecks", FactCheckViewSet, basename="factcheck")

urlpatterns = router.urls
