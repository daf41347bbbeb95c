"""YAML for files a user or a colleague wrote (run files, ``-p`` values, SOURCE.yml): safe tags
only, no aliases, bounded size.

``yaml.safe_load`` cannot run code but expands aliases: a 700-byte "billion laughs" file (nine
levels of ``&a [*b, *b, ...]``) takes gigabytes and a minute before it fails. None of the
project's YAML needs an alias, so one is refused as soon as the parser meets it, and a document
larger than ``MAX_BYTES`` is refused before parsing.
"""

from __future__ import annotations

import yaml

MAX_BYTES = 1 << 20  # 1 MiB: the largest SOURCE.yml is a few kB


class AliasRefused(yaml.YAMLError):
    """The document uses an alias (``*name``)."""


class TooLarge(yaml.YAMLError):
    """The document is larger than allowed."""


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            ev = self.peek_event()
            line = ev.start_mark.line + 1 if ev.start_mark else "?"
            raise AliasRefused(f"line {line}: YAML aliases (*{ev.anchor}) are not allowed")
        return super().compose_node(parent, index)


def load(text: str | bytes, max_bytes: int = MAX_BYTES):
    """Parse one YAML document with safe tags, refusing aliases and documents over
    ``max_bytes``. Raises a ``yaml.YAMLError`` (AliasRefused, TooLarge or the parser's own)."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > max_bytes:
        raise TooLarge(f"{size:,} bytes, more than the {max_bytes:,} allowed")
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass


def first_line(e: BaseException) -> str:
    """A YAMLError as one line."""
    return " ".join(str(e).split())[:300]
