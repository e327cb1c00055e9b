"""coherence.non_sequitur: flag-and-pass tables on the real spaCy pipeline, options, the perturber."""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest

from checker.checks import coherence
from checker.checks.coherence import NonSequitur
from checker.document.loaders import load_document
from checker.document.nlp import annotate, load_pipeline
from checker.document.structure import is_tagline
from checker.errors import RuleError
from checker.rules import load_pack
from checker.source import SourceFile
from eval.perturb import Article
from eval.perturb import coherence as perturber

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "coherence.yaml"

# A story told with recurring people, places and topic words, as news copy is.
HARBOUR = [
    "Harbour council approves new ferry terminal",
    "The Kelmouth harbour council has approved plans for a new ferry terminal on the east quay.",
    "The terminal will replace the ageing ferry pier, which was damaged in storms last winter.",
    "Council leader Anna Brightwell said the ferry terminal would bring more visitors to Kelmouth.",
    "Ferry operators have long complained that the old pier cannot take larger vessels.",
    "Under the plans, the terminal will have two berths, a waiting hall and parking for coaches.",
    "Work on the east quay is due to begin in the spring and the terminal should open in two years.",
    "Some residents of the quay have objected to the plans, fearing more traffic through the harbour.",
    "Ms Brightwell said the council would build a new road to keep ferry traffic away from homes.",
    "The harbour council will pay for the terminal with a loan and a grant from the ferry operators.",
    "\"Kelmouth has waited a long time for a proper ferry terminal,\" Ms Brightwell said.",
]
INTRUDER = "Shares in the Japanese carmaker tumbled after it recalled thousands of hybrid sedans over faulty brakes."


def article(lines: list[str]) -> str:
    return lines[0] + "\n\n" + "\n\n".join(lines[1:]) + "\n"


def with_line(lines: list[str], at: int, line: str) -> list[str]:
    return lines[:at] + [line] + lines[at:]


def merged(lines: list[str], at: int, sentence: str) -> list[str]:
    """The sentence appended to paragraph ``at`` (mid-paragraph, as the seed's intruder)."""
    out = list(lines)
    out[at] = out[at] + " " + sentence
    return out


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(None, NonSequitur.NEEDS)


@pytest.fixture(scope="module")
def spec():
    (rule,) = [s for s in load_pack(PACK) if s.id == "coherence.non_sequitur"]
    return rule


# The toy story has 10 body sentences, so its real sentences spread widely in the model's
# log-odds (those that repeat two names score far below the rest) and the obvious intruder
# stands 2.1 standard deviations out, short of the 3.0 chosen on BBC-length articles
# (rules/coherence.yaml); the tables judge it with a bar of 2.0.
TOY_Z = 2.0


def run(nlp, spec, text: str, **options):
    # This module tests the lexical method (the default); tests/test_coherence_semantic.py the semantic one.
    rule = dataclasses.replace(spec, options={**spec.options, "method": "lexical", **options})
    doc = load_document(SourceFile("article.txt", text), dt.date(2005, 1, 1))
    doc = dataclasses.replace(doc, spacy=annotate(nlp, [doc.text])[0])
    return list(NonSequitur(rule).run(doc))


SHOULD_FLAG = [
    ("own paragraph", article(with_line(HARBOUR, 6, INTRUDER)), INTRUDER),
    ("mid-paragraph", article(merged(HARBOUR, 4, INTRUDER)), INTRUDER),
    ("closing sentence", article(merged(HARBOUR, len(HARBOUR) - 1, INTRUDER)), INTRUDER),
    # An opening connective does not tie a sentence to a story it shares nothing with (the
    # seed's intruder opens on "It").
    ("opens on a connective", article(with_line(HARBOUR, 6, "But s" + INTRUDER[1:])), "But s" + INTRUDER[1:]),
]

SHOULD_PASS = [
    ("clean story", article(HARBOUR)),
    ("kicker quote and one-line paragraphs",
     article(HARBOUR + ["\"It is a great day for Kelmouth,\" she said.", "The vote was unanimous."])),
    ("background paragraph of the same story",
     article(with_line(HARBOUR, 5, "Kelmouth has had a ferry link to the islands since the harbour was "
                                   "built in 1862, and the pier was last rebuilt in 1931."))),
    ("too short to judge", article(HARBOUR[:4] + [INTRUDER])),
    # A line-up has no verb: structure, not prose (BBC rugby reports end with them).
    ("line-up of names", article(with_line(HARBOUR, 6, "P Marlowe, K Ostrava, T Lindqvist, R Abernathy, "
                                                        "J Okonkwo, S Varga."))),
    ("opens on a connective and continues the story",
     article(with_line(HARBOUR, 6, "But Ms Brightwell said the new terminal would not open before the summer "
                                   "of next year."))),
    ("intruder in the headline block is structure, not body",
     "Dateline: Kelmouth\n\n" + article(HARBOUR)),
]


@pytest.mark.parametrize("name,text,expected", SHOULD_FLAG, ids=[c[0] for c in SHOULD_FLAG])
def test_should_flag(nlp, spec, name, text, expected):
    findings = run(nlp, spec, text, min_z=TOY_Z)
    assert [f.text for f in findings] == [expected]
    finding = findings[0]
    assert finding.category == "non-sequitur" and finding.rule == "coherence.non_sequitur"
    assert text[finding.start:finding.end] == expected
    assert "nowhere else" in finding.message


@pytest.mark.parametrize("name,text", SHOULD_PASS, ids=[c[0] for c in SHOULD_PASS])
def test_should_pass(nlp, spec, name, text):
    assert run(nlp, spec, text, min_z=TOY_Z) == []


def test_message_names_the_newcomers(nlp, spec):
    intruder = "Police in Manchester arrested two men after a fire at a warehouse in Salford."
    (finding,) = run(nlp, spec, article(with_line(HARBOUR, 6, intruder)), min_z=TOY_Z)
    assert "'Manchester'" in finding.message and "'Salford'" in finding.message


def test_max_per_article(nlp, spec):
    second = "Police in Manchester arrested two men after a fire at a warehouse in Salford."
    text = article(with_line(with_line(HARBOUR, 3, INTRUDER), 9, second))
    # Two intruders raise each other's spread and neither leads the other by a margin,
    # so the bars are lowered to see both.
    assert len(run(nlp, spec, text, min_z=1.5, min_margin=0.0)) == 1
    assert len(run(nlp, spec, text, max_per_article=2, min_z=1.5, min_margin=0.0)) == 2


def test_seed_has_no_false_alarm(nlp, spec):
    text = (ROOT / "seeds" / "pentagon-talks.txt").read_text(encoding="utf-8")
    california = "It’s an odd thing to hear coming from the coastal state of California."
    assert {f.text for f in run(nlp, spec, text)} <= {california}


def test_seed_california_sentence(nlp, spec):
    text = (ROOT / "seeds" / "pentagon-talks.txt").read_text(encoding="utf-8")
    (finding,) = run(nlp, spec, text)
    assert finding.text == "It’s an odd thing to hear coming from the coastal state of California."
    assert "'California' begins with 'Cal'" in finding.message


# The harbour story's closing quote, said by a person whose surname begins a place name.
KENT = HARBOUR[:-1] + ["\"Kelmouth has waited a long time for a proper ferry terminal,\" said harbour master Tom Kent."]
KENTUCKY = "It was an unusual view to hear from the southern state of Kentucky."


def test_misread_name_flags_a_place_read_from_a_surname(nlp, spec):
    text = article(merged(KENT, len(KENT) - 1, KENTUCKY))
    (finding,) = run(nlp, spec, text)
    assert finding.text == KENTUCKY
    assert "'Kentucky' begins with 'Kent', a person named just before" in finding.message
    # The cohesion model alone does not reach its bars on this short story.
    assert run(nlp, spec, text, misread_names=False) == []


@pytest.mark.parametrize("name,lines", [
    ("the place is mentioned elsewhere",
     with_line(merged(KENT, len(KENT) - 1, KENTUCKY), 3, "The ferries will sail to Kelmouth from as far as Kentucky.")),
    ("the person is named after the place",
     merged(KENT[:-1] + [HARBOUR[-1]], 5, KENTUCKY + " Tom Kent, the harbour master, agreed with the plans.")),
    ("a place that only shares a first letter",
     merged(KENT, len(KENT) - 1, "It was an unusual view to hear from the southern state of Kansas.")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_misread_name_needs_an_unseen_place_after_the_person(nlp, spec, name, lines):
    assert not any("begins with" in f.message for f in run(nlp, spec, article(lines)))


TAGLINE = "Clark Boyd is technology correspondent for The World, a BBC World Service and WGBH-Boston co-production."


@pytest.mark.parametrize("line,expected", [
    (TAGLINE, True),
    ("Owain Bennallack is the editor of Develop magazine.", True),
    ("Bill Thompson is a regular commentator on the BBC World Service programme Go Digital.", True),
    # Past tense, two sentences, no name first: the story, not a credit.
    ("Smith was the editor of the Sun when the story broke in 1992.", False),
    ("Mr Smith is the editor of the Sun. He said the paper would appeal.", False),
    ("The editor of the Sun said the paper would appeal.", False),
])
def test_is_tagline(line, expected):
    assert is_tagline(line) is expected


def test_closing_tagline_is_context_not_judged(nlp, spec):
    def body_texts(lines):
        doc = load_document(SourceFile("article.txt", article(lines)), dt.date(2005, 1, 1))
        doc = dataclasses.replace(doc, spacy=annotate(nlp, [doc.text])[0])
        body, other = coherence.profiles(doc, 6.0, 5)
        return [doc.text[p.start:p.end] for p in body], [doc.text[p.start:p.end] for p in other]

    body, other = body_texts(HARBOUR + [TAGLINE])
    assert TAGLINE in other and TAGLINE not in body
    # Inside the story the same line is prose, judged like any other.
    body, _ = body_texts(with_line(HARBOUR, 5, TAGLINE))
    assert TAGLINE in body


@pytest.mark.parametrize("field,value", [("min_z", -1.0), ("min_weight", -2.0), ("top_k", 0), ("max_per_article", 0)])
def test_bad_options_name_the_field(spec, field, value):
    with pytest.raises(RuleError) as err:
        NonSequitur(dataclasses.replace(spec, options={**spec.options, field: value}))
    assert field in str(err.value)


@pytest.mark.parametrize("coefficients", [None, {"intercept": -9.0}, {**dict.fromkeys(coherence.FEATURES, 1.0),
                                                                     "intercept": "high"}])
def test_coefficients_must_name_every_feature(spec, coefficients):
    with pytest.raises(RuleError) as err:
        NonSequitur(dataclasses.replace(spec, options={**spec.options, "coefficients": coefficients}))
    assert "coefficients" in str(err.value) and "unsupported_nearest" in str(err.value)


@pytest.mark.parametrize("option,value,named", [
    # The lexical coefficients alone miss the two similarities.
    ("semantic_coefficients", {**dict.fromkeys(coherence.FEATURES, 1.0), "intercept": -4.0}, "similarity_local"),
    ("semantic_decision", {"intercept": -2.0, "logit": 1.0}, "z"),
    ("semantic_decision", {"intercept": -2.0, "logit": 1.0, "z": True}, "z"),
])
def test_semantic_weights_are_checked_even_for_lexical(spec, option, value, named):
    # A broken semantic setting is an error at load time, not when someone switches method.
    with pytest.raises(RuleError) as err:
        NonSequitur(dataclasses.replace(spec, options={**spec.options, option: value}))
    assert option in str(err.value) and named in str(err.value)


def test_semantic_without_the_weights_falls_back_with_a_note(spec, monkeypatch):
    monkeypatch.setattr(coherence, "semantic_available", lambda: False)
    check = NonSequitur(dataclasses.replace(spec, options={**spec.options, "method": "semantic"}))
    assert check.method == "lexical"
    assert check.notes and "checker/models" in check.notes[0]
    lexical = NonSequitur(dataclasses.replace(spec, options={**spec.options, "method": "lexical"}))
    assert lexical.notes == ()


# ----- the perturber of the development corpus ------------------------------------------
# Paragraphs of two sentences, so that both kinds of insertion are possible.
PARAGRAPHS = [HARBOUR[0]] + [" ".join(HARBOUR[i:i + 2]) for i in range(1, len(HARBOUR), 2)]
POOL = [
    Article("harbour", article(PARAGRAPHS), dt.date(2005, 1, 1)),
    Article("cars", article(["Carmaker recalls hybrids", INTRUDER,
                             "The recall covers cars sold in Europe and Asia since 2003.",
                             "He said: \"We are sorry.\"", "But the firm kept its forecast."]), dt.date(2005, 1, 1)),
]


def test_perturber_inserts_one_clean_sentence_once():
    kinds = set()
    for seed in range(12):
        out = perturber.perturb(POOL[0], random.Random(seed), POOL)
        assert out is not None
        (gold,) = out.findings
        assert gold["category"] == perturber.CATEGORY == "non-sequitur"
        assert out.text.count(gold["text"]) == 1
        # Quotes and sentences opening on a pronoun or connective are never intruders.
        assert gold["text"] in (INTRUDER, "The recall covers cars sold in Europe and Asia since 2003.")
        assert out.text.replace(gold["text"], "").split() == article(PARAGRAPHS).split()
        kinds.add(out.kind)
    assert kinds == {"boundary", "mid"}


def test_perturber_any_sentence_takes_quotes_and_openers():
    picked = set()
    for seed in range(40):
        out = perturber.perturb(POOL[1], random.Random(seed), POOL, plain=False)
        assert out is not None
        (gold,) = out.findings
        assert out.text.count(gold["text"]) == 1
        picked.add(gold["text"])
    # Still 8 to 40 words: "He said: "We are sorry."" is too short to be an intruder.
    assert all(8 <= len(t.split()) <= 40 and perturber.good_intruder(t, plain=False) for t in picked)
    # ... but quotes and "Ms Brightwell said ..." are taken as they come.
    assert {t for t in picked if not perturber.good_intruder(t)} >= {
        "Ms Brightwell said the council would build a new road to keep ferry traffic away from homes.",
        "\"Kelmouth has waited a long time for a proper ferry terminal,\" Ms Brightwell said."}


def test_perturber_is_deterministic_and_declines_short_articles():
    a = perturber.perturb(POOL[0], random.Random(7), POOL)
    b = perturber.perturb(POOL[0], random.Random(7), POOL)
    assert a == b
    assert perturber.perturb(Article("tiny", "Head\n\nOne.\n\nTwo.\n", dt.date(2005, 1, 1)),
                             random.Random(1), POOL) is None


@pytest.mark.parametrize("paragraph,expected", [
    ("One sentence here. Another one there.", ["One sentence here.", "Another one there."]),
    ("He said \"Yes.\" Then he left.", ["He said \"Yes.\"", "Then he left."]),
    ("Mr Blair spoke. It rained.", ["Mr Blair spoke.", "It rained."]),
])
def test_perturber_sentence_splitter(paragraph, expected):
    assert perturber.split_sentences(paragraph) == expected


def test_note_reaches_the_output(tmp_path, monkeypatch):
    from checker.engine import check_paths

    monkeypatch.setattr(coherence, "semantic_available", lambda: False)
    config = tmp_path / "copydesk.yaml"
    config.write_text(f"options:\n  coherence.non_sequitur:\n    method: semantic\n    min_z: {TOY_Z}\n",
                      encoding="utf-8")
    path = tmp_path / "story.txt"
    path.write_text(article(with_line(HARBOUR, 6, INTRUDER)), encoding="utf-8")
    (result,) = check_paths([str(path)], config=str(config)).files
    assert any("checker/models" in w for w in result.warnings)
    assert INTRUDER in [f.text for f in result.findings if f.category == "non-sequitur"]
