import json
from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Review


def test_bench_queue_fills_then_measures_over_http(committed_desk):
    out = StringIO()
    call_command("bench_queue", claims=23, requests=3, stdout=out, stderr=StringIO())

    line = json.loads(out.getvalue())
    assert line["claims"] == 25 and line["claims_added"] == 25
    for case in ("queue_page_size_10", "queue_page_size_100", "claim_next"):
        assert line[case]["statuses"] == [200]
        assert line[case]["p95_ms"] >= line[case]["p50_ms"] > 0
        # The same statements replayed alone take some time, less than the whole request.
        assert line[case]["sql_p95_ms"] >= line[case]["sql_p50_ms"] > 0
        assert line[case]["ratio_p95"] == pytest.approx(
            line[case]["p95_ms"] / line[case]["sql_p95_ms"], rel=0.05
        )
        assert line[case]["ratio_p95"] > 1
    assert (
        line["queue_page_size_10"]["queries_per_request"]
        == (line["queue_page_size_100"]["queries_per_request"])
    )
    assert not Review.objects.filter(state=Review.State.IN_REVIEW).exists()
