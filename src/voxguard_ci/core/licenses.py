"""SPDX license expressions: parse them, and decide whether a deny list forbids one. Pure.

The grammar (SPDX 2.3, annex D), operators case-insensitive, `AND` binding tighter than `OR`:

    expression := and-expr ("OR" and-expr)*
    and-expr   := with-expr ("AND" with-expr)*
    with-expr  := atom ("WITH" exception-id)?
    atom       := license-id ["+"] | "(" expression ")"

A license id is letters, digits, `.`, `-` and `+`, with `LicenseRef-…`/`DocumentRef-…:LicenseRef-…` for
licenses SPDX does not list. Deny globs (`GPL-*`, `AGPL-*`) are matched with fnmatch against the whole id,
case-insensitively, so `LGPL-2.1-only` does not match `GPL-*`. A choice (`OR`) is allowed when any branch
is; a conjunction (`AND`) is denied when any part is; `X WITH exception` is denied when `X` is (an exception
widens what the license permits but does not change the license), or when a glob names the whole
`X WITH exception`.

A component may state several licenses (a CycloneDX `licenses` array, or an id plus a free-text name): they
all apply, as if joined by `AND`. A component that states none, or only text that is not an SPDX expression
(`Custom: see LICENSE.txt`, a Python trove classifier), is *unknown*: neither denied nor silently allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import NamedTuple, TypeAlias

from voxguard_ci.core.findings import Component

__all__ = ["License", "LicenseCheck", "Op", "is_denied", "license_violations", "parse"]

NO_LICENSE = frozenset({"NOASSERTION", "NONE"})
_TOKEN = re.compile(r"[()]|[A-Za-z0-9.+:\-]+")
_ID = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.\-]+:)?[A-Za-z0-9][A-Za-z0-9.\-]*\+?$")
_OPERATORS = frozenset({"AND", "OR", "WITH"})


@dataclass(frozen=True)
class License:
    id: str
    exception: str | None = None

    def __str__(self) -> str:
        return f"{self.id} WITH {self.exception}" if self.exception else self.id


@dataclass(frozen=True)
class Op:
    operator: str  # "AND" or "OR"
    operands: tuple[Expression, ...]

    def __str__(self) -> str:
        return f" {self.operator} ".join(
            f"({operand})" if isinstance(operand, Op) else str(operand) for operand in self.operands
        )


Expression: TypeAlias = License | Op


def parse(expression: str) -> Expression:
    """The tree of `expression`; ValueError("malformed license expression '…' at position N: reason")."""
    return _Parser(expression).parse()


def is_denied(expression: str, deny_globs: Iterable[str]) -> bool:
    """Whether `deny_globs` forbid `expression` (see the module docstring for OR/AND/WITH)."""
    return _denied(parse(expression), [glob.lower() for glob in deny_globs])


class LicenseCheck(NamedTuple):
    """`denied`: (component, the license it states that is denied); `unknown`: (component, why not known)."""

    denied: list[tuple[Component, str]]
    unknown: list[tuple[Component, str]]


def license_violations(components: Iterable[Component], deny_globs: Iterable[str]) -> LicenseCheck:
    """Components whose licenses the deny list forbids, and components whose license cannot be told."""
    globs = [glob.lower() for glob in deny_globs]
    denied: list[tuple[Component, str]] = []
    unknown: list[tuple[Component, str]] = []
    for component in components:
        stated = [text.strip() for text in component.licenses if text.strip().upper() not in NO_LICENSE]
        stated = [text for text in stated if text]
        if not stated:
            unknown.append((component, "no license stated"))
            continue
        parsed, unreadable = [], []
        for text in stated:
            try:
                parsed.append((text, parse(text)))
            except ValueError:
                unreadable.append(text)
        hit = next((text for text, tree in parsed if _denied(tree, globs)), None)
        hit = hit or next((text for text in unreadable if _matches(text, globs)), None)
        if hit is not None:
            denied.append((component, hit))
        elif not parsed:
            unknown.append((component, f"not an SPDX license expression: {unreadable[0]!r}"))
    return LicenseCheck(denied, unknown)


def _denied(tree: Expression, globs: list[str]) -> bool:
    if isinstance(tree, License):
        return _matches(tree.id, globs) or (tree.exception is not None and _matches(str(tree), globs))
    results = [_denied(operand, globs) for operand in tree.operands]
    return all(results) if tree.operator == "OR" else any(results)


def _matches(text: str, globs: list[str]) -> bool:
    lowered = text.lower()
    return any(fnmatchcase(lowered, glob) for glob in globs)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []  # (kind, value, position)
        position = 0
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position == len(text):
                break
            match = _TOKEN.match(text, position)
            if match is None:
                self._fail(position, f"unexpected character {text[position]!r}")
            assert match is not None
            value = match.group()
            kind = value if value in "()" else value.upper() if value.upper() in _OPERATORS else "word"
            self.tokens.append((kind, value if kind == "word" else kind, position))
            position = match.end()
        self.index = 0

    def parse(self) -> Expression:
        if not self.tokens:
            self._fail(0, "empty expression")
        tree = self._or()
        if self.index < len(self.tokens):
            _, value, position = self.tokens[self.index]
            self._fail(position, f"unexpected {value!r}")
        return tree

    def _or(self) -> Expression:
        return self._chain("OR", self._and)

    def _and(self) -> Expression:
        return self._chain("AND", self._with)

    def _chain(self, operator: str, operand: object) -> Expression:
        parts = [operand()]  # type: ignore[operator]
        while self._peek() == operator:
            self.index += 1
            parts.append(operand())  # type: ignore[operator]
        return parts[0] if len(parts) == 1 else Op(operator, tuple(parts))

    def _with(self) -> Expression:
        atom = self._atom()
        if self._peek() != "WITH":
            return atom
        with_position = self.tokens[self.index][2]
        self.index += 1
        if not isinstance(atom, License):
            self._fail(with_position, "WITH must follow a single license id")
        exception = self._expect_word("an exception id after WITH")
        return License(atom.id, exception)

    def _atom(self) -> Expression:
        if self._peek() == "(":
            open_position = self.tokens[self.index][2]
            self.index += 1
            tree = self._or()
            if self._peek() != ")":
                self._fail(self._position(), f"missing ')' for the '(' at position {open_position}")
            self.index += 1
            return tree
        return License(self._expect_word("a license id"))

    def _expect_word(self, what: str) -> str:
        if self._peek() != "word":
            found = repr(self.tokens[self.index][1]) if self.index < len(self.tokens) else "the end"
            self._fail(self._position(), f"expected {what}, found {found}")
        value = self.tokens[self.index][1]
        self.index += 1
        if not _ID.match(value):
            self._fail(self.tokens[self.index - 1][2], f"{value!r} is not a license id")
        return value

    def _peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def _position(self) -> int:
        return self.tokens[self.index][2] if self.index < len(self.tokens) else len(self.text)

    def _fail(self, position: int, reason: str) -> None:
        raise ValueError(f"malformed license expression {self.text!r} at position {position}: {reason}")
