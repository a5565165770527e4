"""Conversations to bytes: the pure functions every writer, worker and Dask task calls.

``render(spec, start, stop)`` is the NDJSON of conversations ``start .. stop - 1``, and
``encode_parts`` the same in the form a writer writes (NDJSON lines, JSON array items, gzip
members). Rendering a range in pieces and joining them gives the bytes of rendering it whole,
which is what makes shards and workers byte-identical to one process. Output is cut into blocks
aligned on multiples of :data:`BLOCK`, the unit of work of a worker and, with gzip, of one gzip
member, so compressed output does not depend on ``--workers`` either.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import orjson

from gcmock.scenarios import Conversation, World, to_call_json, to_conversation_bytes

from .spec import DatasetSpec

__all__ = ["BLOCK", "GZIP_LEVEL", "blocks", "encode_parts", "gzip_member", "render", "serializer"]

BLOCK = 1000
"""Conversations per unit of work; blocks start at multiples of it."""

GZIP_LEVEL = 6
"""The gzip command's default: 11x smaller JSON at about 150 MB/s per core."""

Serializer = Callable[[Conversation, int], bytes]
"""``serialize(conv, orjson_option)``: one conversation as one JSON document."""


def blocks(start: int, stop: int, size: int = BLOCK) -> Iterator[tuple[int, int]]:
    """``[start, stop)`` cut at multiples of ``size``."""
    lo = start
    while lo < stop:
        hi = min(stop, (lo // size + 1) * size)
        yield lo, hi
        lo = hi


def serializer(shape: str, world: World) -> Serializer:
    """The JSON shape a dataset holds: ``conversation``, ``call`` or ``analytics`` (whose
    records read queue settings from ``world``)."""
    if shape == "conversation":
        return to_conversation_bytes
    if shape == "call":
        project: Callable[[Conversation], dict[str, Any]] = to_call_json
    else:
        from gcmock.scenarios.views.analytics import to_analytics

        def project(conv: Conversation) -> dict[str, Any]:
            return to_analytics(conv, world=world)

    dumps = orjson.dumps
    return lambda conv, option: dumps(project(conv), option=option)


def encode_parts(spec: DatasetSpec, start: int, stop: int, end: int) -> list[bytes]:
    """A block of an output file that ends at index ``end``, as the pieces to write in order:
    NDJSON lines, or (``format="json"``) the items of the array the writer frames, or one gzip
    member of either. Pieces, not one joined buffer: writers hand them to ``writev``."""
    serialize = serializer(spec.shape, spec.world())
    convs = spec.conversations(start, stop)
    if spec.format == "json":
        items = [serialize(conv, 0) for conv in convs]
        parts = [b",\n".join(items) + (b",\n" if stop < end else b"\n")]
    else:
        newline = orjson.OPT_APPEND_NEWLINE
        parts = [serialize(conv, newline) for conv in convs]
    return [gzip_member(parts)] if spec.gzip else parts


_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
"""No name, mtime 0, OS "unknown": the same header on every platform (zlib's would not be)."""


def gzip_member(parts: list[bytes]) -> bytes:
    """One gzip member holding ``parts``; concatenated members are one valid gzip file."""
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    out = [_GZIP_HEADER]
    crc = size = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
        size += len(part)
        out.append(packer.compress(part))
    out.append(packer.flush())
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def render(spec: DatasetSpec, start: int, stop: int) -> bytes:
    """Conversations ``start .. stop - 1`` as NDJSON, one JSON document per line: the pure
    function behind every writer (and the Dask recipe)."""
    text = replace(spec, format="ndjson", gzip=False, tables=False)
    return b"".join(encode_parts(text, start, stop, stop))
