import json
import shutil

import numpy as np
import pytest

from claims.extraction import embeddings
from claims.extraction.embeddings import (
    EMBEDDING_VERSIONS,
    ONNX_DIR,
    ONNX_INT8,
    ONNX_METADATA_FILE,
    TORCH_FP32,
    ModelChecksumError,
)

SENTENCES = [
    "The council approved 1,200 new homes last week.",
    "Unemployment fell by 2 percent in the last four years, the minister said.",
    "Residents can comment on the plan until the end of April.",
    "Thank you.",
]


@pytest.fixture
def backend():
    before = embeddings.backend_name()
    yield embeddings.set_backend
    embeddings.set_backend(before)


def test_int8_vectors_are_unit_length_and_close_to_float32() -> None:
    int8 = embeddings.embed(SENTENCES, backend=ONNX_INT8)
    fp32 = embeddings.embed(SENTENCES, backend=TORCH_FP32)
    assert int8.shape == fp32.shape == (len(SENTENCES), embeddings.EMBEDDING_DIM)
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(int8 * fp32, axis=1)
    # Full sentences stay within 0.01; a two-word one ("Thank you.") moves most, about 0.04.
    assert np.all(cosines[:3] > 0.985)
    assert cosines[3] > 0.93
    assert not np.allclose(int8, fp32, atol=1e-4)  # really another computation


def test_an_int8_vector_does_not_depend_on_the_sentences_beside_it() -> None:
    alone = embeddings.embed(SENTENCES[3:], backend=ONNX_INT8)
    batched = embeddings.embed(SENTENCES, backend=ONNX_INT8)[3:]
    assert np.array_equal(alone, batched)


def test_each_backend_has_its_own_embedding_version(backend) -> None:
    backend(ONNX_INT8)
    assert embeddings.embedding_version() == EMBEDDING_VERSIONS[ONNX_INT8]
    backend(TORCH_FP32)
    assert embeddings.embedding_version() == EMBEDDING_VERSIONS[TORCH_FP32]
    assert len(set(EMBEDDING_VERSIONS.values())) == len(EMBEDDING_VERSIONS)


def test_an_unknown_backend_is_refused(backend) -> None:
    with pytest.raises(ValueError, match="onnx-int8"):
        backend("onnx-fp8")


def test_the_committed_onnx_encoder_is_recorded_with_its_checksum() -> None:
    metadata = json.loads((ONNX_DIR / ONNX_METADATA_FILE).read_text())
    assert metadata["embedding_version"] == EMBEDDING_VERSIONS[ONNX_INT8]
    assert metadata["source_model_sha256"] == embeddings.MODEL_SHA256
    embeddings.verify_sha256(ONNX_DIR / metadata["file"], metadata["sha256"])


def test_an_onnx_encoder_with_other_bytes_is_refused(tmp_path) -> None:
    metadata = json.loads((ONNX_DIR / ONNX_METADATA_FILE).read_text())
    shutil.copy(ONNX_DIR / ONNX_METADATA_FILE, tmp_path / ONNX_METADATA_FILE)
    (tmp_path / metadata["file"]).write_bytes(
        (ONNX_DIR / metadata["file"]).read_bytes()[:-1] + b"\0"
    )
    with pytest.raises(ModelChecksumError, match="refusing to load"):
        embeddings.load_onnx_encoder(tmp_path)


def test_a_missing_onnx_encoder_says_how_to_build_it(tmp_path) -> None:
    shutil.copy(ONNX_DIR / ONNX_METADATA_FILE, tmp_path / ONNX_METADATA_FILE)
    with pytest.raises(ModelChecksumError, match="build_embedder_onnx"):
        embeddings.load_onnx_encoder(tmp_path)
