"""Voice connectors: list, show, create, delete, rename, encryption, tags."""

from typing import Self

from pydantic import Field, model_validator

from commands.base import ChangeCommand, Param, ReadCommand
from voice_domain.located import Reference
from voice_domain.shapes import Tag
from voice_domain.tags import MAX_TAGS, TagKey, check_tag_key
from voice_domain.values import Name, Region

REGION = Param("region", "REGION", "AWS region, such as us-east-1", "--region", required=False)
CONNECTOR = Param("connector", "VC", "voice connector ID or unique name")


def parse_tag(token: str) -> dict[str, str]:
    key, equals, value = token.partition("=")
    if not equals:
        raise ValueError("a tag is KEY=VALUE, such as team=telephony")
    return {"key": check_tag_key(key), "value": value}


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
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)


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


class _ConnectorChange(ChangeCommand):
    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class ConnectorRename(_ConnectorChange):
    words = ("connector", "rename")
    task = "onboarding"
    summary = "Rename a voice connector (the new name must not be used in any configured region)."
    params = (CONNECTOR, Param("name", "NEWNAME", "the connector's new name"))
    examples = ("/voice connector rename pstn-primary pstn-east",)
    permission = "connector.update"

    name: Name


class ConnectorEncryption(_ConnectorChange):
    words = ("connector", "encryption")
    task = "onboarding"
    summary = "Require encrypted SIP and media on a connector (--on), or allow unencrypted (--off)."
    params = (
        CONNECTOR,
        Param("on", "", "require TLS and SRTP", "--on", switch=True, required=False),
        Param("off", "", "allow unencrypted SIP and RTP", "--off", switch=True, required=False),
    )
    examples = ("/voice connector encryption pstn-primary --on",)
    permission = "connector.update"

    on: bool = False
    off: bool = False

    @model_validator(mode="after")
    def _one_of_on_off(self) -> Self:
        if self.on == self.off:
            raise ValueError("give exactly one of --on and --off")
        return self


class ConnectorTags(ReadCommand):
    words = ("connector", "tags")
    task = "onboarding"
    summary = "List a voice connector's tags."
    params = (CONNECTOR,)
    examples = ("/voice connector tags pstn-primary",)
    permission = "connector.read"

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


def _repeated(keys: list[str]) -> list[str]:
    return sorted({key for key in keys if keys.count(key) > 1})


class ConnectorTag(_ConnectorChange):
    words = ("connector", "tag")
    task = "onboarding"
    summary = (
        "Add tags to a voice connector or change their values (other tags stay), optionally removing some."
    )
    params = (
        CONNECTOR,
        Param("tags", "KEY=VALUE", "tag to set (repeatable)", repeat=True, convert=parse_tag),
        Param("remove", "KEY", "tag key to remove (repeatable)", "--remove", repeat=True, required=False),
    )
    examples = ("/voice connector tag pstn-primary team=telephony cost-centre=4711",)
    permission = "connector.tag"

    tags: list[Tag] = Field(min_length=1, max_length=MAX_TAGS)
    remove: list[TagKey] = Field(default_factory=list, max_length=MAX_TAGS)

    @model_validator(mode="after")
    def _each_key_once(self) -> Self:
        keys = [tag.key for tag in self.tags]
        if _repeated(keys + self.remove):
            raise ValueError(f"tag key {', '.join(_repeated(keys + self.remove))} is given more than once")
        return self


class ConnectorUntag(_ConnectorChange):
    words = ("connector", "untag")
    task = "onboarding"
    summary = "Remove tags from a voice connector by key."
    params = (CONNECTOR, Param("keys", "KEY", "tag key to remove (repeatable)", repeat=True))
    examples = ("/voice connector untag pstn-primary cost-centre",)
    permission = "connector.tag"

    keys: list[TagKey] = Field(min_length=1, max_length=MAX_TAGS)

    @model_validator(mode="after")
    def _each_key_once(self) -> Self:
        if _repeated(self.keys):
            raise ValueError(f"tag key {', '.join(_repeated(self.keys))} is given more than once")
        return self
