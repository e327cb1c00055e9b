"""``copydesk init``: a commented starter copydesk.yaml, written once (``--force`` to replace)."""
from __future__ import annotations

import os

from checker.atomic import write_atomic
from checker.errors import ConfigError

# Every key of checker.config.KEYS appears here, set or commented out, so that the file
# doubles as the reference of the configuration (tests/test_baseline.py checks both that it
# parses and that no key is missing).
STARTER = """\
# copydesk configuration. copydesk uses the nearest copydesk.yaml above each article
# (or [tool.copydesk] in pyproject.toml). 'copydesk rules' lists every rule id;
# 'copydesk explain RULE' prints what a rule flags and why.

# Extra rule packs and newsroom style sheets, relative to this file.
rules: []
# rules: [desk/house-rules.yaml]
stylesheets: []
# stylesheets: [desk/people.yaml]

# Turn rules or whole families off and on again: 'names', 'dates', 'coherence',
# 'boilerplate', 'stylesheet', a single id such as 'dates.stale_dateline', or 'all'.
disable: []
enable: []
# enable: [copydesk.unused_suppression]   # same as --report-unused-suppressions

# Severity per rule id or family (error, warning, info); 'copydesk check --fail-on'
# decides which severities fail the run (default: warning).
severity: {}
# severity: {boilerplate: error, coherence: info}

# Drop findings below this confidence (low, medium, high). Fuzzy checks (names,
# coherence) say how sure they are; 'low' shows everything.
min_confidence: low

# Override a rule's options: rule id -> {field: value} ('copydesk explain RULE').
options: {}
# The non-sequitur rule can read sentence embeddings (method: semantic, built in, no extra
# install): it finds about 0.6 of pasted-in sentences instead of 0.15, but checks about
# eight times fewer words a second than the default method: lexical (docs/coherence.md):
# options:
#   coherence.non_sequitur: {method: semantic}

# Files a folder walk skips (globs relative to this file).
exclude: []
# exclude: ["archive/**", "drafts/*.md"]

# Settings for some paths only. Plain-text articles cannot carry suppression comments,
# so this is how they turn a rule off (Markdown and HTML can also use
# <!-- copydesk: disable=RULES --> ... <!-- copydesk: enable --> in the article).
per_path: {}
# per_path:
#   "wire/*.txt":
#     disable: [dates.stale_dateline]
#     severity: {names: info}

# Article date for articles with no front-matter date and no dateline (YYYY-MM-DD);
# usually given per run with --date instead.
# date: 2024-05-01

# spaCy pipeline (an installed package name or a path); the default is en_core_web_sm.
# model: en_core_web_sm

# Load the rule packs shipped with copydesk (set false to use only your own).
builtin: true

# The most characters handed to spaCy at once; longer paragraphs are cut at sentence
# ends. Bounds the memory one file needs (about 600 MB at 100,000, whatever the file's size).
# max_block_chars: 100000
"""


def write_starter(path: str, force: bool = False) -> None:
    """Write the starter configuration to ``path``; an existing file needs ``force``."""
    if os.path.exists(path) and not force:
        raise ConfigError(path, "already exists; use --force to replace it")
    try:
        write_atomic(path, STARTER, newline="\n", make_folder=False)
    except OSError as exc:
        raise ConfigError(path, f"cannot write: {exc.strerror or exc}") from None
