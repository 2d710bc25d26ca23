"""The consent wording template: a small Markdown-like text a clinic can replace.

Pure text handling (no reportlab): comments are dropped, ``{placeholders}``
filled in, and the text split into blocks (title, heading, paragraph,
bullet, ``[[marker]]`` for a generated table). Unknown placeholders are left
as written so a typo stays visible on the proof instead of vanishing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

MARKERS = ("identity", "course", "contraindications", "signatures")
DEFAULT_TEMPLATE = ("templates", "consent_default.md")

BlockKind = Literal["title", "heading", "para", "bullet", "marker"]

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_MARKER = re.compile(r"^\[\[([a-z_]+)\]\]$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # plain text with ``**bold**`` kept; a marker's name for "marker"


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` with ``values[name]``; unknown names stay as they are."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def parse(text: str, values: Mapping[str, str]) -> list[Block]:
    """Split a filled-in template into blocks, in order."""
    blocks: list[Block] = []
    pending: list[str] = []
    pending_kind: BlockKind = "para"

    def flush() -> None:
        nonlocal pending, pending_kind
        if pending:
            blocks.append(Block(pending_kind, fill(" ".join(pending), values)))
        pending, pending_kind = [], "para"

    for raw in _COMMENT.sub("", text).splitlines():
        line = raw.strip()
        marker = _MARKER.match(line)
        if not line:
            flush()
        elif marker:
            flush()
            blocks.append(Block("marker", marker.group(1)))
        elif line.startswith("## "):
            flush()
            blocks.append(Block("heading", fill(line[3:].strip(), values)))
        elif line.startswith("# "):
            flush()
            blocks.append(Block("title", fill(line[2:].strip(), values)))
        elif line.startswith(("- ", "* ")):
            flush()
            pending, pending_kind = [line[2:].strip()], "bullet"
        else:
            pending.append(line)
    flush()
    return blocks


def with_required_blocks(blocks: list[Block]) -> list[Block]:
    """Make sure identity, course and signatures appear even if a clinic's text leaves them out."""
    present = {b.text for b in blocks if b.kind == "marker"}
    out = list(blocks)
    head: list[Block] = []
    if "identity" not in present:
        head += [Block("heading", "Patient identity"), Block("marker", "identity")]
    if "course" not in present:
        head += [Block("heading", "Planned course"), Block("marker", "course")]
    if head:
        insert_at = 1 if out and out[0].kind == "title" else 0
        out[insert_at:insert_at] = head
    if "signatures" not in present:
        out += [Block("heading", "Signatures"), Block("marker", "signatures")]
    return out
