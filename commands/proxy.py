"""Proxy (masked-number sessions): show, set, clear. Deprecated by AWS; kept, with a warning."""

from typing import Annotated

from pydantic import Field

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import CONNECTOR
from commands.types import CountryCode
from voice_domain.located import Reference
from voice_domain.values import E164Number, Name

PROXY_END_OF_SUPPORT = (
    "Amazon Chime SDK proxy sessions reached end of support on 2026-04-07: this setting is kept for "
    "existing connectors, but plan a migration away from proxy sessions."
)


class ProxyShow(ReadCommand):
    words = ("proxy", "show")
    task = "onboarding"
    summary = "Show a connector's proxy settings."
    params = (CONNECTOR,)
    examples = ("/voice proxy show pstn-primary",)
    permission = "proxy.read"
    notice = PROXY_END_OF_SUPPORT

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class ProxySet(ChangeCommand):
    words = ("proxy", "set")
    task = "onboarding"
    summary = "Set a connector's proxy settings: session expiry, number-pool countries, fallback number."
    params = (
        CONNECTOR,
        Param("expiry", "MINUTES", "default session expiry in minutes", "--expiry"),
        Param(
            "countries",
            "CC[,CC]",
            "ISO country codes of the number pool (1–100)",
            "--countries",
            split_commas=True,
        ),
        Param(
            "fallback", "NUMBER", "number to call when a session has expired", "--fallback", required=False
        ),
        Param(
            "disabled",
            "",
            "store the settings but leave proxy disabled",
            "--disabled",
            switch=True,
            required=False,
        ),
    )
    examples = ("/voice proxy set abcdef1ghij2klmno3pqr4 --expiry 60 --countries US",)
    permission = "proxy.set"
    notice = PROXY_END_OF_SUPPORT

    connector: Name
    expiry: Annotated[int, Field(ge=1, le=2_147_483_647)]
    countries: Annotated[list[CountryCode], Field(min_length=1, max_length=100)]
    fallback: E164Number | None = None
    disabled: bool = False

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class ProxyClear(ChangeCommand):
    words = ("proxy", "clear")
    task = "onboarding"
    summary = "Delete a connector's proxy settings."
    params = (CONNECTOR,)
    examples = ("/voice proxy clear pstn-primary",)
    permission = "proxy.clear"
    notice = PROXY_END_OF_SUPPORT

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]
