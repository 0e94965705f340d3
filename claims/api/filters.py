import django_filters

from claims.models import Claim, Document


class ClaimFilter(django_filters.FilterSet):
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    max_score = django_filters.NumberFilter(field_name="score", lookup_expr="lte")
    type = django_filters.ChoiceFilter(field_name="claim_type", choices=Claim.ClaimType.choices)
    speaker = django_filters.CharFilter(field_name="speaker", lookup_expr="icontains")
    outlet = django_filters.CharFilter(field_name="document__outlet", lookup_expr="iexact")
    story = django_filters.NumberFilter(field_name="document__story")
    actor = django_filters.NumberFilter(field_name="actor", label="Actor id")
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label="Text contains")

    class Meta:
        model = Claim
        fields = ["document", "claim_type", "speaker_kind", "extractor_version"]


class DocumentFilter(django_filters.FilterSet):
    outlet = django_filters.CharFilter(field_name="outlet", lookup_expr="iexact")
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    published_after = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = Document
        fields = ["extraction_status", "source", "story"]
