"""Sentence embeddings without torch: all-MiniLM-L6-v2 run in numpy from weights inside the package.

The model is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0; the notice is
``checker/models/NOTICE``): a 6-layer BERT (hidden 384, 12 heads) whose token outputs are
mean-pooled and normalised. ``tools/export_encoder.py`` writes its weights, quantised to
int8 per output row, and its WordPiece vocabulary to ``checker/models/``; this module
tokenises as BERT's uncased tokenizer does and runs the forward pass with numpy (already
installed with spaCy), so the default install needs neither torch nor onnxruntime.
``layers`` and ``max_tokens`` of the shipped file trade accuracy for speed: the file says
what it holds (docs/coherence.md has the measurements).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models"
WEIGHTS = MODEL_DIR / "minilm-l6-int8.npz"
VOCAB = MODEL_DIR / "minilm-vocab.txt"
_CLS, _SEP, _UNK = "[CLS]", "[SEP]", "[UNK]"
# WordPiece gives up on longer words (BERT's max_input_chars_per_word).
_MAX_WORD_CHARS = 100


def available() -> bool:
    return WEIGHTS.is_file() and VOCAB.is_file()


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # BERT treats every non-letter/number ASCII character as punctuation ("$", "^", "`").
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


@lru_cache(maxsize=131072)
def _basic_word(word: str) -> tuple[str, ...]:
    """One whitespace-separated word as BERT's uncased BasicTokenizer splits it."""
    word = unicodedata.normalize("NFD", word.lower())
    word = "".join(c for c in word if unicodedata.category(c) != "Mn")
    out: list[str] = []
    current = ""
    for ch in word:
        if _is_punctuation(ch) or _is_cjk(ord(ch)):
            if current:
                out.append(current)
                current = ""
            out.append(ch)
        else:
            current += ch
    if current:
        out.append(current)
    return tuple(out)


class Tokenizer:
    """BERT's uncased WordPiece tokenizer (basic split, then greedy longest match)."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.ids = {piece: i for i, piece in enumerate(vocab)}
        self.cls, self.sep, self.unk = self.ids[_CLS], self.ids[_SEP], self.ids[_UNK]
        self._pieces: dict[str, list[int]] = {}  # word piece ids per basic token, filled as met

    @staticmethod
    def _clean(text: str) -> str:
        # BERT drops NUL, U+FFFD and control characters, and reads other whitespace as a space.
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD:
                continue
            cat = unicodedata.category(ch)
            if ch in "\t\n\r" or cat == "Zs":
                out.append(" ")
            elif cat in ("Cc", "Cf"):
                continue
            else:
                out.append(ch)
        return "".join(out)

    def _wordpiece(self, token: str) -> list[int]:
        if len(token) > _MAX_WORD_CHARS:
            return [self.unk]
        pieces = []
        start = 0
        while start < len(token):
            end = len(token)
            found = None
            while start < end:
                piece = token[start:end] if start == 0 else "##" + token[start:end]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """Token ids with [CLS] and [SEP], at most ``max_tokens`` in all."""
        ids = [self.cls]
        for word in self._clean(text).split():
            for token in _basic_word(word):
                ids.extend(self._piece_ids(token))
            if len(ids) >= max_tokens - 1:
                break
        return ids[:max_tokens - 1] + [self.sep]

    def _piece_ids(self, token: str) -> list[int]:
        cached = self._pieces.get(token)
        if cached is None:
            cached = self._pieces[token] = self._wordpiece(token)
        return cached


@dataclass(frozen=True)
class Encoder:
    """The loaded model: float32 matrices dequantised once per process."""

    tokenizer: Tokenizer
    params: dict[str, np.ndarray]
    layers: int
    heads: int
    max_tokens: int

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length sentence embeddings, one row per text (mean of the last layer's tokens)."""
        import numpy as np

        ids = [self.tokenizer.encode(t, self.max_tokens) for t in texts]
        out = np.zeros((len(texts), self.params["word"].shape[1]), dtype=np.float32)
        # Batches of similar length waste little on padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for at in range(0, len(order), batch_size):
            chunk = order[at:at + batch_size]
            width = max(len(ids[i]) for i in chunk)
            batch = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                batch[row, :len(ids[i])] = ids[i]
                mask[row, :len(ids[i])] = 1.0
            out[chunk] = self._forward(batch, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import numpy as np

        p = self.params
        n, width = ids.shape
        # The word table stays int8 (47 MiB as float32): only the rows of this batch are scaled.
        x = p["word"][ids] * p["word.scale"][ids] + p["position"][:width][None] + p["token_type"][0]
        x = _layer_norm(x, p["emb_ln_w"], p["emb_ln_b"])
        heads = self.heads
        dim = x.shape[-1] // heads
        # Padding gets a large negative score before the softmax, as BERT's extended mask.
        bias = ((1.0 - mask) * -1e4)[:, None, None, :]
        for layer in range(self.layers):
            q = f"{layer}."
            flat = x.reshape(n * width, -1)
            qkv = flat @ p[q + "qkv_w"] + p[q + "qkv_b"]
            qkv = qkv.reshape(n, width, 3, heads, dim).transpose(2, 0, 3, 1, 4)
            scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2) / np.sqrt(dim) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(n * width, -1)
            attended = _layer_norm(context @ p[q + "out_w"] + p[q + "out_b"] + flat, p[q + "ln1_w"], p[q + "ln1_b"])
            hidden = _gelu(attended @ p[q + "ff1_w"] + p[q + "ff1_b"])
            x = _layer_norm(hidden @ p[q + "ff2_w"] + p[q + "ff2_b"] + attended,
                            p[q + "ln2_w"], p[q + "ln2_b"]).reshape(n, width, -1)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        result: np.ndarray = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return result


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    result: np.ndarray = centred / np.sqrt(var + eps) * weight + bias
    return result


def _gelu(x: np.ndarray) -> np.ndarray:
    import numpy as np

    # The tanh form of GELU; BERT's erf form differs by < 1e-3 per unit (docs/coherence.md
    # gives the cosine to the reference model's embeddings).
    result: np.ndarray = 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
    return result


@lru_cache(maxsize=1)
def load() -> Encoder:
    """The shipped model, dequantised to float32 (once per process)."""
    import numpy as np

    vocab = VOCAB.read_text(encoding="utf-8").split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    params: dict[str, np.ndarray] = {}
    with np.load(WEIGHTS) as data:
        meta = {k[len("meta."):]: int(data[k]) for k in data.files if k.startswith("meta.")}
        for key in data.files:
            if key.startswith("meta.") or key.endswith(".scale"):
                continue
            value = data[key]
            if key == "word":
                params[key], params[key + ".scale"] = value, data[key + ".scale"]
                continue
            if value.dtype == np.int8:
                value = value.astype(np.float32) * data[key + ".scale"]
            params[key] = np.ascontiguousarray(value, dtype=np.float32)
    return Encoder(Tokenizer(vocab), params, meta["layers"], meta["heads"], meta["max_tokens"])
