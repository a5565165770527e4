"""The ``gcmock`` command: ``scenarios``, ``validate``, ``generate``, ``world``, ``serve``,
``timeline``.

Data goes to stdout or files, messages to stderr; usage errors exit 2 with one line, never a
traceback.
"""

from __future__ import annotations

import gc
import gzip
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
import orjson

from .dataset.commands import generate_cmd, parse_instant, world_cmd
from .scenarios import SCENARIOS, GeneratorOptions, build_world, run_scenario
from .scenarios.engine.agents import can_take
from .scenarios.library.generate import conversation_rng
from .scenarios.validate.dataset import DatasetValidator, iter_conversations
from .scenarios.validate.rules import Violation
from .scenarios.validate.rules_users import UserRules
from .scenarios.views.flattened import to_call_json
from .scenarios.views.projection import to_conversation_json
from .scenarios.views.timeline_svg import timeline_svg
from .scenarios.world import LOCALES, SIZES

if TYPE_CHECKING:
    from flask import Flask

    from .mockserver import ServerConfig
    from .mockserver.notifications.stream import StreamServer

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
@click.option(
    "--svg",
    "svg_path",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default=None,
    help="Draw the conversation's timeline into this SVG file (- = stdout) instead of the JSON.",
)
def scenarios(name: str | None, seed: int, shape: str, svg_path: str | None) -> None:
    """List the scenarios, or print one conversation of scenario NAME as JSON (or its
    timeline as SVG)."""
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
    if svg_path is not None:
        _write_svg(timeline_svg(to_conversation_json(conv)), svg_path)
        return
    data = to_call_json(conv) if shape == "call" else to_conversation_json(conv)
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--users",
    is_flag=True,
    help="Also check that no user works beyond the default utilization (user.overlap: "
    "keeps every agent leg in memory; datasets made with --simulate day pass it).",
)
def validate(files: tuple[str, ...], users: bool) -> None:
    """Check conversation JSON files (.json, .ndjson, .gz) against gcmock's invariants.

    Prints one line per violation and exits 1 if there is any.
    """
    checker = DatasetValidator()
    rules = UserRules(lambda media, load: can_take(media, load)) if users else None
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
            if rules is not None:
                rules.add(item)
    for v in rules.finish() if rules is not None else ():
        click.echo(str(v))
        bad += 1
    click.echo(f"{count} conversations, {bad} violations", err=True)
    if bad:
        sys.exit(1)


def _write_svg(svg: str, path: str) -> None:
    with click.open_file(path, "w", encoding="utf-8") as out:
        out.write(svg)
    if path != "-":
        click.echo(f"wrote {path}", err=True)


def _find_conversation(path: str, conversation_id: str) -> Any:
    """The conversation ``conversation_id`` of a file; a line of NDJSON is parsed only when
    it mentions the id, so finding one in a large dataset costs a scan, not a parse."""
    needle = conversation_id.encode()
    lined = path.removesuffix(".gz").endswith((".ndjson", ".jsonl"))
    if lined:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as stream:
            for line in stream:
                if needle in line:
                    data = orjson.loads(line)
                    if isinstance(data, dict) and data.get("id") == conversation_id:
                        return data
        return None
    for item in iter_conversations(path):
        if isinstance(item, dict) and item.get("id") == conversation_id:
            return item
    return None


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--id", "conversation_id", required=True, help="The conversation to draw.")
@click.option(
    "--svg",
    "svg_path",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    show_default=True,
    help="Where the SVG goes (- = stdout).",
)
@click.option("--width", type=click.IntRange(400, 4000), default=1000, show_default=True)
@click.option("--now", default=None, help="Draw a live conversation at this instant.")
def timeline(file: str, conversation_id: str, svg_path: str, width: int, now: str | None) -> None:
    """Draw the swimlane timeline of conversation ID of FILE (.json, .ndjson, .gz: nested
    Conversations, as `gcmock generate` writes them) as SVG."""
    try:
        data = _find_conversation(file, conversation_id)
    except (OSError, orjson.JSONDecodeError, EOFError) as err:
        raise click.ClickException(f"cannot read {file}: {err}") from None
    if data is None:
        raise click.ClickException(f"no conversation {conversation_id} in {file}")
    try:
        svg = timeline_svg(data, _instant(now), width)
    except (TypeError, ValueError, AttributeError) as err:
        raise click.ClickException(
            f"conversation {conversation_id} cannot be drawn: {err}"
        ) from None
    _write_svg(svg, svg_path)


main.add_command(generate_cmd)
main.add_command(world_cmd)


def _instant(text: str | None) -> int | None:
    """``--now``: epoch ms or ISO-8601 (UTC unless it says otherwise)."""
    if text is None:
        return None
    try:
        return parse_instant(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is neither epoch ms nor ISO-8601") from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="0 = free."
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--conversations",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Generated conversations (some still live) when --data is not given.",
)
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Serve this dataset (NDJSON of nested Conversations from `gcmock generate`, .gz ok).",
)
@click.option("--client-id", default=None, help="OAuth client id [default: gcmock-client].")
@click.option("--client-secret", default=None, help="OAuth client secret [default: gcmock-secret].")
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True)
@click.option("--world-size", type=click.Choice(sorted(SIZES)), default="medium", show_default=True)
@click.option("--locale", type=click.Choice(LOCALES), default="en_US", show_default=True)
@click.option("--now", default=None, help="Start the server clock here (epoch ms or ISO-8601).")
@click.option("--frozen", is_flag=True, help="Freeze the clock (advance it via /__admin/clock).")
@click.option("--no-autopilot", is_flag=True, help="Nothing happens on its own as time passes.")
@click.option(
    "--admin-token",
    envvar="GCMOCK_ADMIN_TOKEN",
    show_envvar=True,
    default=None,
    help="Require it on /__admin (Authorization: Bearer ...); required off loopback.",
)
def serve(
    host: str,
    port: int,
    seed: int,
    conversations: int,
    data: str | None,
    client_id: str | None,
    client_secret: str | None,
    threads: int,
    world_size: str,
    locale: str,
    now: str | None,
    frozen: bool,
    no_autopilot: bool,
    admin_token: str | None,
) -> None:
    """Serve a mock Genesys Cloud API (waitress) until Ctrl-C."""
    from .mockserver import ServerConfig
    from .mockserver.serve import exposed, run

    if exposed(host) and not admin_token:
        raise click.UsageError(
            f"--host {host} is not a loopback address: anyone who reaches the port could use "
            "the admin API; pass --admin-token TOKEN or set GCMOCK_ADMIN_TOKEN"
        )

    defaults = ServerConfig()
    config = ServerConfig(
        seed=seed,
        conversations=conversations,
        data=data,
        client_id=client_id or defaults.client_id,
        client_secret=client_secret or defaults.client_secret,
        world_size=world_size,
        locale=locale,
        start_ms=_instant(now),
        frozen=frozen,
        autopilot=not no_autopilot,
        admin_token=admin_token or None,
    )
    app, stream = _start(config, host)
    warning = _exposure_warning(host) if exposed(host) else None
    ready = _announcer(config, stream.url, warning)

    try:
        run(app, host, port, threads, ready)
    except OSError as err:
        raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror}") from None
    finally:
        stream.stop()
    click.echo("stopped", err=True)


def _start(config: ServerConfig, host: str) -> tuple[Flask, StreamServer]:
    """The app and its streaming listener, the served conversations frozen out of the collector."""
    from .dataset.heap import few_arenas
    from .mockserver import create_app
    from .mockserver.dataset import DatasetError
    from .mockserver.notifications.stream import StreamServer
    from .mockserver.state import EXTENSION, ServerState

    try:
        app = create_app(config)
    except DatasetError as err:
        raise click.ClickException(str(err)) from None
    few_arenas()
    # The served conversations live as long as this process: out of the cyclic collector's
    # reach, or its first full pass walks every one of them (0.4 s per 10,000 conversations)
    # on whichever request comes first. (Not in create_app: a test process keeps its own.)
    gc.freeze()
    state: ServerState = app.extensions[EXTENSION]
    try:
        stream = StreamServer(state.notifications, host, catch_up=state.store.catch_up)
    except OSError as err:
        raise click.ClickException(f"cannot start the streaming listener: {err}") from None
    return app, stream


def _announcer(
    config: ServerConfig, streaming_url: str, warning: str | None
) -> Callable[[str], None]:
    """What ``serve`` prints once it listens: the fixed lines scripts read on stdout (the admin
    token after them), then the warnings and hints on stderr."""

    def ready(url: str) -> None:
        click.echo(f"base URL:      {url}")
        click.echo(f"client id:     {config.client_id}")
        click.echo(f"client secret: {config.client_secret}")
        click.echo(f"streaming URL: {streaming_url}")
        if config.admin_token:
            click.echo(f"admin token:   {config.admin_token}")
        sys.stdout.flush()
        if warning is not None:
            click.echo(warning, err=True)
        click.echo(
            "serving; admin API at /__admin, OpenAPI at /openapi.json; Ctrl-C stops", err=True
        )

    return ready


def _exposure_warning(host: str) -> str:
    return (
        f"warning: listening on {host}, not only this machine: anyone who reaches the port "
        "can call the mock API with the client credentials above (every conversation, user "
        "and queue it serves); /__admin (reset, load and dump conversations, faults, the "
        "clock, user tokens) needs the admin token. Plain HTTP: the token and credentials "
        "cross the network in clear."
    )
