"""Reading the TOML data files the apps ship (eligibility questions, arrangements, question
sets, the training programme, inspection checklists).

One reader, so that a mistake in any of them reads the same way: the file's name, the line
and what is wrong, in the error type of the app that owns the file. A data file is edited by
people who know the domain rather than Python, and the message is all they get at start-up.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


class DataFileError(ValueError):
    """A data file that cannot be read; the message names the file and the line."""


def parse_toml(
    text: str, *, source: str, error: type[ValueError] = DataFileError
) -> dict[str, Any]:
    """Parse TOML text; a syntax error raises `error` as "source, line N, column M: reason"."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _WHERE.search(message)
        reason = _WHERE.sub("", message).strip()
        if found and found.group(1):
            where = f"{source}, line {found.group(1)}, column {found.group(2)}"
        elif found:
            where = f"{source}, at the end of the file"
        else:
            where = source
        raise error(f"{where}: not valid TOML: {reason}") from exc


def read_toml(path: Path, *, error: type[ValueError] = DataFileError) -> dict[str, Any]:
    """Open, decode (UTF-8) and parse one data file. A missing file, bytes that are not
    UTF-8 and TOML syntax errors all raise `error` naming the file (and the line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{path.name}, line {line}: not UTF-8 text (save the file as UTF-8)") from exc
    return parse_toml(text, source=path.name, error=error)
