"""Perturber for page furniture: one line of website boilerplate pasted between two paragraphs.

The lines are the furniture a copy-paste from a news page drags along, in four kinds:

* ``link``: a related-story box, a cue followed by another article's headline ("See also",
  "Read more:", "Related:" ...);
* ``prompt``: share, print, subscribe and advertising labels, among them the BBC News page
  template of 2004-05 that the corpus articles were published in ("E-mail this to a
  friend", "Printable version", "Have Your Say");
* ``section``: breadcrumbs and section labels ("Home | News | Business", "Complete News World");
* ``headline``: the article's own headline repeated below its first paragraph.

Not every line is one that rules/boilerplate.yaml knows: the list was written from news
pages, not from the rules, so recall measured on it says how far the rules generalise.
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from eval.perturb import Article, Perturbed

CATEGORY = "boilerplate"

LINK_CUES = ("See also", "See also:", "Read more:", "Read more", "Related:", "More on this story:",
             "Also read:", "Related stories:", "Top stories:", "Most read:", "You may also like:")
PROMPTS = ("E-mail this to a friend", "Printable version", "Have Your Say", "Advertisement",
           "Share this article", "Share on Facebook", "Follow us on Twitter", "Sign up for our newsletter",
           "Print this page", "Email this story", "Subscribe now", "Getty Images",
           "Skip to main content", "Copyright 2005 BBC News", "All rights reserved.",
           "Related Internet Links", "Watch the video", "Listen to this article")
SECTIONS = ("Home | News | {section}", "BBC News | {section}", "News Front Page", "Complete News {section}",
            "{section} News", "Home > {section}", "UK | {section}", "Latest {section} News")
# Corpus topics (file-name prefixes) to the section a news site files them under.
TOPIC_SECTIONS = {"business": "Business", "entertainment": "Entertainment", "politics": "Politics",
                  "sport": "Sport", "tech": "Technology"}


def _split(text: str) -> tuple[str, list[str]]:
    parts = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return parts[0], parts[1:]


def perturb(article: Article, rng: random.Random, pool: Sequence[Article]) -> Perturbed | None:
    head, body = _split(article.text)
    if len(body) < 2:
        return None
    kind = rng.choice(("link", "prompt", "section", "headline"))
    if kind == "link":
        donors = [a for a in pool if a.name != article.name]
        if not donors:
            return None
        other = _split(rng.choice(donors).text)[0]
        cue = rng.choice(LINK_CUES)
        line = f"{cue} {other}"
    elif kind == "prompt":
        line = rng.choice(PROMPTS)
    elif kind == "section":
        section = TOPIC_SECTIONS.get(article.name.split("_", 1)[0], "World")
        line = rng.choice(SECTIONS).format(section=section)
    else:
        line = head
    # Below the first paragraph: furniture above the lead would be taken for a header.
    at = rng.randint(1, len(body))
    before = head + "\n\n" + "\n\n".join(body[:at]) + "\n\n"
    text = before + line + "\n\n" + "\n\n".join(body[at:])
    text = text.rstrip("\n") + "\n"
    occurrence = 1 + sum(1 for i in range(len(before)) if before.startswith(line, i))
    gold = {"category": CATEGORY, "text": line, "occurrence": occurrence,
            "note": f"page furniture pasted into the body ({kind})"}
    return Perturbed(text=text, findings=[gold], kind=kind)
