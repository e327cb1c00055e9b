"""JUnit XML for CI dashboards: a test suite per article, a failed test case per finding."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from checker.reporters.common import display_path, region

if TYPE_CHECKING:
    from checker.engine import FileResult, RunResult

# Characters XML 1.0 cannot carry even escaped; an article with a stray control byte must not
# produce a report that dashboards refuse to parse.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _suite(file: FileResult) -> ET.Element:
    path = display_path(file.path)
    suite = ET.Element("testsuite", name=_clean(path))
    failures = errors = 0
    if file.source is None:
        case = ET.SubElement(suite, "testcase", name="copydesk", classname=_clean(path), time="0")
        ET.SubElement(case, "error", message=_clean(file.error or "not checked"), type="input-error")
        errors += 1
    else:
        for finding in file.findings:
            reg = region(file.source, finding.start, finding.end)
            case = ET.SubElement(suite, "testcase", name=_clean(f"{finding.rule} at {reg.line}:{reg.column}"),
                                 classname=_clean(path), file=_clean(path), line=str(reg.line), time="0")
            detail = [f"{path}:{reg.line}:{reg.column}: {finding.severity} {finding.rule} {finding.message}",
                      f"text: {finding.text}", f"category: {finding.category}",
                      f"confidence: {finding.confidence}"]
            if finding.suggestion:
                detail.append(f"suggestion: {finding.suggestion}")
            for rel in finding.related:
                rline, rcol = file.source.position(rel.start)
                detail.append(f"related: {path}:{rline}:{rcol}: '{rel.text}'" + (f" ({rel.message})" if rel.message else ""))
            failure = ET.SubElement(case, "failure", message=_clean(finding.message), type=str(finding.severity))
            failure.text = _clean("\n".join(detail))
            failures += 1
        if file.error:
            case = ET.SubElement(suite, "testcase", name="copydesk rules", classname=_clean(path), time="0")
            ET.SubElement(case, "error", message=_clean(file.error), type="rule-error")
            errors += 1
        if not len(suite):
            # A clean article is a passed test, so dashboards count it.
            ET.SubElement(suite, "testcase", name="copydesk", classname=_clean(path), time="0")
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", "0")
    return suite


def render(result: RunResult, **_: object) -> str:
    root = ET.Element("testsuites", name="copydesk")
    for file in result.files:
        root.append(_suite(file))
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    root.set("time", "0")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
