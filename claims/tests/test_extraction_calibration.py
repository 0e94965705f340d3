import os

import numpy as np
import pytest

from claims.extraction import extract_claims
from claims.extraction.scoring import Calibration, default_model
from claims.extraction.training import calibration_error, fit_calibration, reliability

ARTICLE = (
    "The harbour authority said on Tuesday that 4,200 containers were moved in October, "
    "up 12 percent on last year.\n\nThe quay was quiet this morning."
)


def test_platt_scaling_fitted_on_held_out_scores_lowers_the_calibration_error() -> None:
    rng = np.random.default_rng(7)
    raw = rng.uniform(0, 1, 4000)
    labels = (rng.uniform(0, 1, 4000) < raw**3).astype(int)  # raw scores far too high
    calibration = fit_calibration(labels[:2000], raw[:2000])
    before = calibration_error(labels[2000:], raw[2000:])["ece"]
    after = calibration_error(labels[2000:], calibration.apply(raw[2000:]))["ece"]
    assert before > 0.15
    assert after < before / 3


def test_calibration_keeps_the_order_of_scores() -> None:
    raw = np.linspace(0.01, 0.99, 50)
    calibrated = Calibration(1.3, 0.8).apply(raw)
    assert np.all(np.diff(calibrated) > 0)
    assert ((calibrated > 0) & (calibrated < 1)).all()


def test_reliability_bands_report_share_of_yes() -> None:
    table = reliability(np.asarray([0, 1, 1, 1]), np.asarray([0.1, 0.9, 0.95, 0.85]), bins=5)
    assert table[0] == {"band": "0.0-0.2", "n": 1, "mean_score": 0.1, "yes_share": 0.0}
    assert table[-1]["yes_share"] == 1.0


def test_the_committed_model_is_calibrated_and_says_on_what() -> None:
    model = default_model()
    assert model.calibration != Calibration()
    assert model.metadata["calibration"]["method"] == "platt"
    assert "calibrated" in model.metadata["score_meaning"]


@pytest.mark.skipif("FACTDESK_QUEUE_THRESHOLD" in os.environ, reason="set by the environment")
def test_one_threshold_the_queue_default_is_the_models_threshold(settings) -> None:
    from factdesk import settings as defaults

    assert pytest.approx(default_model().threshold) == defaults.FACTDESK_QUEUE_THRESHOLD


def test_the_threshold_passed_in_decides_checkworthy() -> None:
    everything = extract_claims(ARTICLE, threshold=0.0)
    nothing = extract_claims(ARTICLE, threshold=1.01)
    assert everything and all(c.checkworthy for c in everything)
    assert not any(c.checkworthy for c in nothing)
