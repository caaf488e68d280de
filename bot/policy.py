"""Who may do what, where: a YAML policy, validated at start-up, decided without I/O.

Deny unless allowed. Roles name permission patterns (`*.read`, `origination.*`, `*`); grants give
roles to Slack users, user groups and channels. A grant that lists users or groups applies to those
people; one that lists channels applies only there (to everyone, if it lists no people).
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

Pattern = Annotated[str, Field(pattern=r"^[a-z*][a-z.*_]*$")]


class Grant(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str
    users: list[str] = Field(default_factory=list)
    usergroups: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
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

    model_config = ConfigDict(extra="forbid", frozen=True)

    approval_required: list[Pattern] = Field(default_factory=list)
    reason_required: list[Pattern] = Field(default_factory=list)
    incident_required: list[Pattern] = Field(default_factory=list)
    preview_minutes: float = Field(default=15, gt=0, le=24 * 60)


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: dict[str, list[Pattern]]
    grants: list[Grant] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
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
                return Decision(True, permission, grant.role, ())
        would = tuple(
            f"{grant.role} (granted to {grant.describe()})"
            for grant in self.grants
            if _matches(self.roles[grant.role], permission)
        )
        return Decision(False, permission, None, would, configured=self.configured)

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

    def explain(self) -> str:
        if self.allowed:
            return f"Allowed by role {self.role}."
        if not self.configured:
            return (
                f"`{self.permission}` is refused: no policy file is configured, so only reads are allowed. "
                "Set POLICY_FILE to a policy (see deploy/policy.example.yaml) to allow changes."
            )
        if self.would_allow:
            return f"You may not `{self.permission}` here. It is allowed to: {'; '.join(self.would_allow)}."
        return f"You may not `{self.permission}` here, and no role in the policy allows it."


READ_ONLY = Policy(
    roles={"reader": ["*.read", "help"]}, grants=[Grant(role="reader", everyone=True)], configured=False
)


SANDBOX = Policy(roles={"sandbox": ["*"]}, grants=[Grant(role="sandbox", everyone=True)])
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
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise PolicyError(f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)})") from error
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        root = yaml.compose(text)
        problems = "; ".join(
            f"line {_line_of(root, detail['loc'])}: {_dotted(detail['loc'])}: {detail['msg']}"
            for detail in error.errors()
        )
        raise PolicyError(f"{path}: {problems}") from error


def _dotted(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "top level"


def _line_of(node: yaml.Node | None, location: tuple[int | str, ...]) -> int:
    """The line of the deepest YAML node on a validation error's path (1-based)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in location:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
