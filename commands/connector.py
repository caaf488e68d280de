"""Voice connectors: list, show, create, delete."""

from pydantic import Field

from commands.base import ChangeCommand, Param, ReadCommand
from voice_domain.located import Reference
from voice_domain.shapes import Tag
from voice_domain.values import Name, Region

REGION = Param("region", "REGION", "AWS region, such as us-east-1", "--region", required=False)
CONNECTOR = Param("connector", "VC", "voice connector ID or unique name")


def parse_tag(token: str) -> dict[str, str]:
    key, equals, value = token.partition("=")
    if not equals:
        raise ValueError("a tag is KEY=VALUE, such as team=telephony")
    return {"key": key, "value": value}


class ConnectorList(ReadCommand):
    words = ("connectors",)
    task = "incident"
    summary = "List voice connectors in every configured region, or one."
    params = (REGION,)
    examples = ("/voice connectors", "/voice connectors --region us-west-2")
    permission = "connector.read"

    region: Region | None = None


class ConnectorShow(ReadCommand):
    words = ("connector", "show")
    task = "incident"
    summary = "Show one voice connector with its origination, proxy and number count."
    params = (CONNECTOR,)
    examples = ("/voice connector show pstn-primary", "/voice connector show abcdef1ghij2klmno3pqr4")
    permission = "connector.read"

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class ConnectorCreate(ChangeCommand):
    words = ("connector", "create")
    task = "onboarding"
    summary = "Create a voice connector (encryption on unless --no-encryption)."
    params = (
        Param("name", "NAME", "connector name"),
        REGION,
        Param(
            "no_encryption",
            "",
            "allow unencrypted SIP and RTP",
            "--no-encryption",
            switch=True,
            required=False,
        ),
        Param(
            "tags", "KEY=VALUE", "tag (repeatable)", "--tag", repeat=True, required=False, convert=parse_tag
        ),
    )
    examples = ("/voice connector create newVoiceConnector --region us-west-2",)
    permission = "connector.create"

    name: Name
    region: Region | None = None
    no_encryption: bool = False
    tags: list[Tag] = Field(default_factory=list, max_length=50)


class ConnectorDelete(ChangeCommand):
    words = ("connector", "delete")
    task = "onboarding"
    summary = (
        "Delete a voice connector, taking it out of its groups first; numbers on it must be "
        "disassociated before."
    )
    params = (CONNECTOR,)
    examples = ("/voice connector delete old-trunk --reason 'decommissioned'",)
    permission = "connector.delete"

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]
