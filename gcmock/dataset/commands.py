"""The ``gcmock generate`` and ``gcmock world`` commands (registered by :mod:`gcmock.cli`).

Usage errors are one line and exit 2 before anything is written; Ctrl-C exits 130 and, like
any failure, leaves no partial file behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click
import orjson

from gcmock.scenarios import parse_mix
from gcmock.scenarios.views import directory as d
from gcmock.scenarios.views.org import directory_files
from gcmock.scenarios.world import LOCALES, SIZES, World, build_world

from .heap import keep_freed_memory
from .manifest import manifest_path, versions, write_manifest
from .progress import Progress
from .spec import FORMATS, SHAPES, DatasetSpec
from .writer import write_dataset

__all__ = ["generate_cmd", "parse_instant", "world_cmd"]


def parse_instant(text: str) -> int:
    """Epoch ms from ``--start``/``--now``: epoch ms or ISO-8601 (UTC unless it says
    otherwise); ``ValueError`` for anything else."""
    if text.lstrip("-").isdigit():
        return int(text)
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return int(at.timestamp() * 1000)


def _start_ms(text: str) -> int:
    try:
        return parse_instant(text)
    except ValueError:
        raise click.UsageError(f"--start {text!r} is neither ISO-8601 nor epoch ms") from None


def _shard(text: str) -> tuple[int, int]:
    index, sep, shards = text.partition("/")
    if not (sep and index.isdigit() and shards.isdigit() and int(index) < int(shards)):
        raise click.UsageError(f"--shard must be I/N with 0 <= I < N, not {text!r}")
    return int(index), int(shards)


def _format(fmt: str | None, out: str) -> str:
    """``--format``, or what ``--out`` ends with (``.parquet``, ``.json``), else NDJSON."""
    if fmt is not None:
        return fmt
    name = out.removesuffix(".gz")
    if name.endswith(".parquet"):
        return "parquet"
    return "json" if name.endswith(".json") else "ndjson"


def _command(params: dict[str, Any]) -> list[str]:
    """The command line that reproduces the dataset, every option spelled out."""
    argv = ["gcmock", "generate"]
    for key, value in params.items():
        if key == "quiet" or value is None or value is False:
            continue
        argv.append(f"--{key.replace('_', '-')}")
        if value is not True:
            argv.append(str(value))
    return argv


def _spec(params: dict[str, Any]) -> DatasetSpec:
    mix: tuple[tuple[str, float], ...] = ()
    if params["mix"] is not None:
        try:
            mix = tuple(parse_mix(params["mix"]).items())
        except ValueError as exc:
            raise click.UsageError(f"--mix: {exc}") from None
    fmt = _format(params["format"], params["out"])
    if fmt == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise click.UsageError("--format parquet needs pyarrow: pip install 'gcmock[parquet]'")
    if params["shape"] == "analytics" and (
        importlib.util.find_spec("gcmock.scenarios.views.analytics") is None
    ):
        raise click.UsageError("--shape analytics is not available yet")
    try:
        return DatasetSpec(
            seed=params["seed"],
            count=params["count"],
            mix=mix,
            start_ms=_start_ms(params["start"]),
            days=params["days"],
            world_size=params["world_size"],
            locale=params["locale"],
            shape=params["shape"],
            format=fmt,
            tables=params["tables"],
            gzip=params["out"].endswith(".gz"),
            simulate=params["simulate"] == "day",
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@click.command("generate")
@click.option("--count", type=click.IntRange(min=0), required=True, help="Conversations.")
@click.option("--seed", type=int, default=0, show_default=True, help="Dataset seed.")
@click.option("--out", default="-", show_default=True, help="File (.gz compresses); - is stdout.")
@click.option("--format", "format", type=click.Choice(FORMATS), help="Default: from --out.")
@click.option("--tables", is_flag=True, help="Parquet: flat warehouse tables in directory --out.")
@click.option("--shape", type=click.Choice(SHAPES), default="conversation", show_default=True)
@click.option("--mix", help="Scenario weights, e.g. inbound_answered=55,voicemail=2.")
@click.option("--start", default="2026-11-01T00:00:00Z", show_default=True, help="Window start.")
@click.option("--days", type=float, default=7.0, show_default=True, help="Window length.")
@click.option(
    "--simulate",
    type=click.Choice(["day"]),
    help="Whole simulated days (agents never on two calls at once); --count cuts the last.",
)
@click.option("--locale", type=click.Choice(LOCALES), default="en_US", show_default=True)
@click.option("--world-size", type=click.Choice(sorted(SIZES)), default="medium", show_default=True)
@click.option("--shard", default="0/1", show_default=True, help="Write slice I of N only.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def generate_cmd(**params: Any) -> None:
    """Write COUNT conversations of dataset SEED, in arrival order.

    Conversation i depends only on (seed, i, options): shards 0..N-1 concatenated, or any
    --workers, give the same bytes as one process. With --simulate day the dataset is whole
    simulated days (day d a function of seed, d and options), split by days.
    """
    spec = _spec(params)
    shard = _shard(params["shard"])
    params["format"] = spec.format
    start, stop = spec.shard(*shard)
    progress = Progress(stop - start, enabled=not params["quiet"] and sys.stderr.isatty())
    keep_freed_memory()
    try:
        write_dataset(
            spec,
            params["out"],
            shard=shard,
            workers=params["workers"],
            command=_command(params),
            progress=progress,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {params['out']}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        progress.close()
        click.echo("interrupted: nothing written", err=True)
        sys.exit(130)
    progress.close()


_WORLD_FILES: dict[str, Callable[[World], list[d.JsonDict]]] = {
    "users.json": lambda world: [d.user_json(world, u) for u in world.users],
    "queues.json": lambda world: [d.queue_json(world, q) for q in world.queues],
    "wrapupcodes.json": lambda world: [d.wrapup_code_json(world, c) for c in world.wrapup_codes],
    "externalcontacts.json": lambda world: [
        d.external_contact_json(world, c) for c in world.contacts
    ],
    "externalorganizations.json": lambda world: [
        d.external_organization_json(world, o) for o in world.organizations
    ],
    "skills.json": lambda world: [d.skill_json(world, s) for s in world.skills],
    "languages.json": lambda world: [d.language_json(world, lang) for lang in world.languages],
    "teams.json": lambda world: [d.team_json(world, t) for t in world.teams],
}
"""File -> its array: every entity of a kind, as the mock server serves it."""


@click.command("world")
@click.option("--seed", type=int, default=0, show_default=True, help="World seed.")
@click.option("--out", required=True, help="Directory to write the JSON files into.")
@click.option("--locale", type=click.Choice(LOCALES), default="en_US", show_default=True)
@click.option("--world-size", type=click.Choice(sorted(SIZES)), default="medium", show_default=True)
def world_cmd(seed: int, out: str, locale: str, world_size: str) -> None:
    """Write the world of SEED (users, queues, wrap-up codes, external contacts...) as the
    JSON the mock server serves, one array per file, so other systems can be seeded alike."""
    directory = Path(out)
    if directory.is_file() or not directory.parent.is_dir():
        raise click.UsageError(f"--out must be a directory, or a new one in an existing one: {out}")
    world = build_world(seed, world_size, locale)
    lists = {name: entities(world) for name, entities in _WORLD_FILES.items()}
    lists |= directory_files(world)
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    payloads = {name: orjson.dumps(items, option=option) for name, items in lists.items()}
    directory.mkdir(exist_ok=True)
    for name, data in payloads.items():
        tmp = directory / f".{name}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, directory / name)
    document = {
        "command": [
            *("gcmock", "world", "--seed", str(seed), "--out", out),
            *("--locale", locale, "--world-size", world_size),
        ],
        "seed": seed,
        "worldSize": world_size,
        "locale": locale,
        "versions": versions(),
        "files": {name: {"sha256": hashlib.sha256(d).hexdigest()} for name, d in payloads.items()},
    }
    write_manifest(manifest_path(directory, (0, 1)), document)
