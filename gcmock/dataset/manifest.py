"""``manifest.json``: how a dataset was made and the sha256 of each file it wrote.

It holds no timestamp, so regenerating a dataset regenerates its manifest byte for byte; the
versions it records are what the bytes depend on besides the options (Faker builds the world).
"""

from __future__ import annotations

import hashlib
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import orjson

from .spec import DatasetSpec

__all__ = ["file_sha256", "manifest", "manifest_path", "versions", "write_manifest"]


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def versions(*extra: str) -> dict[str, str | None]:
    """The versions the bytes depend on: gcmock, Faker (it builds the world), Python, and
    ``extra`` packages (pyarrow for Parquet)."""
    found = {"gcmock": _version("gcmock"), "faker": _version("Faker")}
    found["python"] = platform.python_version()
    found.update({package: _version(package) for package in extra})
    return found


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path(directory: Path, shard: tuple[int, int]) -> Path:
    """``manifest.json``, or ``manifest-I-of-N.json`` for a shard, so shards written to one
    directory keep one manifest each."""
    index, shards = shard
    name = "manifest.json" if shards == 1 else f"manifest-{index}-of-{shards}.json"
    return directory / name


def manifest(
    spec: DatasetSpec,
    command: list[str],
    shard: tuple[int, int],
    index_range: tuple[int, int],
    files: dict[str, str],
) -> dict[str, Any]:
    """The manifest document; ``files`` maps names relative to the manifest to sha256."""
    return {
        "command": command,
        **spec.describe(),
        "shard": {
            "index": shard[0],
            "of": shard[1],
            "start": index_range[0],
            "stop": index_range[1],
        },
        "versions": versions(*(["pyarrow"] if spec.format == "parquet" else [])),
        "files": {name: {"sha256": sha} for name, sha in sorted(files.items())},
    }


def write_manifest(path: Path, document: dict[str, Any]) -> None:
    """Write atomically (temporary name, then rename), like the data files."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
    os.replace(tmp, path)
