"""Voice connector groups: list, show, create, delete."""

from pydantic import Field

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import REGION
from commands.types import Members, UniqueNumbers
from voice_domain.located import Reference
from voice_domain.values import Name, Region

GROUP = Param("group", "GROUP", "voice connector group ID or unique name")


def parse_member(token: str) -> dict[str, object]:
    """`VC[:PRIORITY]`; names cannot contain ':', so the last ':' separates the priority."""
    connector, colon, priority = token.rpartition(":")
    if not colon:
        return {"connector": token}
    if not priority.isdigit():
        raise ValueError("a member is VC or VC:PRIORITY with PRIORITY a whole number 1–99")
    return {"connector": connector, "priority": int(priority)}


class GroupList(ReadCommand):
    words = ("groups",)
    task = "incident"
    summary = "List voice connector groups in every configured region, or one."
    params = (REGION,)
    examples = ("/voice groups",)
    permission = "group.read"

    region: Region | None = None


class GroupShow(ReadCommand):
    words = ("group", "show")
    task = "incident"
    summary = "Show a voice connector group: its members in priority order and its numbers."
    params = (GROUP,)
    examples = ("/voice group show pstn-failover",)
    permission = "group.read"

    group: Name

    def references(self) -> list[Reference]:
        return [Reference("group", self.group)]


class GroupCreate(ChangeCommand):
    words = ("group", "create")
    task = "onboarding"
    summary = (
        "Create a voice connector group of up to 3 connectors (priority 1 is tried first), "
        "optionally with phone numbers."
    )
    params = (
        Param("name", "NAME", "group name"),
        Param(
            "members",
            "VC[:PRIORITY]",
            "member connector and priority 1–99 (repeatable, at most 3)",
            "--member",
            repeat=True,
            required=False,
            convert=parse_member,
        ),
        REGION,
        Param(
            "numbers",
            "NUMBER",
            "phone number to associate with the new group (repeatable; must be unassociated)",
            "--number",
            repeat=True,
            required=False,
        ),
    )
    examples = (
        "/voice group create myGroup --member abcdef1ghij2klmno3pqr4:2",
        "/voice group create pstn-west --member pstn-secondary:1 --number +12065550150",
    )
    permission = "group.create"

    name: Name
    members: Members = Field(default_factory=list)
    region: Region | None = None
    numbers: UniqueNumbers = Field(default_factory=list)

    def references(self) -> list[Reference]:
        return [Reference("connector", member.connector) for member in self.members]


class GroupDelete(ChangeCommand):
    words = ("group", "delete")
    task = "onboarding"
    summary = (
        "Delete a voice connector group: its numbers are disassociated and its members removed first, "
        "as AWS requires; undo restores them."
    )
    params = (GROUP,)
    examples = ("/voice group delete old-group",)
    permission = "group.delete"

    group: Name

    def references(self) -> list[Reference]:
        return [Reference("group", self.group)]


class GroupUpdate(ChangeCommand):
    words = ("group", "update")
    task = "onboarding"
    summary = (
        "Replace a group's members and their priorities (all of them: members not given are removed; "
        "priority 1 is tried first)."
    )
    params = (
        GROUP,
        Param(
            "members",
            "VC[:PRIORITY]",
            "member connector and priority 1–99 (repeatable, at most 3; none empties the group)",
            "--member",
            repeat=True,
            required=False,
            convert=parse_member,
        ),
    )
    examples = (
        "/voice group update pstn-failover --member pstn-primary:1 --member pstn-secondary:2",
        "/voice group update 123a456b-c7d8-90e1-fg23-4h567jkl8901 --member abcdef1ghij2klmno3pqr4:1",
    )
    permission = "group.update"

    group: Name
    members: Members = Field(default_factory=list)

    def references(self) -> list[Reference]:
        return [Reference("group", self.group)] + [
            Reference("connector", member.connector) for member in self.members
        ]


class GroupFailover(ChangeCommand):
    words = ("group", "failover")
    task = "incident"
    summary = (
        "Make another member of a group its first choice: it takes the first member's priority and "
        "the first member takes its place (without --to, the second in priority order)."
    )
    params = (
        GROUP,
        Param(
            "to",
            "VC",
            "the member to put first (default: the second in priority order)",
            "--to",
            required=False,
        ),
    )
    examples = (
        "/voice group failover pstn-failover",
        "/voice group failover pstn-failover --to pstn-secondary",
    )
    permission = "group.failover"

    group: Name
    to: Name | None = None

    def references(self) -> list[Reference]:
        target = [Reference("connector", self.to)] if self.to else []
        return [Reference("group", self.group), *target]


class GroupRename(ChangeCommand):
    words = ("group", "rename")
    task = "onboarding"
    summary = "Rename a voice connector group (the new name must not be used in any configured region)."
    params = (GROUP, Param("name", "NEWNAME", "the group's new name"))
    examples = ("/voice group rename pstn-failover pstn-east-failover",)
    permission = "group.rename"

    group: Name
    name: Name

    def references(self) -> list[Reference]:
        return [Reference("group", self.group)]
