"""Who may do what, where: a YAML policy, validated at start-up, decided without I/O.

Deny unless allowed. Roles name permission patterns (`*.read`, `origination.*`, `*`); grants give
roles to Slack users, user groups and channels. A grant that lists users or groups applies to those
people; one that lists channels applies only there (to everyone, if it lists no people). `teams`
names the Slack workspaces whose people may ask at all (default: the one the bot is installed in).

A policy that does not say what its author meant is refused at start-up, naming the line: duplicate
keys, patterns that match no command's permission, `#channel` names or malformed IDs.
"""

import difflib
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from commands.registry import COMMANDS

PERMISSIONS = frozenset(
    permission for command in COMMANDS for permission in (command.permission, *command.option_permissions)
)
"""Every permission a command declares: a policy pattern must match at least one of them."""

_SUGGESTIONS = sorted(PERMISSIONS | {"*"} | {f"{p.split('.')[0]}.*" for p in PERMISSIONS if "." in p})


def _known_pattern(pattern: str) -> str:
    if not any(fnmatchcase(permission, pattern) for permission in PERMISSIONS):
        close = difflib.get_close_matches(pattern, _SUGGESTIONS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"'{pattern}' matches no command's permission{hint}")
    return pattern


def _slack_id(kind: str, prefixes: str, example: str) -> Any:
    """A validator for one kind of Slack ID, naming the common mistakes (#names, @names)."""
    shape = re.compile(rf"^[{prefixes}][A-Z0-9]{{2,}}$")

    def check(value: str) -> str:
        if shape.match(value) or (kind == "user" and value == CONSOLE_USER):
            return value
        if value.startswith("#"):
            raise ValueError(
                f"'{value}' is a channel name; use the channel's ID ({example}, shown at the bottom of "
                "the channel's details in Slack), since names can change"
            )
        if value.startswith("@"):
            raise ValueError(f"'{value}' is a display name; use the {kind} ID ({example})")
        raise ValueError(f"'{value}' is not a Slack {kind} ID (like {example})")

    return AfterValidator(check)


CONSOLE_USER = "console"  # the console's default `--as` identity, which may be granted like a user
Pattern = Annotated[str, Field(pattern=r"^[a-z*][a-z.*_]*$"), AfterValidator(_known_pattern)]
UserId = Annotated[str, _slack_id("user", "UW", "U012AB3CD")]
UsergroupId = Annotated[str, _slack_id("user group", "S", "S012AB3CD")]
ChannelId = Annotated[str, _slack_id("channel", "CGD", "C012AB3CD")]
TeamId = Annotated[str, _slack_id("team", "TE", "T012AB3CD")]


class Grant(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    role: str
    users: list[UserId] = Field(default_factory=list)
    usergroups: list[UsergroupId] = Field(default_factory=list)
    channels: list[ChannelId] = Field(default_factory=list)
    everyone: bool = False

    @model_validator(mode="after")
    def _names_someone_or_somewhere(self) -> "Grant":
        if not (self.users or self.usergroups or self.channels or self.everyone):
            raise ValueError(
                f"the grant of role '{self.role}' names no users, usergroups or channels (or everyone: true)"
            )
        return self

    def applies(self, subject: "Subject") -> bool:
        named_people = bool(self.users or self.usergroups) and not self.everyone
        is_person = subject.user_id in self.users or bool(subject.usergroups & set(self.usergroups))
        in_channel = not self.channels or subject.channel_id in self.channels
        return (is_person or not named_people) and in_channel

    def describe(self) -> str:
        who = [f"user {user}" for user in self.users] + [f"user group {group}" for group in self.usergroups]
        text = "everyone" if self.everyone or not who else ", ".join(who)
        return f"{text} in channel {', '.join(self.channels)}" if self.channels else text


class Rules(BaseModel):
    """What changes need beyond permission: a second person, a reason, an incident ID."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    approval_required: list[Pattern] = Field(default_factory=list)
    reason_required: list[Pattern] = Field(default_factory=list)
    incident_required: list[Pattern] = Field(default_factory=list)
    preview_minutes: float = Field(default=15, gt=0, le=24 * 60)


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    roles: dict[str, list[Pattern]]
    grants: list[Grant] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    teams: list[TeamId] = Field(default_factory=list)  # empty: only the installing workspace
    configured: bool = Field(default=True, exclude=True)

    @field_validator("grants")
    @classmethod
    def _grants_name_known_roles(cls, grants: list[Grant], info: ValidationInfo) -> list[Grant]:
        roles = info.data.get("roles") or {}
        for index, grant in enumerate(grants):
            if grant.role not in roles:
                raise ValueError(
                    f"grant {index + 1} names role '{grant.role}', which is not defined under roles"
                )
        return grants

    def decide(self, subject: "Subject", permission: str) -> "Decision":
        """Allowed only when some grant that applies to the subject has a role matching the permission."""
        for grant in self.grants:
            if grant.applies(subject) and _matches(self.roles[grant.role], permission):
                return Decision(True, permission, grant.role, (), grant=grant.describe())
        granting = [grant for grant in self.grants if _matches(self.roles[grant.role], permission)]
        return Decision(
            False,
            permission,
            None,
            tuple(dict.fromkeys(grant.role for grant in granting)),
            configured=self.configured,
            holders=tuple(f"{grant.role} (granted to {grant.describe()})" for grant in granting),
        )

    def admits_team(self, team_id: str | None, home_team: str | None) -> bool:
        """People from `teams` (or, when none are listed, from the installing workspace) may ask."""
        allowed = set(self.teams) if self.teams else {home_team}
        return team_id is not None and team_id in allowed

    def needs(self, permission: str) -> tuple[bool, bool, bool]:
        """(second person's approval, a reason, an incident ID) required for this permission."""
        rules = self.rules
        return (
            _matches(rules.approval_required, permission),
            _matches(rules.reason_required, permission),
            _matches(rules.incident_required, permission),
        )


def _matches(patterns: list[str], permission: str) -> bool:
    return any(fnmatchcase(permission, pattern) for pattern in patterns)


@dataclass(frozen=True)
class Subject:
    """Who asks, from where. `usergroups` is filled by the surface (Slack: usergroups.users.list)."""

    user_id: str
    channel_id: str | None
    usergroups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    permission: str
    role: str | None
    would_allow: tuple[str, ...]
    configured: bool = True
    grant: str | None = None  # whom the allowing grant names (for `policy check`)
    holders: tuple[str, ...] = ()  # each role that would allow it with whom it is granted to

    def explain(self, *, holders: bool = False) -> str:
        """Why, for the person refused: the roles that would allow it, never who holds them (that
        would tell anyone who to phish, and private channels' IDs). `holders` is for operators."""
        if self.allowed:
            return f"Allowed by role {self.role}."
        if not self.configured:
            return (
                f"`{self.permission}` is refused: no policy file is configured, so only reads are allowed. "
                "Set POLICY_FILE to a policy (see deploy/policy.example.yaml) to allow changes."
            )
        if self.would_allow:
            allowed_to = self.holders if holders else self.would_allow
            what = "It is allowed to" if holders else "Roles that allow it"
            return f"You may not `{self.permission}` here. {what}: {'; '.join(allowed_to)}."
        return f"You may not `{self.permission}` here, and no role in the policy allows it."


def built_in(role: str, patterns: list[str], *, configured: bool = True) -> Policy:
    """A policy written in this code: everyone holds one role. Constructed without validation and
    with every field given (a default factory costs pydantic a signature inspection), so a start-up
    that reads no policy file builds no policy validator (tests/test_policy.py checks that each
    built-in validates unchanged)."""
    grant = Grant.model_construct(role=role, users=[], usergroups=[], channels=[], everyone=True)
    rules = Rules.model_construct(
        approval_required=[], reason_required=[], incident_required=[], preview_minutes=15.0
    )
    return Policy.model_construct(
        roles={role: patterns}, grants=[grant], rules=rules, teams=[], configured=configured
    )


READ_ONLY = built_in("reader", ["*.read", "help"], configured=False)


SANDBOX = built_in("sandbox", ["*"])
"""For the embedded sandbox only: its AWS is fictional, so everyone may try every change."""


class PolicyError(Exception):
    """A policy file that cannot be used: the message names the line or field and the reason."""


def load_policy(path: Path | None) -> Policy:
    if path is None:
        return READ_ONLY
    try:
        text = path.read_text()
    except OSError as error:
        raise PolicyError(f"cannot read policy file {path}: {error.strerror}") from error
    from bot import policy_yaml  # PyYAML loads only when there is a file to read

    data = policy_yaml.parse(text, path)
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        raise PolicyError(f"{path}: {policy_yaml.located(text, error)}") from error
