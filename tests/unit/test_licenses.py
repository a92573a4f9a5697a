"""SPDX license expressions: parsing, the deny-list decision, and the check over SBOM components."""

from __future__ import annotations

from pathlib import Path

import pytest

from voxguard_ci.core.findings import Component
from voxguard_ci.core.licenses import License, Op, is_denied, license_violations, parse
from voxguard_ci.core.parsers import cyclonedx_json, spdx_json

GOLDEN = Path(__file__).parents[1] / "golden"
DENY = ["GPL-*", "AGPL-*"]


@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("MIT", License("MIT")),
        ("Apache-2.0 OR GPL-3.0-only", Op("OR", (License("Apache-2.0"), License("GPL-3.0-only")))),
        (
            "(MIT AND BSD-3-Clause) OR GPL-2.0+",
            Op("OR", (Op("AND", (License("MIT"), License("BSD-3-Clause"))), License("GPL-2.0+"))),
        ),
        ("GPL-2.0-only WITH Classpath-exception-2.0", License("GPL-2.0-only", "Classpath-exception-2.0")),
        ("mit or apache-2.0", Op("OR", (License("mit"), License("apache-2.0")))),
        ("MIT And Zlib", Op("AND", (License("MIT"), License("Zlib")))),
        # AND binds tighter than OR
        (
            "MIT OR Apache-2.0 AND GPL-3.0-only",
            Op("OR", (License("MIT"), Op("AND", (License("Apache-2.0"), License("GPL-3.0-only"))))),
        ),
        ("A OR B OR C", Op("OR", (License("A"), License("B"), License("C")))),
        ("((MIT))", License("MIT")),
        ("  ( MIT OR  ISC )  ", Op("OR", (License("MIT"), License("ISC")))),
        ("LicenseRef-Proprietary", License("LicenseRef-Proprietary")),
        ("DocumentRef-other:LicenseRef-1", License("DocumentRef-other:LicenseRef-1")),
        (
            "(Apache-2.0 WITH LLVM-exception) OR MIT",
            Op("OR", (License("Apache-2.0", "LLVM-exception"), License("MIT"))),
        ),
    ],
)
def test_parse(expression, tree):
    assert parse(expression) == tree


def test_parsed_expression_prints_back():
    assert str(parse("(mit and BSD-3-Clause) or GPL-2.0+")) == "(mit AND BSD-3-Clause) OR GPL-2.0+"
    assert (
        str(parse("GPL-2.0-only with Classpath-exception-2.0")) == "GPL-2.0-only WITH Classpath-exception-2.0"
    )


@pytest.mark.parametrize(
    ("expression", "position", "reason"),
    [
        ("", 0, "empty expression"),
        ("   ", 0, "empty expression"),
        ("MIT OR", 6, "expected a license id, found the end"),
        ("OR MIT", 0, "expected a license id, found 'OR'"),
        ("MIT AND AND GPL-3.0", 8, "expected a license id, found 'AND'"),
        ("(MIT OR ISC", 11, "missing ')' for the '(' at position 0"),
        ("MIT)", 3, "unexpected ')'"),
        ("MIT ISC", 4, "unexpected 'ISC'"),
        ("()", 1, "expected a license id, found ')'"),
        ("MIT / GPL-2.0", 4, "unexpected character '/'"),
        ("MIT, ISC", 3, "unexpected character ','"),
        ("(MIT OR ISC) WITH Foo-exception", 13, "WITH must follow a single license id"),
        ("GPL-2.0 WITH", 12, "expected an exception id after WITH, found the end"),
        ("Custom: see LICENSE.txt", 0, "'Custom:' is not a license id"),
        ("GPL-2.0++", 0, "'GPL-2.0++' is not a license id"),
    ],
)
def test_malformed_expression_names_it_and_the_position(expression, position, reason):
    with pytest.raises(ValueError) as caught:
        parse(expression)
    assert (
        str(caught.value) == f"malformed license expression {expression!r} at position {position}: {reason}"
    )


@pytest.mark.parametrize(
    ("expression", "denied"),
    [
        ("MIT", False),
        ("GPL-3.0-only", True),
        ("GPL-2.0+", True),
        ("gpl-2.0-or-later", True),  # case-insensitive
        ("AGPL-3.0-or-later", True),
        ("LGPL-2.1-only", False),  # starts with L: not GPL-*
        ("LGPL-3.0-or-later OR GPL-3.0-only", False),
        ("MIT OR GPL-3.0", False),  # a choice: one allowed branch suffices
        ("GPL-3.0 OR MIT", False),
        ("MIT AND GPL-3.0", True),  # a conjunction: every part applies
        ("Apache-2.0 OR GPL-3.0-only", False),
        ("(MIT AND BSD-3-Clause) OR GPL-2.0+", False),
        ("(MIT AND GPL-2.0-only) OR AGPL-3.0-only", True),
        ("(MIT OR GPL-2.0-only) AND (ISC OR AGPL-3.0-only)", False),
        ("(GPL-2.0-only OR AGPL-3.0-only) AND MIT", True),
        ("GPL-2.0-only WITH Classpath-exception-2.0", True),  # an exception does not change the license
        ("Apache-2.0 WITH LLVM-exception", False),
        ("mit or gpl-3.0", False),
        ("GPL", False),  # not GPL-*: the globs decide, not a guess
    ],
)
def test_is_denied(expression, denied):
    assert is_denied(expression, DENY) is denied


def test_is_denied_with_other_globs():
    assert is_denied("SSPL-1.0", ["SSPL-*"])
    assert not is_denied("GPL-3.0-only", [])
    assert is_denied("GPL-2.0-only WITH Classpath-exception-2.0", ["gpl-2.0-only with classpath-*"])
    assert is_denied("LGPL-2.1-only", ["*GPL-*"])


def test_is_denied_rejects_malformed_expressions():
    with pytest.raises(ValueError, match="malformed license expression 'MIT OR' at position 6"):
        is_denied("MIT OR", DENY)


def component(name: str, *licenses: str) -> Component:
    return Component(name=name, version="1.0", licenses=list(licenses))


def test_license_violations_separates_denied_from_unknown():
    components = [
        component("mit", "MIT"),
        component("gpl", "GPL-3.0-only"),
        component("choice", "MIT OR GPL-3.0-only"),
        component("both", "MIT AND GPL-3.0-only"),
        component("lgpl", "LGPL-2.1-or-later"),
        component("none"),
        component("noassertion", "NOASSERTION"),
        component("custom", "Custom: see LICENSE.txt"),
        component("id-and-classifier", "BSD-3-Clause", "License :: OSI Approved :: BSD License"),
        component("two-entries", "MIT", "GPL-2.0-only"),  # several stated licenses all apply
    ]
    denied, unknown = license_violations(components, DENY)
    assert [(c.name, expression) for c, expression in denied] == [
        ("gpl", "GPL-3.0-only"),
        ("both", "MIT AND GPL-3.0-only"),
        ("two-entries", "GPL-2.0-only"),
    ]
    assert [(c.name, reason) for c, reason in unknown] == [
        ("none", "no license stated"),
        ("noassertion", "no license stated"),
        ("custom", "not an SPDX license expression: 'Custom: see LICENSE.txt'"),
    ]


def test_free_text_license_matching_a_glob_is_denied():
    denied, unknown = license_violations([component("x", "GPL-2.0 or later, see COPYING")], DENY)
    assert [expression for _, expression in denied] == ["GPL-2.0 or later, see COPYING"]
    assert unknown == []


def test_license_check_of_the_npm_sbom_goldens():
    for report in (
        cyclonedx_json.parse((GOLDEN / "cyclonedx-json/npm-1.6.json").read_text()),
        spdx_json.parse((GOLDEN / "spdx-json/npm-sbom-2.3.json").read_text()),
    ):
        denied, unknown = license_violations(report.components, DENY)
        assert [(c.name, e) for c, e in denied] == [("gpl-thing", "GPL-3.0-or-later")]
        assert [c.name for c, _ in unknown] == ["nolicense-thing", "odd-thing"]


def test_license_check_of_the_python_sbom_golden_reports_classifiers_as_unknown():
    report = cyclonedx_json.parse((GOLDEN / "cyclonedx-json/python-env-1.6.json").read_text())
    denied, unknown = license_violations(report.components, DENY)
    assert denied == []
    # html2text is GPL, but cyclonedx-py only has a trove classifier for it: a human must look.
    assert [c.name for c, _ in unknown] == ["chardet", "html2text"]
