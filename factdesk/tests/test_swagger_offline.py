import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_swagger_ui_loads_nothing_from_another_host(db):
    html = Client().get("/api/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, "the page loads Swagger UI from somewhere"
    assert all(not re.match(r"(https?:)?//", source) for source in sources), sources
    assert any("swagger-ui-bundle.js" in source for source in sources)
    assert '"validatorUrl": null' in html


def test_the_swagger_ui_files_are_installed():
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}")
