"""Command line for running the sandbox by hand (`switchboard sandbox` / `python -m bot.sandbox`).

Defining the arguments imports nothing heavy, so `switchboard --help` stays fast; the emulator
loads when the command runs.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.sandbox.inventory import DEFAULT_INVENTORY_SIZE

if TYPE_CHECKING:
    from bot.sandbox.config import SandboxConfig

DEFAULT_PORT = 8099


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="0 picks a free port (default: %(default)s)"
    )
    parser.add_argument(
        "--state", type=Path, metavar="FILE", help="load state from FILE and save after each change"
    )
    parser.add_argument(
        "--record", type=Path, metavar="FILE", help="append one JSON line per API request to FILE"
    )
    parser.add_argument(
        "--inventory",
        type=int,
        default=DEFAULT_INVENTORY_SIZE,
        metavar="N",
        help="phone numbers in the inventory (default: %(default)s)",
    )
    parser.add_argument(
        "--quota",
        type=_quota,
        action="append",
        default=[],
        metavar="NAME=N",
        help="account quota per region, repeatable: voice_connectors, voice_connector_groups "
        "(default: AWS's, 3 each)",
    )
    parser.add_argument(
        "--credentials",
        type=_credentials,
        action="append",
        metavar="KEY:SECRET",
        help="verify SigV4 signatures made with this access key and secret (repeatable); "
        "without it any key is accepted, but the scope and X-Amz-Date are still checked",
    )
    parser.add_argument(
        "--throttle-rps", type=float, help="answer 429 above this many requests per second per region"
    )
    parser.add_argument("--error-rate", type=float, default=0.0, help="fraction of requests answered 500")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every API request")
    parser.add_argument(
        "--fault-seed", type=int, default=0, help="seed for --error-rate (default: %(default)s)"
    )


def _quota(text: str) -> tuple[str, int]:
    from bot.sandbox.quotas import parse_quota

    try:
        return parse_quota(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _credentials(text: str) -> tuple[str, str]:
    key, separator, secret = text.partition(":")
    if not separator or not key or not secret:
        raise argparse.ArgumentTypeError("expected KEY:SECRET")
    return key, secret


def config_from(args: argparse.Namespace) -> SandboxConfig:
    from bot.sandbox.config import SandboxConfig
    from bot.sandbox.faults import FaultSettings
    from bot.sandbox.quotas import Quotas

    return SandboxConfig(
        host=args.host,
        port=args.port,
        state_file=args.state,
        record_file=args.record,
        inventory_size=args.inventory,
        quotas=Quotas.model_validate(dict(args.quota)),
        credentials=None if args.credentials is None else dict(args.credentials),
        faults=FaultSettings(
            throttle_rps=args.throttle_rps,
            error_rate=args.error_rate,
            latency_ms=args.latency_ms,
            seed=args.fault_seed,
        ),
    )


async def _serve(config: SandboxConfig) -> None:
    from bot.sandbox.server import start_sandbox

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with await start_sandbox(config) as sandbox:
        print(f"Chime SDK Voice sandbox listening on {sandbox.url}", flush=True)
        await stop.wait()


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM: 0 on a clean stop, 2 for bad settings, 1 if it cannot listen."""
    from pydantic import ValidationError

    try:
        config = config_from(args)
    except ValidationError as error:
        print(f"invalid sandbox settings: {error}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(config))
    except OSError as error:
        print(f"cannot serve on {config.host}:{config.port}: {error}", file=sys.stderr)
        return 1
    return 0
