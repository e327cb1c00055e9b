"""The flow: load -> annotate -> run checks -> select -> suppress -> sort, for many files."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.checks.base import Check, RuleContext
from checker.config import Config, ConfigFinder, check_rule_names, unknown_rule_name
from checker.document import Document, text_weight
from checker.errors import ConfigError, InputError, ModelError, RuleError, UsageError
from checker.finding import Confidence, Finding
from checker.rules import RuleSpec, builtin_packs, is_rule_pack, load_pack, validate_rule
from checker.source import SourceFile, read_source

if TYPE_CHECKING:
    from checker.cache import ResultCache

BATCH_FILES = 128
REPORT_BUG = "this is a bug in copydesk; please report it with the file that caused it"


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: its findings, or the one-line reason it was not checked."""

    path: str
    findings: tuple[Finding, ...] = ()
    source: SourceFile | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    # Annotation layers for reporters (date timeline, name clusters); not sent between processes.
    document: Document | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileResult, ...]
    rules: tuple[RuleSpec, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(f.path, f.error) for f in self.files if f.error]

    @property
    def findings(self) -> list[tuple[str, Finding]]:
        return [(f.path, x) for f in self.files for x in f.findings]


class Ruleset:
    """The checks one configuration asks for, built once and shared by all its files."""

    def __init__(self, config: Config) -> None:
        from checker.registry import check_class, option_table, rule_types

        self.config = config
        packs = [str(p) for p in builtin_packs() if is_rule_pack(p)] if config.builtin else []
        specs: dict[str, RuleSpec] = {}
        for pack in packs + list(config.rules):
            for spec in load_pack(pack):
                if spec.id in specs:
                    first = specs[spec.id]
                    raise spec.error("id", f"rule id {spec.id!r} is already defined in {first.path}:{first.line}")
                specs[spec.id] = spec
        for rule_id, overrides in config.options.items():
            if rule_id not in specs:
                raise RuleError(config.path, None, f"options.{rule_id}", "names no known rule")
            spec = specs[rule_id]
            raw: dict[str, Any] = {"id": spec.id, "type": spec.type, "category": spec.category,
                                   "level": str(spec.level), "message": spec.message, "scope": spec.scope,
                                   "confidence": str(spec.confidence), **spec.options, **overrides}
            specs[rule_id] = dataclasses.replace(
                validate_rule(raw, config.path, None, option_table, rule_types()),
                description=spec.description, link=spec.link, path=spec.path, line=spec.line,
                field_lines=spec.field_lines)
        stylesheets: tuple[Any, ...] = ()
        if config.stylesheets:
            from checker.stylesheet import load_stylesheets

            stylesheets = tuple(load_stylesheets(config.stylesheets))
        context = RuleContext(stylesheets)
        self.specs = tuple(sorted(specs.values(), key=lambda s: s.id))
        self.checks: list[Check] = []
        for spec in self.specs:
            if config.rule_enabled(spec.id, spec.enabled) or _enabled_somewhere(config, spec):
                self.checks.append(check_class(spec.type)(spec, context))
        self.needs: frozenset[str] = frozenset().union(*(c.needs for c in self.checks))

    def active(self, config: Config) -> list[Check]:
        return [c for c in self.checks if config.rule_enabled(c.spec.id, c.spec.enabled)]


def _enabled_somewhere(config: Config, spec: RuleSpec) -> bool:
    """A rule off by default but enabled for some paths must still be built."""
    return any(config.for_file("").rule_enabled(spec.id, spec.enabled) or
               any(item.rstrip(".*") in (spec.id, spec.family) for item in section.get("enable", ()))
               for _, section in config.per_path)


def run_checks(doc: Document, checks: Iterable[Check], config: Config) -> tuple[list[Finding], list[str]]:
    """Run checks on an annotated document; returns findings and per-rule problems."""
    from checker.checks.generic import RuleTimeout

    findings: list[Finding] = []
    problems: list[str] = []
    for check in checks:
        try:
            for finding in check.run(doc):
                severity = config.severity_for(finding.rule, finding.severity)
                if severity != finding.severity:
                    finding = dataclasses.replace(finding, severity=severity)
                findings.append(finding)
        except RuleTimeout as exc:
            problems.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - one broken check must not lose the other findings
            where = traceback.extract_tb(exc.__traceback__)[-1]
            problems.append(f"internal error in rule {check.spec.id} ({type(exc).__name__}: {exc} at "
                            f"{os.path.basename(where.filename)}:{where.lineno}); {REPORT_BUG}")
    findings = [f for f in findings if f.confidence >= config.min_confidence]
    findings = sorted(set(_drop_covered(findings)), key=Finding.sort_key)
    return findings, problems


# A rule that reports what the furniture pass found yields to a pattern rule that flags the
# same line, so an editor sees one finding per line (the pattern's message is the sharper).
_YIELDING = ("boilerplate.furniture",)


def _drop_covered(findings: list[Finding]) -> list[Finding]:
    spans = [(f.start, f.end) for f in findings if f.category == "boilerplate" and f.rule not in _YIELDING]
    if not spans:
        return findings
    return [f for f in findings
            if f.rule not in _YIELDING or not any(a < f.end and f.start < b for a, b in spans)]


class Engine:
    """Checks files; one per process. Rule sets and pipelines are built once and reused."""

    def __init__(self, config_path: str | None = None, date: dt.date | None = None,
                 overrides: Mapping[str, Any] | None = None, keep_documents: bool = False,
                 dates: Mapping[str, dt.date] | None = None, cache: bool = False) -> None:
        self.finder = ConfigFinder(config_path)
        self.date = date
        # Per-file default article dates (``copydesk eval`` gives each article its gold date).
        self.dates = dict(dates or {})
        # Documents are not stored, so a run that keeps them does not use the cache.
        self.cache: ResultCache | None = None
        if cache and not keep_documents:
            from checker.cache import ResultCache

            self.cache = ResultCache()
        self.overrides = dict(overrides or {})
        self.keep_documents = keep_documents
        self._rulesets: dict[tuple[Any, ...], Ruleset] = {}
        self._validated: dict[int, Config] = {}  # by id(); the value keeps the id from being reused
        # Called with each file's path when it is done (the command line's progress bar).
        self.progress: Callable[[str], None] | None = None
        # Lines that recur in many files of this run (a site's template): furniture wherever
        # they stand. Set by check_paths from a pre-pass over all the run's files.
        self.templates: frozenset[str] = frozenset()

    def config_for(self, path: str) -> Config:
        """The file's configuration with the command line's on top; every rule id and family
        either names is checked against the rules that configuration loads."""
        base = self.finder.for_path(path)
        config = base
        if self.overrides:
            config = dataclasses.replace(
                base,
                disable=base.disable + tuple(self.overrides.get("disable", ())),
                enable=base.enable + tuple(self.overrides.get("enable", ())),
                min_confidence=self.overrides.get("min_confidence", base.min_confidence),
            )
        if id(base) not in self._validated:
            # The rule set the run builds anyway: its ids do not depend on disable/enable.
            ids = [s.id for s in self.ruleset(config).specs]
            check_rule_names(base, ids)
            for flag in ("disable", "enable"):
                for name in self.overrides.get(flag, ()):
                    problem = unknown_rule_name(name, ids)
                    if problem is not None:
                        raise UsageError(f"--{flag} {problem}")
            self._validated[id(base)] = base
        return config

    def ruleset(self, config: Config) -> Ruleset:
        key = config.key()
        if key not in self._rulesets:
            self._rulesets[key] = Ruleset(config)
        return self._rulesets[key]

    def default_date(self, path: str, config: Config) -> dt.date | None:
        return self.dates.get(path) or self.date or config.date

    def load(self, path: str, config: Config) -> FileResult | Document:
        from checker.document.loaders import load_document

        try:
            source = read_source(path)
            doc = load_document(source, self.default_date(path, config), self.templates)
            if not doc.text.strip():
                return FileResult(path, source=None, error="empty article: no text to check outside front matter and markup",
                                  warnings=source.warnings)
            return doc
        except InputError as exc:
            return FileResult(path, error=exc.message)

    def check_documents(self, docs: Sequence[tuple[Document, Config]]) -> list[FileResult]:
        """Annotate documents with their pipelines (batched) and run their checks."""
        from checker.document.nlp import BATCH_SIZE, iter_annotate, load_pipeline

        results: list[FileResult | None] = [None] * len(docs)
        groups: dict[tuple[Any, ...], list[int]] = {}
        for index, (_, config) in enumerate(docs):
            ruleset = self.ruleset(config)
            groups.setdefault((config.model, ruleset.needs), []).append(index)
        for (model, needs), indexes in groups.items():
            if not needs:
                # Nothing reads spaCy's annotations (a boilerplate-only configuration): skip it.
                for index in indexes:
                    results[index] = self._finish(docs[index], docs[index][0].split(docs[index][1].max_block_chars))
                continue
            try:
                nlp = load_pipeline(model, needs)
            except ModelError as exc:
                where = next((docs[i][1].path for i in indexes if docs[i][1].model == model and docs[i][1].path), "")
                raise ModelError(f"{where}: {exc}" if where else str(exc)) from None
            # Batched when a whole batch stays within max_block_chars (spaCy holds a batch's
            # activations together: eight 99,999-character files would be 800,000 at once);
            # longer files go one at a time.
            short = [i for i in indexes if text_weight(docs[i][0].text) * BATCH_SIZE <= docs[i][1].max_block_chars]
            # Streamed: each document is checked and its annotations dropped before the next
            # batch, so memory does not grow with the number of files.
            try:
                for index, spacy_doc in zip(short, iter_annotate(nlp, (docs[i][0].text for i in short)), strict=True):
                    results[index] = self._finish(docs[index], [dataclasses.replace(docs[index][0], spacy=spacy_doc)])
            except (MemoryError, RecursionError):
                pass  # the batch is lost: its files go one at a time below, each on its own
            for index in indexes:
                if results[index] is None:
                    results[index] = self._check_alone(nlp, docs[index])
        return results  # type: ignore[return-value]

    def _check_alone(self, nlp: Any, item: tuple[Document, Config]) -> FileResult:
        """One document in pieces of at most ``max_block_chars`` (long paragraphs cut at
        sentence-like boundaries), one piece at a time, so memory stays bounded whatever the
        file's size; a file that still cannot be checked gets one error line, not a traceback."""
        from checker.document.nlp import annotate

        doc, config = item
        pieces = (dataclasses.replace(piece, spacy=annotate(nlp, [piece.text])[0])
                  for piece in doc.split(config.max_block_chars))
        try:
            return self._finish(item, pieces)
        except MemoryError:
            return FileResult(doc.path, source=doc.source, warnings=doc.source.warnings,
                              error=f"out of memory while checking this file ({len(doc.text):,} characters); "
                                    f"a smaller 'max_block_chars' in copydesk.yaml lowers the memory a file needs")
        except RecursionError:
            return FileResult(doc.path, source=doc.source, warnings=doc.source.warnings,
                              error="too deeply nested to check")

    def _finish(self, item: tuple[Document, Config], pieces: Iterable[Document]) -> FileResult:
        """Run the checks over an annotated document (or its pieces) and apply suppressions."""
        doc, config = item
        file_config = config.for_file(doc.path)
        checks = self.ruleset(config).active(file_config)
        findings: list[Finding] = []
        problems: list[str] = []
        kept: list[Document] = []
        for piece in pieces:
            piece_findings, piece_problems = run_checks(piece, checks, file_config)
            findings.extend(piece_findings)
            problems.extend(p for p in piece_problems if p not in problems)
            if self.keep_documents and not kept:
                kept.append(piece)
        findings = self.postprocess(doc, sorted(set(findings), key=Finding.sort_key), file_config)
        if self.progress is not None:
            self.progress(doc.path)
        return FileResult(doc.path, tuple(findings), doc.source,
                          error="; ".join(problems) if problems else None,
                          # A check may carry notes about itself (an optional model not installed).
                          warnings=doc.source.warnings + tuple(n for c in checks for n in getattr(c, "notes", ())),
                          document=kept[0] if kept and len(kept[0].text) == len(doc.text) else (doc if self.keep_documents else None))

    def postprocess(self, doc: Document, findings: list[Finding], config: Config) -> list[Finding]:
        """Inline suppressions and the like; the hook where adoption features plug in."""
        from checker.suppress import apply_suppressions

        specs = {s.id: s for ruleset in self._rulesets.values() for s in ruleset.specs}
        return apply_suppressions(doc, findings, config, specs)

    def check_paths(self, paths: Sequence[str]) -> list[FileResult]:
        """Check files in order (batches of BATCH_FILES so memory stays bounded)."""
        out: list[FileResult] = []
        for start in range(0, len(paths), BATCH_FILES):
            batch: list[tuple[Document, Config]] = []
            slots: list[FileResult | int] = []
            keys: list[str | None] = []
            for path in paths[start:start + BATCH_FILES]:
                try:
                    config = self.config_for(path)
                except ConfigError as exc:
                    # A broken copydesk.yaml in one folder: its files get the error, others go on.
                    slots.append(FileResult(path, error=f"configuration error: {exc}"))
                    if self.progress is not None:
                        self.progress(path)
                    continue
                if self.cache is not None:
                    key, hit = self.cache.lookup(path, config.for_file(path), self.default_date(path, config),
                                                 salt=template_key(self.templates))
                    if hit is not None:
                        self.ruleset(config)  # so rules() lists the same rules as a run without the cache
                        slots.append(hit)
                        if self.progress is not None:
                            self.progress(path)
                        continue
                loaded = self.load(path, config)
                if isinstance(loaded, FileResult):
                    slots.append(loaded)
                    if self.progress is not None:
                        self.progress(path)
                else:
                    slots.append(len(batch))
                    batch.append((loaded, config))
                    keys.append(key if self.cache is not None else None)
            checked = self.check_documents(batch) if batch else []
            if self.cache is not None:
                for result, key, (_, config) in zip(checked, keys, batch, strict=True):
                    if key is not None:
                        self.cache.store(key, config.for_file(result.path), result)
            out.extend(checked[s] if isinstance(s, int) else s for s in slots)
        return out

    def rules(self) -> tuple[RuleSpec, ...]:
        specs: dict[str, RuleSpec] = {}
        for ruleset in self._rulesets.values():
            for spec in ruleset.specs:
                if any(c.spec.id == spec.id for c in ruleset.checks):
                    specs.setdefault(spec.id, spec)
        return tuple(sorted(specs.values(), key=lambda s: s.id))


def expand_paths(paths: Sequence[str], finder: ConfigFinder | None = None,
                 follow_symlinks: bool = False) -> tuple[list[str], list[FileResult]]:
    """Files named and files under folders named (sorted, supported suffixes, excludes honoured).

    Symlinked folders are not followed, so a symlink loop cannot trap the walk. A symlinked
    file whose target lies outside every folder named (and the folder of every file named)
    is not read unless ``follow_symlinks``: a pull request committing ``story.txt ->
    ~/.env`` must not copy a runner's secrets into a report (issue 13). HTML pages that
    copydesk wrote (its reports) are left out of walks.
    """
    from checker.document.loaders import SUPPORTED_SUFFIXES

    finder = finder or ConfigFinder()
    files: list[str] = []
    errors: list[FileResult] = []
    seen: set[str] = set()
    roots = [os.path.realpath(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))) for p in paths]

    def add(path: str) -> None:
        if not follow_symlinks and os.path.islink(path) and not _inside(os.path.realpath(path), roots):
            errors.append(FileResult(path, error=OUTSIDE))
            return
        seen.add(path)
        files.append(path)

    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                for name in sorted(names):
                    full = os.path.join(root, name)
                    suffix = os.path.splitext(name)[1].lower()
                    if name.endswith(".gold.yaml") or suffix not in SUPPORTED_SUFFIXES:
                        continue
                    if _excluded(finder, full) or full in seen or (suffix in (".html", ".htm") and _is_report(full)):
                        continue
                    add(full)
        elif not os.path.lexists(path):
            errors.append(FileResult(path, error="no such file or directory"))
        elif path not in seen:
            add(path)
    return files, errors


OUTSIDE = ("symbolic link to a file outside the folders being checked: not read "
           "(--follow-symlinks reads it)")


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _is_report(path: str) -> bool:
    """Whether an HTML file is a copydesk report (its head carries the generator mark)."""
    from checker.reporters.html import GENERATOR_MARK

    try:
        with open(path, "rb") as handle:
            return GENERATOR_MARK.encode() in handle.read(2048)
    except OSError:
        return False


def _excluded(finder: ConfigFinder, path: str) -> bool:
    try:
        return finder.for_path(path).is_excluded(path)
    except ConfigError:
        return False  # checked, and then reported with its configuration's error


def check_paths(paths: Sequence[str], *, config: str | None = None, date: dt.date | None = None,
                jobs: int = 1, overrides: Mapping[str, Any] | None = None,
                keep_documents: bool = False, dates: Mapping[str, dt.date] | None = None,
                cache: bool = False, progress: Callable[[int, int], None] | None = None,
                follow_symlinks: bool = False) -> RunResult:
    """Check files and folders; the public entry point behind ``copydesk check``.

    ``progress(done, total)`` is called as files finish (in one process only; a run with
    ``jobs > 1`` reports once, at the end).

    ``dates`` gives some files their own default article date; ``cache`` reuses stored
    results of unchanged files (checker/cache.py).
    """
    finder = ConfigFinder(config)
    files, missing = expand_paths(paths, finder, follow_symlinks)
    if progress is not None:
        progress(0, len(files))  # the bar shows while the pipeline loads
    templates = run_templates(files)
    if jobs > 1 and len(files) > 1:
        from checker.parallel import check_parallel

        results, rules = check_parallel(files, config, date, overrides, jobs, dates=dates, cache=cache,
                                        templates=templates)
        if progress is not None:
            progress(len(files), len(files))
    else:
        engine = Engine(config, date, overrides, keep_documents, dates=dates, cache=cache)
        engine.finder = finder
        engine.templates = templates
        if progress is not None:
            done = iter(range(1, len(files) + 1))
            engine.progress = lambda _path: progress(next(done, len(files)), len(files))
        results = engine.check_paths(files)
        rules = engine.rules()
    by_path = {r.path: r for r in results}
    ordered = tuple(missing) + tuple(by_path[p] for p in files)
    return RunResult(ordered, rules)


def run_templates(files: Sequence[str]) -> frozenset[str]:
    """Lines shared by many of the run's files (checker/document/furniture.py), read once here
    in the parent so that --jobs workers and the daemon's runs see the same set."""
    from checker.document.furniture import load_model, template_lines
    from checker.source import read_source

    if len(files) < load_model().template_min_files:
        return frozenset()

    def texts() -> Iterator[str]:
        for path in files:
            try:
                yield read_source(path).text
            except InputError:
                continue  # the file's own check reports it

    return template_lines(texts())


def template_key(templates: frozenset[str]) -> str:
    """What a file's cached result depends on beyond the file: the run's template lines."""
    if not templates:
        return ""
    import hashlib

    return hashlib.sha256("\n".join(sorted(templates)).encode()).hexdigest()


def check_text(text: str, *, path: str = "<text>", date: dt.date | None = None,
               config: str | None = None, fmt: str | None = None) -> list[Finding]:
    """Check a string as if it were the file ``path``; returns its findings."""
    from checker.document.loaders import load_document

    engine = Engine(config, date)
    source = SourceFile(path if fmt is None else f"{path}.{fmt}", text)
    cfg = engine.config_for(os.path.abspath(path))
    doc = load_document(source, date or cfg.date)
    result = engine.check_documents([(doc, cfg)])[0]
    if result.error:
        raise ConfigError(path, result.error)
    return list(result.findings)


def iter_findings(result: RunResult) -> Iterator[tuple[FileResult, Finding]]:
    for file in result.files:
        for finding in file.findings:
            yield file, finding


__all__ = ["Engine", "FileResult", "RunResult", "Ruleset", "check_paths", "check_text", "expand_paths",
           "Confidence"]
