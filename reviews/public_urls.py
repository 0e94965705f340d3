from django.urls import path

from reviews import public

urlpatterns = [
    path("", public.factcheck_index, name="public-factcheck-index"),
    path(public.public_route(), public.factcheck_detail, name="public-factcheck"),
]
