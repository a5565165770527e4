"""The Thrift compact protocol, as far as Parquet footers use it.

:mod:`gcmock.dataset.stitch` reads the footers pyarrow writes and writes its own, so it needs
the encoding but not a Thrift library. A struct decodes to ``{field id: (type, value)}`` in
the order its fields came; encoding that gives back the same bytes, so a writer can change a
few fields of a struct and leave the rest exactly as pyarrow wrote them.
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = [
    "BINARY",
    "I16",
    "I32",
    "I64",
    "LIST",
    "STOP",
    "STRUCT",
    "Struct",
    "Value",
    "decode_struct",
    "encode_field_header",
    "encode_fields",
    "encode_list_header",
    "encode_struct",
]

TRUE, FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST = range(1, 10)
STRUCT = 12
STOP = b"\x00"
"""The end of a struct."""

Value: TypeAlias = "bool | int | bytes | Struct | tuple[int, list[Value]]"
"""A field's value: integers, booleans, ``bytes`` (binary, and a double's 8 raw bytes), a
struct, or a list as ``(element type, items)``."""
Struct: TypeAlias = "dict[int, tuple[int, Value]]"


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def _unzigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def _read_value(buf: bytes, pos: int, kind: int) -> tuple[Value, int]:
    if kind in (I16, I32, I64):
        raw, pos = _read_varint(buf, pos)
        return _unzigzag(raw), pos
    if kind == BINARY:
        size, pos = _read_varint(buf, pos)
        return buf[pos : pos + size], pos + size
    if kind == STRUCT:
        return decode_struct(buf, pos)
    if kind == LIST:
        header = buf[pos]
        pos += 1
        size, item = header >> 4, header & 0x0F
        if size == 15:
            size, pos = _read_varint(buf, pos)
        items: list[Value] = []
        for _ in range(size):
            if item in (TRUE, FALSE):  # a list's booleans are one byte each, not in a header
                items.append(buf[pos] == TRUE)
                pos += 1
            else:
                value, pos = _read_value(buf, pos, item)
                items.append(value)
        return (item, items), pos
    if kind == BYTE:
        return buf[pos], pos + 1
    if kind == DOUBLE:
        return buf[pos : pos + 8], pos + 8
    raise ValueError(f"Thrift type {kind} does not occur in Parquet metadata")


def decode_struct(buf: bytes, pos: int = 0) -> tuple[Struct, int]:
    """The struct starting at ``buf[pos]``, and the position after it."""
    fields: Struct = {}
    last = 0
    while (header := buf[pos]) != STOP[0]:
        pos += 1
        delta, kind = header >> 4, header & 0x0F
        if delta:
            field = last + delta
        else:
            raw, pos = _read_varint(buf, pos)
            field = _unzigzag(raw)
        if kind in (TRUE, FALSE):
            fields[field] = (TRUE, kind == TRUE)
        else:
            fields[field] = (kind, (value := _read_value(buf, pos, kind))[0])
            pos = value[1]
        last = field
    return fields, pos + 1


def _varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)


def _zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 63)


def _write_value(out: bytearray, kind: int, value: Value) -> None:
    if kind in (I16, I32, I64):
        assert isinstance(value, int)
        _varint(out, _zigzag(value))
    elif kind == BINARY:
        assert isinstance(value, bytes)
        _varint(out, len(value))
        out += value
    elif kind == STRUCT:
        assert isinstance(value, dict)
        out += encode_struct(value)
    elif kind == LIST:
        assert isinstance(value, tuple)
        item, items = value
        out += encode_list_header(item, len(items))
        for element in items:
            if item in (TRUE, FALSE):
                out.append(TRUE if element else FALSE)
            else:
                _write_value(out, item, element)
    elif kind == BYTE:
        assert isinstance(value, int)
        out.append(value)
    else:
        assert kind == DOUBLE and isinstance(value, bytes)
        out += value


def encode_field_header(field: int, kind: int, last: int) -> bytes:
    """The header of field ``field`` of type ``kind`` written after field ``last``."""
    delta = field - last
    if 0 < delta <= 15:
        return bytes([delta << 4 | kind])
    out = bytearray([kind])
    _varint(out, _zigzag(field))
    return bytes(out)


def encode_list_header(item: int, size: int) -> bytes:
    """The header of a list of ``size`` items of type ``item``."""
    if size < 15:
        return bytes([size << 4 | item])
    out = bytearray([0xF0 | item])
    _varint(out, size)
    return bytes(out)


def encode_fields(fields: Struct, last: int = 0) -> bytes:
    """``fields`` without the struct's end, written after field ``last``: a writer that
    streams a long list in the middle of a struct writes the fields around it with this."""
    out = bytearray()
    for field, (kind, value) in fields.items():
        if kind in (TRUE, FALSE):
            out += encode_field_header(field, TRUE if value else FALSE, last)
        else:
            out += encode_field_header(field, kind, last)
            _write_value(out, kind, value)
        last = field
    return bytes(out)


def encode_struct(fields: Struct) -> bytes:
    return encode_fields(fields) + STOP
