from rest_framework import viewsets

from matching import selectors
from matching.api.serializers import FactCheckSerializer

MAX_QUERY_CHARS = 500


class FactCheckViewSet(viewsets.ReadOnlyModelViewSet):
    """The fact-check archive, newest first; `?q=` keeps those whose claim, title, speaker or
    publisher contain every word."""

    serializer_class = FactCheckSerializer

    def get_queryset(self):
        query = self.request.query_params.get("q", "")[:MAX_QUERY_CHARS]
        return selectors.factcheck_list(query=query)
