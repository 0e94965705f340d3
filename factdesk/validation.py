"""Input checks shared by the apps' serializers and forms."""

from rest_framework import serializers

HTTP_SCHEMES = ("http://", "https://")


def is_http_url(value: str) -> bool:
    """Only http(s) URLs are fetched, cited or linked; `javascript:`, `file:` and the rest never."""
    return value.lower().startswith(HTTP_SCHEMES)


class HttpUrlField(serializers.URLField):
    """A URL field that refuses every scheme but http and https, with the caller's message."""

    def __init__(self, *, scheme_message: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scheme_message = scheme_message

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        if value and not is_http_url(value):
            raise serializers.ValidationError(self.scheme_message)
        return value
