from rest_framework import serializers

from matching.models import FactCheck, Match


class FactCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = FactCheck
        fields = [
            "id",
            "claim_text",
            "title",
            "rating",
            "publisher",
            "url",
            "speaker",
            "reviewed_on",
            "claim_date",
            "source",
            "review",
        ]
        read_only_fields = fields


class MatchSerializer(serializers.ModelSerializer):
    """A match with the earlier verdict's rating, date, publisher and link."""

    rating = serializers.CharField(source="factcheck.rating")
    reviewed_on = serializers.DateField(source="factcheck.reviewed_on")
    publisher = serializers.CharField(source="factcheck.publisher")
    url = serializers.CharField(source="factcheck.url")
    claim_text = serializers.CharField(source="factcheck.claim_text")

    class Meta:
        model = Match
        fields = [
            "id",
            "factcheck",
            "score",
            "state",
            "rating",
            "reviewed_on",
            "publisher",
            "url",
            "claim_text",
        ]
        read_only_fields = fields
