import json

import pytest
from django.core.management import CommandError, call_command

ARTICLE = """Title: Bridge repairs overrun
Outlet: Quay Gazette
Date: 2026-05-04

Bridge repairs overrun

Repairs to the Old Quay bridge will cost about $4.2 million, nearly twice the first estimate, the city engineer said on Friday.

"We found corrosion nobody expected," said Nadia Ferro, the engineer in charge.
"""


def lines_of(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_extract_file_prints_one_json_line_per_claim_with_exact_spans(tmp_path, capsys) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    call_command("extract_file", str(path))
    claims = lines_of(capsys)
    body = ARTICLE.split("\n\n", 1)[1].strip()
    assert claims
    for claim in claims:
        start, end = claim["span"]
        assert body[start:end] == claim["text"]
    money = next(c for c in claims if c["type"] == "statistic")
    assert money["figures"][0]["value"] == 4_200_000
    quote = next(c for c in claims if "corrosion" in c["text"])
    assert quote["speaker"] == "Nadia Ferro"


def test_extract_file_refuses_binary_input(tmp_path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(CommandError):
        call_command("extract_file", str(path))


def test_checkworthiness_eval_prints_yes_class_metrics(tmp_path, capsys) -> None:
    path = tmp_path / "labelled.tsv"
    path.write_text(
        "Sentence_id\tText\tclass_label\n"
        "1\tUnemployment fell by 2 percent in the last four years.\tYes\n"
        '2\t"Thank you very much," he said.\tNo\n'
        "3\tWe spent $3 billion on schools last year.\tYes\n"
        "4\tGood evening, everyone.\tNo\n",
        encoding="utf-8",
    )
    call_command("checkworthiness_eval", str(path))
    (metrics,) = lines_of(capsys)
    assert set(metrics) == {
        "n",
        "precision",
        "recall",
        "f1",
        "threshold",
        "backend",
        "embedding_version",
        "ece",
        "brier",
        "reliability",
    }
    assert 0 <= metrics["ece"] <= 1
    assert metrics["n"] == 4
    assert metrics["backend"] == "onnx-int8"


def test_checkworthiness_eval_measures_with_the_backend_asked_for(tmp_path, capsys) -> None:
    path = tmp_path / "labelled.tsv"
    path.write_text(
        "Sentence_id\tText\tclass_label\n1\tWe spent $3 billion on schools last year.\tYes\n",
        encoding="utf-8",
    )
    call_command("checkworthiness_eval", str(path), "--backend", "torch-fp32")
    (metrics,) = lines_of(capsys)
    assert metrics["backend"] == "torch-fp32"
    assert metrics["embedding_version"] == "all-MiniLM-L6-v2/torch-fp32/1"


def test_bench_extraction_times_both_backends_in_one_run(capsys) -> None:
    call_command("bench_extraction", "--docs", "3")
    (result,) = lines_of(capsys)
    assert result["docs"] == 3
    assert result["backend"] == "onnx-int8"
    assert result["sentences_per_s"] == result["backends"]["onnx-int8"]["sentences_per_s"] > 0
    assert result["model_only_sentences_per_s"] > 0
    assert result["backends"]["torch-fp32"]["sentences_per_s"] > 0
    assert result["speedup_vs_torch-fp32"] > 0
    assert result["peak_rss_mb"] > 0
    assert len(result["load_average"]) == 3


def test_bench_extraction_refuses_an_unknown_backend() -> None:
    with pytest.raises(CommandError):
        call_command("bench_extraction", "--docs", "1", "--backends", "onnx-int8,tf-lite")


def test_embedding_compare_prints_the_cosine_of_int8_to_float32(tmp_path, capsys) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    call_command("embedding_compare", str(path), "--candidates", "onnx-int8")
    (result,) = lines_of(capsys)
    assert result["reference"] == "torch-fp32"
    assert result["sentences"] >= 2
    int8 = result["onnx-int8"]
    assert 0.97 <= int8["min_cosine"] <= int8["mean_cosine"] < 1.0
    assert set(result["encoder_sentences_per_s"]) == {"torch-fp32", "onnx-int8"}
