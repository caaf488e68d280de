"""`switchboard console | sandbox | serve`: the command-line entry point."""

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.policy import PolicyError
from bot.sandbox import cli as sandbox_cli


def main(argv: list[str] | None = None) -> int:
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

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "console":
            return asyncio.run(_console(args))
        return sandbox_cli.run(args)
    except ValidationError as error:
        print(f"Configuration error:\n{error}", file=sys.stderr)
        return 2
    except PolicyError as error:
        print(f"Policy error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def _console(args: argparse.Namespace) -> int:
    from bot.console import Console, interactive, prompt_confirm
    from bot.runtime import open_runtime

    async with open_runtime(force_sandbox=args.sandbox) as runtime:
        confirm = (lambda _question: True) if args.yes else prompt_confirm
        console = Console(runtime.workflow, user_id=args.user, confirm=confirm)
        if args.lines:
            results = [await console.run(line) for line in args.lines]
            return 0 if all(results) else 1
        print(f"Switchboard console as {args.user}, using {runtime.backend.description}.")
        if not runtime.policy.configured:
            print("No POLICY_FILE: reads only. See deploy/policy.example.yaml to allow changes.")
        await interactive(console)
        return 0


if __name__ == "__main__":
    sys.exit(main())
