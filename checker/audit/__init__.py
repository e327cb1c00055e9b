"""copydesk audit: check an archive on Dask (a local cluster or a scheduler's), resumably, then the archive pass.

The per-article work is the engine's own (``Engine.check_documents``), run on Dask workers
that each build the engine and load the pipeline once (``AuditPlugin``). Workers read the
articles where they sit (a shared folder, or an fsspec URL such as ``s3://bucket/news/``);
the client sends only paths and receives one small record per article, as it finishes.

RESULTS.jsonl (append-only, one JSON object a line):

* an article: the JSON contract's file shape ``{"path", "findings"}`` plus ``sha256`` (of the
  file's bytes), ``words`` and ``people`` (its full names, for the archive pass);
* an unreadable file: the contract's error shape ``{"path", "message"}`` (retried on a rerun);
* after the last article, the archive block: ``{"kind": "archive", "path", "findings"}`` per
  article with ``archive.*`` findings and one ``{"kind": "archive-summary", ...}``.

A rerun with the same file skips articles whose path and hash are already there, drops the
old archive block, appends the rest and writes a new block over the whole file; a line is
flushed as soon as its article finishes, so an interruption loses only articles in flight.

Modules, in the order data flows: ``worker`` (the engine per worker, the per-article task),
``run`` (the client: feed the cluster, write the lines, the archive pass), ``results`` (the
file), ``report`` (reports of the results), ``command`` (the command line's part). The
archive's own logic is ``checker.archive``.
"""
from __future__ import annotations

from checker.audit.command import command
from checker.audit.report import json_report, render_results, run_result
from checker.audit.results import AuditError, load_state, prepare_results, read_records
from checker.audit.run import AuditReport, archive_pass, archive_rule, run_audit
from checker.audit.worker import Options, audit_file, is_url

__all__ = ["AuditError", "AuditReport", "Options", "archive_pass", "archive_rule", "audit_file", "command",
           "is_url", "json_report", "load_state", "prepare_results", "read_records", "render_results",
           "run_audit", "run_result"]
