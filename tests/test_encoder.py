"""checker.encoder: BERT's uncased WordPiece tokenizer and all-MiniLM-L6-v2 in numpy, on the shipped weights."""
from __future__ import annotations

import numpy as np
import pytest

from checker import encoder


@pytest.fixture(scope="module")
def model() -> encoder.Encoder:
    return encoder.load()


def pieces(model: encoder.Encoder, text: str, max_tokens: int = 64) -> list[str]:
    names = {i: piece for piece, i in model.tokenizer.ids.items()}
    return [names[i] for i in model.tokenizer.encode(text, max_tokens)]


# Expected pieces: what the published model's own tokenizer (transformers' BertTokenizer on
# its vocab.txt) gives for the same text.
@pytest.mark.parametrize("text,expected", [
    ("Hello, world!", ["hello", ",", "world", "!"]),
    # Lower case, accents stripped (BERT uncased: NFD, marks dropped).
    ("Café NAÏVE", ["cafe", "naive"]),
    # Greedy longest match from the left, continuations marked ##.
    ("unaffable", ["una", "##ffa", "##ble"]),
    ("Rosoboronexport", ["ro", "##so", "##boro", "##ne", "##x", "##port"]),
    ("naïve “quoted” – 3.5%", ["naive", "“", "quoted", "”", "–", "3", ".", "5", "%"]),
    # ASCII symbols are punctuation for BERT, even where Unicode says otherwise.
    ("$40bn", ["$", "40", "##bn"]),
    ("e-mail", ["e", "-", "mail"]),
    # Control characters go, tabs and newlines are spaces.
    ("a\u0007b\tc\nd", ["ab", "c", "d"]),
    ("x" * 101, ["[UNK]"]),
])
def test_tokenizer(model, text, expected):
    assert pieces(model, text) == ["[CLS]", *expected, "[SEP]"]


def test_long_sentences_are_cut_and_still_closed(model):
    ids = model.tokenizer.encode("word " * 200, 16)
    assert len(ids) == 16 and ids[0] == model.tokenizer.cls and ids[-1] == model.tokenizer.sep


def test_embeddings_are_unit_rows_independent_of_the_batch(model):
    texts = ["The harbour will get a second ferry berth.", "Shares in the carmaker fell sharply on Monday.",
             "A new berth for ferries is planned at the harbour.", "Short."]
    together = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    assert together.shape == (4, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
    # Padding in a mixed-length batch changes nothing.
    assert np.allclose(together, alone, atol=1e-4)
    sims = together @ together.T
    # A paraphrase is closer than a sentence about something else.
    assert sims[0, 2] > sims[0, 1] + 0.2


def test_the_notice_names_the_model_and_its_licence():
    notice = (encoder.MODEL_DIR / "NOTICE").read_text(encoding="utf-8")
    assert "all-MiniLM-L6-v2" in notice and "Apache License, Version 2.0" in notice
