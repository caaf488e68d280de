"""`switchboard console | sandbox | serve | policy check`: the command-line entry point.

Only what parsing the arguments needs is imported up front; each subcommand imports its own
modules when it runs, so `--help` is instant and the console never loads Slack or the emulator.
"""

import argparse
import asyncio
import gc
import logging
import os
import sys
from collections.abc import Callable

# Switchboard uses no pydantic plugins: without this, building the first validator scans every
# installed package's entry points for them, a cost every one-shot command would pay.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from bot import policy_check
from bot.sandbox import cli as sandbox_cli


def command_line() -> int:
    """The `switchboard` executable: `main`, with the cyclic garbage collector kept out of the way.

    Starting creates tens of thousands of objects that live as long as the process (classes,
    functions, validators, botocore's service model) and frees almost none. Collections while the
    modules load, and the interpreter's full collections at exit, pass over all of them and find
    nothing to free: together about a quarter of a one-shot's time (see `make bench`). So the
    collector waits until the subcommand has started (`started`; a one-shot `console -c` exits
    first), and what is alive at the end is frozen out of its sight before the interpreter shuts
    down; shutdown is otherwise unchanged (atexit handlers run, buffers are flushed).
    """
    gc.disable()
    code = main(started=gc.enable)
    gc.freeze()
    return code


def main(argv: list[str] | None = None, started: Callable[[], None] = lambda: None) -> int:
    """Run one subcommand; `started` is called once its modules are loaded and its work begins."""
    parser = argparse.ArgumentParser(prog="switchboard", description="Slack chat-ops for Chime SDK Voice")
    commands = parser.add_subparsers(dest="command", required=True)

    console = commands.add_parser("console", help="type /voice commands in a terminal")
    console.add_argument(
        "-c", dest="lines", action="append", default=[], metavar="'/voice …'", help="run and exit"
    )
    console.add_argument("--as", dest="user", default="console", metavar="USER_ID", help="act as this user")
    console.add_argument("--yes", action="store_true", help="apply changes without asking")
    console.add_argument("--sandbox", action="store_true", help="always use the embedded sandbox")

    sandbox = commands.add_parser("sandbox", help="run the local Chime SDK Voice emulator")
    sandbox_cli.add_arguments(sandbox)

    serve = commands.add_parser("serve", help="run the Slack app (HTTP mode, or --socket-mode)")
    serve.add_argument("--host", default="0.0.0.0", help="address for /slack/events and the health endpoints")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--socket-mode", action="store_true", help="receive events over Socket Mode")
    serve.add_argument("--sandbox", action="store_true", help="use the embedded sandbox instead of AWS")

    policy = commands.add_parser("policy", help="test a permission policy file")
    policy_check.add_arguments(policy)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from pydantic import ValidationError

    from bot.policy import PolicyError
    from bot.settings import ConfigurationError

    try:
        if args.command == "console":
            return asyncio.run(_console(args, started))
        if args.command == "serve":
            return asyncio.run(_serve(args, started))
        started()
        if args.command == "policy":
            return policy_check.run(args)
        return sandbox_cli.run(args)
    except ValidationError as error:
        print(f"Configuration error:\n{error}", file=sys.stderr)
        return 2
    except PolicyError as error:
        print(f"Policy error: {error}", file=sys.stderr)
        return 2
    except ConfigurationError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def _console(args: argparse.Namespace, started: Callable[[], None]) -> int:
    from bot.console import Console, LocalFiles, interactive, prompt_confirm
    from bot.render.outcome_views import answer_view
    from bot.runtime import open_runtime
    from bot.surfaces import Surfaces

    local = Surfaces(files=LocalFiles())
    opening = open_runtime(
        force_sandbox=args.sandbox, surfaces=lambda _policy: local, lazy_store=True, transport="threads"
    )
    async with opening as runtime:
        confirm = (lambda _question: True) if args.yes else prompt_confirm

        async def settle_abandoned() -> None:
            for settled in await runtime.workflow.settle_abandoned():
                print(answer_view(settled).title)

        # A session settles abandoned changes before its first prompt; a one-shot when it first
        # opens the store (to record or change something), so a read that records nothing never
        # loads SQLAlchemy or opens the database.
        if args.lines:
            runtime.store.when_opened(settle_abandoned)
        else:
            await settle_abandoned()
        console = Console(runtime.workflow, user_id=args.user, confirm=confirm)
        if args.lines:
            results = [await console.run(line) for line in args.lines]
            return 0 if all(results) else 1
        started()
        print(f"Switchboard console as {args.user}, using {runtime.backend.description}.")
        if not runtime.policy.configured:
            print("No POLICY_FILE: reads only. See deploy/policy.example.yaml to allow changes.")
        if sys.stdin.isatty():
            from bot.console_shell import interactive_shell

            await interactive_shell(console, runtime.backend.voice)
        else:
            await interactive(console)
        return 0


async def _serve(args: argparse.Namespace, started: Callable[[], None]) -> int:
    from bot.slack.serve import serve

    started()
    return await serve(host=args.host, port=args.port, socket_mode=args.socket_mode, sandbox=args.sandbox)


if __name__ == "__main__":
    sys.exit(command_line())
