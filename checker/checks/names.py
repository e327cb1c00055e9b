"""One person, one spelling: flag a person's name spelled two ways in one article."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from checker.checks.base import Check, RuleContext
from checker.checks.name_forms import FormVariant, given_variants, surface_variants
from checker.document.people import VariantGroup, VariantSettings, extract_people, find_variants
from checker.rules import Option, RuleSpec

if TYPE_CHECKING:
    from checker.document import Document
    from checker.finding import Finding


def known_surnames(stylesheets: tuple[Any, ...]) -> dict[str, str]:
    """Surname spellings the configured style sheets vouch for -> the listed full name."""
    out: dict[str, str] = {}
    for sheet in stylesheets:
        for person in getattr(sheet, "people", ()):
            for form in (person.name, *person.aliases):
                words = form.split()
                if words:
                    out.setdefault(words[-1], person.name)
    return out


def known_givens(stylesheets: tuple[Any, ...]) -> dict[str, str]:
    """Surname -> the given name a style sheet lists with it (Antony for Blinken)."""
    out: dict[str, str] = {}
    for sheet in stylesheets:
        for person in getattr(sheet, "people", ()):
            for form in (person.name, *person.aliases):
                words = form.split()
                if len(words) == 2:
                    out.setdefault(words[-1], words[0])
    return out


_FORM_MESSAGES = {
    "case": "'{text}' is '{suggestion}' in another case",
    "glue": "'{text}' looks like '{suggestion}' run together",
    "hyphen": "'{text}' is written '{suggestion}' elsewhere in the article",
    "order": "'{text}' turns round '{suggestion}' as the article introduced it",
}


def _form_message(v: FormVariant) -> str:
    if v.kind.startswith("given-"):
        how = {"given-nickname": "a nickname of", "given-translit": "another romanisation of",
               "given-diacritic": "without the accents of", "given-case": "another case of",
               "given-hyphen": "another writing of"}.get(v.kind, "a misspelling of")
        where = "as the style sheet lists it" if v.reason == "style-sheet" else "as the article also writes it"
        return f"'{v.text}' looks like {how} '{v.suggestion}' ({where}): one person, two first names"
    return _FORM_MESSAGES[v.kind].format(text=v.text, suggestion=v.suggestion)


def _list_forms(forms: list[str]) -> str:
    quoted = [f"'{f}'" for f in forms]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


class NameVariant(Check):
    """The same person's name spelled differently (Smith / Smyth, Meyer / Mayer / Maier).

    Mentions are harvested beyond NER (``checker.document.people``); spellings are grouped
    by edit distance, Jaro-Winkler and phonetic keys, and by context (a full-name
    introduction, titles, speech verbs). The canonical form is the style sheet's spelling,
    else the first full-name introduction, else the majority; on a tie the finding reports
    the conflict without choosing.
    """

    NEEDS = frozenset({"tagger", "parser", "ner", "lemmatizer"})
    OPTIONS = {
        "min_length": Option(int, 3, help="shorter names (Xi, Li) are never compared"),
        "max_edits": Option(int, 2, help="most edits (OSA distance) between two spellings of one name"),
        "max_edit_ratio": Option(float, 0.5, help="edits per letter beyond which the sound must agree fully"),
        "min_phonetic": Option(int, 1, help="phonetic keys (of Metaphone, NYSIIS, Soundex) that must agree"),
        "strong_phonetic": Option(int, 2, help="keys that must agree when other evidence is weak"),
        "one_edit_min_length": Option(int, 5, help="one edit in a name this long counts without the sound"),
        "min_score": Option(float, 0.5, help="findings below this confidence (0..1) are dropped"),
        "extra_titles": Option(list, [], help="more title or role words that introduce a name"),
        "form_confidence": Option(dict, {}, help="confidence (0..1) of each kind of given-name and surface "
                                                  "variant (given-nickname, case, glue ...); kinds left out keep "
                                                  "checker/checks/name_forms.py's value"),
    }

    def __init__(self, spec: RuleSpec, context: RuleContext | None = None) -> None:
        super().__init__(spec, context)
        o = self.options
        for key in ("min_length", "max_edits", "min_phonetic", "strong_phonetic", "one_edit_min_length"):
            if o[key] < 0:
                raise spec.error(key, "must not be negative")
        if not all(isinstance(t, str) and t for t in o["extra_titles"]):
            raise spec.error("extra_titles", "must be a list of non-empty strings")
        if not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in o["form_confidence"].values()):
            raise spec.error("form_confidence", "must map variant kinds to numbers from 0 to 1")
        self.settings = VariantSettings(
            min_length=o["min_length"], max_edits=o["max_edits"], max_edit_ratio=o["max_edit_ratio"],
            min_phonetic=o["min_phonetic"], strong_phonetic=o["strong_phonetic"],
            one_edit_min_length=o["one_edit_min_length"], min_confidence=o["min_score"])
        self.known = known_surnames(self.context.stylesheets)
        self.known_given = known_givens(self.context.stylesheets)

    def run(self, doc: Document) -> Iterator[Finding]:
        layer = extract_people(doc, self.options["extra_titles"]) if self.options["extra_titles"] else doc.people
        taken: list[tuple[int, int]] = []
        for group in find_variants(layer, self.settings, self.known):
            if group.confidence < self.settings.min_confidence:
                continue
            for finding in self._findings(doc, layer, group):
                taken.append((finding.start, finding.end))
                yield finding
        # Given names, case, glue, hyphens and name order (checker/checks/name_forms.py).
        for v in given_variants(doc, layer, self.known_given) + surface_variants(doc, layer):
            confidence = float(self.options["form_confidence"].get(v.kind, v.confidence))
            if confidence < self.settings.min_confidence:
                continue
            start, end = doc.source_span(v.start, v.end)
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            yield doc.finding(self.spec, v.start, v.end, _form_message(v), suggestion=v.suggestion,
                              related=v.related, confidence=confidence,
                              data={"forms": f"{v.suggestion}|{v.text}", "reason": v.reason, "kind": v.kind})

    def _findings(self, doc: Document, layer: Any, group: VariantGroup) -> Iterator[Finding]:
        mentions = layer.mentions
        first_of = {f: mentions[ix[0]].surname_span for f, ix in group.mentions.items()}
        for form in group.forms:
            # On a tie no spelling is known to be right: the conflict is reported on the
            # spellings that came after the first one, without a suggestion.
            if form == group.canonical or (group.canonical is None and form == group.forms[0]):
                continue
            others = [f for f in group.forms if f != form]
            related = [(*first_of[f], f"spelled '{f}' here") for f in others]
            if group.canonical is None:
                message = f"the same person's name is spelled {_list_forms(list(group.forms))}; which is right?"
            else:
                where = {"style-sheet": f"as the style sheet lists {group.canonical_full}",
                         "introduction": f"as introduced: {group.canonical_full}",
                         "majority": "as most mentions spell it"}[group.reason]
                message = f"'{form}' looks like a misspelling of '{group.canonical}' ({where})"
            for index in group.mentions[form]:
                start, end = mentions[index].surname_span
                yield doc.finding(self.spec, start, end, message, suggestion=group.canonical,
                                  related=related, confidence=group.confidence,
                                  data={"forms": "|".join(group.forms), "reason": group.reason})
