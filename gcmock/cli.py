"""The ``gcmock`` command: ``scenarios``, ``validate``, ``generate``.

Data goes to stdout or files, messages to stderr; usage errors exit 2 with one line, never a
traceback.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import click
import orjson

from .scenarios import SCENARIOS, GeneratorOptions, build_world, generate, parse_mix, run_scenario
from .scenarios.generate import conversation_rng
from .scenarios.projection import to_call_json, to_conversation_json
from .scenarios.validate import DatasetValidator, Violation, iter_conversations
from .scenarios.world import LOCALES, SIZES

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gcmock")
def main() -> None:
    """Realistic Genesys Cloud conversations and a local mock of the REST API."""


@main.command()
@click.argument("name", required=False)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--shape",
    type=click.Choice(["conversation", "call"]),
    default="conversation",
    show_default=True,
)
def scenarios(name: str | None, seed: int, shape: str) -> None:
    """List the scenarios, or print one conversation of scenario NAME as JSON."""
    if name is None:
        width = max(len(n) for n in SCENARIOS)
        for s in sorted(SCENARIOS.values(), key=lambda s: s.name):
            click.echo(f"{s.name:<{width}}  {s.media:<16}  {s.description}")
        return
    if name not in SCENARIOS:
        raise click.UsageError(
            f"unknown scenario {name!r}; valid names: {', '.join(sorted(SCENARIOS))}"
        )
    world = build_world(seed)
    conv = run_scenario(name, world, conversation_rng(seed, 0), GeneratorOptions().start_ms)
    data = to_call_json(conv) if shape == "call" else to_conversation_json(conv)
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check conversation JSON files (.json, .ndjson, .gz) against gcmock's invariants.

    Prints one line per violation and exits 1 if there is any.
    """
    checker = DatasetValidator()
    count = 0
    bad = 0
    for path in files:
        if not os.path.exists(path):
            raise click.UsageError(f"no such file: {path}")
        for item in iter_conversations(path):
            if isinstance(item, Violation):
                click.echo(str(item))
                bad += 1
                continue
            count += 1
            for v in checker.add(item):
                click.echo(str(v))
                bad += 1
    click.echo(f"{count} conversations, {bad} violations", err=True)
    if bad:
        sys.exit(1)


@contextmanager
def _atomic_output(path: str) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path`` and rename at the end; ``-`` is stdout."""
    if path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise click.UsageError(f"output directory does not exist: {directory}")
    fd, tmp = tempfile.mkstemp(prefix=".gcmock-", dir=directory)
    try:
        raw: IO[bytes] = os.fdopen(fd, "wb")
        if path.endswith(".gz"):
            import gzip

            with raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                yield gz  # type: ignore[misc]
        else:
            with raw:
                yield raw
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


@main.command("generate")
@click.option("--count", type=click.IntRange(min=0), required=True, help="Conversations to write.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--out", default="-", show_default=True, help="Output file (.gz compresses), - = stdout."
)
@click.option(
    "--shape",
    type=click.Choice(["conversation", "call"]),
    default="conversation",
    show_default=True,
)
@click.option("--mix", default=None, help="Scenario weights, e.g. inbound_answered=55,voicemail=2.")
@click.option("--world-size", type=click.Choice(sorted(SIZES)), default="medium", show_default=True)
@click.option("--locale", type=click.Choice(LOCALES), default="en_US", show_default=True)
def generate_cmd(
    count: int, seed: int, out: str, shape: str, mix: str | None, world_size: str, locale: str
) -> None:
    """Write COUNT generated conversations as NDJSON."""
    try:
        weights = parse_mix(mix) if mix is not None else None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    options = GeneratorOptions(mix=weights) if weights else GeneratorOptions()
    world = build_world(seed, world_size, locale)
    project: Any = to_call_json if shape == "call" else to_conversation_json
    with _atomic_output(out) as fh:
        for conv in generate(world, seed, 0, count, options):
            fh.write(orjson.dumps(project(conv)) + b"\n")
