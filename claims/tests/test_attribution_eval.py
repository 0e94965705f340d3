import json

import pytest
from django.core.management import CommandError, call_command

from claims.extraction.attribution_eval import LabelledSetError, read_labelled, score
from claims.extraction.records import ClaimRecord

TEXT = (
    "The Kesh Water Board said the dam held. Engineer Pavel Ostrik said it was cracked. "
    "Crews worked through the whole night."
)


def line(claims: list[dict], actors: list[dict] | None = None) -> str:
    return json.dumps(
        {"text": TEXT, "published": "2026-11-14", "actors": actors or [], "claims": claims}
    )


def claim(start: int, end: int, speaker: str, kind: str) -> ClaimRecord:
    return ClaimRecord(
        TEXT[start:end], start, end, "other", 0.5, speaker=speaker, speaker_kind=kind
    )


def test_accuracy_unresolved_and_wrong_side() -> None:
    first, second, third = (TEXT.index(s) for s in ("The Kesh", "Engineer", "Crews"))
    (article,) = read_labelled(
        [
            line(
                [
                    {
                        "quote": "The Kesh Water Board said",
                        "speaker": "Kesh Water Board",
                        "side": "A",
                    },
                    {"quote": "Engineer Pavel Ostrik", "speaker": "Pavel Ostrik", "side": "B"},
                    {"quote": "Crews worked", "speaker": "@outlet"},
                ]
            )
        ]
    )
    predicted = [
        claim(first, second - 1, "Kesh Water Board", "organization"),
        claim(second, third - 1, "Kesh Water Board", "organization"),  # the other side's
        claim(third, len(TEXT), "", "unresolved"),
    ]
    assert score([article], [predicted]) == {
        "n": 3,
        "speaker_accuracy": 0.3333,
        "unresolved_rate": 0.3333,
        "wrong_side": 0.3333,
    }


def test_a_neutral_speaker_is_never_the_wrong_side() -> None:
    second = TEXT.index("Engineer")
    (article,) = read_labelled(
        [
            line(
                [{"quote": "Engineer Pavel Ostrik", "speaker": "Pavel Ostrik", "side": "B"}],
                actors=[{"name": "Kesh Water Board", "side": "neutral"}],
            )
        ]
    )
    predicted = [claim(second, len(TEXT), "Kesh Water Board", "organization")]
    assert score([article], [predicted])["wrong_side"] == 0.0


@pytest.mark.parametrize(
    "bad",
    [
        json.dumps({"text": TEXT, "claims": [{"quote": "not in the text", "speaker": "x"}]}),
        json.dumps({"text": TEXT, "claims": [{"quote": "said", "speaker": "x"}]}),
        json.dumps({"text": "", "claims": []}),
        "{not json",
    ],
)
def test_a_bad_line_is_refused_with_its_number(bad) -> None:
    with pytest.raises(LabelledSetError, match="line 1"):
        read_labelled([bad])


def test_the_command_prints_the_four_figures(tmp_path, capsys) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text(
        line(
            [
                {"quote": "Engineer Pavel Ostrik said", "speaker": "Pavel Ostrik", "side": "B"},
                {"quote": "Crews worked through the whole night.", "speaker": "@outlet"},
            ]
        )
        + "\n"
    )
    call_command("attribution_eval", str(path))
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"n", "speaker_accuracy", "unresolved_rate", "wrong_side"}
    assert result["n"] == 2
    assert result["speaker_accuracy"] == 1.0


def test_the_command_refuses_a_missing_file(tmp_path) -> None:
    with pytest.raises(CommandError):
        call_command("attribution_eval", str(tmp_path / "none.jsonl"))


def test_our_labelled_set_reads() -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "evaluation/attribution/labelled.jsonl"
    articles = read_labelled(path.read_text(encoding="utf-8").splitlines())
    assert sum(len(a.claims) for a in articles) >= 50
    assert any(speaker is None for a in articles for _, _, speaker, _ in a.claims)
