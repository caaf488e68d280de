"""`switchboard policy check`: ask a policy file what it would decide, before deploying it.

It uses the same loader and the same `decide` as the bot, so what it prints is what the bot does:
exit 0 allowed, 1 denied, 2 the policy (or the question) is malformed.
"""

import argparse
import sys
from pathlib import Path

ALLOWED, DENIED, BAD = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="policy_command", required=True)
    check = actions.add_parser("check", help="print whether a person may do something, and why")
    check.add_argument("file", type=Path, metavar="FILE", help="the policy file (YAML)")
    check.add_argument("--as", dest="user", required=True, metavar="U…", help="the Slack user ID")
    check.add_argument("--channel", required=True, metavar="C…", help="the channel ID")
    check.add_argument("--team", metavar="T…", help="the user's workspace ID (Slack Connect, Grid)")
    check.add_argument(
        "--usergroup", dest="usergroups", action="append", default=[], metavar="S…",
        help="a user group the user is in (repeat for several)",
    )  # fmt: skip
    check.add_argument("permission", metavar="PERMISSION", help="e.g. origination.set")


def run(args: argparse.Namespace) -> int:
    """Print the decision and the reason; the exit code is the decision."""
    from bot.policy import PERMISSIONS, PolicyError, Subject, load_policy

    try:
        policy = load_policy(args.file)
    except PolicyError as error:
        print(f"Policy error: {error}", file=sys.stderr)
        return BAD
    if args.permission not in PERMISSIONS:
        print(
            f"'{args.permission}' is not a permission; they are: {', '.join(sorted(PERMISSIONS))}",
            file=sys.stderr,
        )
        return BAD
    if args.team is not None and policy.teams and args.team not in policy.teams:
        print(f"DENIED: workspace {args.team} is not listed under `teams` ({', '.join(policy.teams)}).")
        return DENIED
    decision = policy.decide(Subject(args.user, args.channel, frozenset(args.usergroups)), args.permission)
    if decision.allowed:
        print(
            f"ALLOWED: {args.permission} for {args.user} in {args.channel}, "
            f"by role {decision.role} (granted to {decision.grant})."
        )
    else:
        print(f"DENIED: {decision.explain(holders=True)}")
    if args.team is not None and not policy.teams:
        print(
            f"Note: the policy lists no `teams`, so only the workspace the bot is installed in may ask; "
            f"this assumes {args.team} is that workspace."
        )
    approval, reason, incident = policy.needs(args.permission)
    needs = [
        what
        for what, needed in (
            ("a second person's approval", approval),
            ("--reason", reason),
            ("--incident", incident),
        )
        if needed
    ]
    if decision.allowed and needs:
        print(f"It also needs {', '.join(needs)}.")
    return ALLOWED if decision.allowed else DENIED
