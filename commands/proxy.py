"""Proxy (masked-number sessions): show, set, clear. AWS ended proxy sessions on 2026-04-07; the
commands are kept, and every one of them says so (help, preview, answer)."""

from typing import Annotated

from pydantic import Field

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import CONNECTOR
from commands.types import CountryCode
from voice_domain.located import Reference
from voice_domain.values import E164Number, Name

END_OF_SUPPORT_DATE = "2026-04-07"
"""botocore's chime-sdk-voice model: every proxy operation is `deprecated`, `deprecatedSince`
2026-04-07, "End of support notice: On April 7, 2026, AWS ended support for Amazon Chime SDK proxy
sessions" (tests/test_proxy_end_of_support.py reads the model and keeps this in step)."""

_ENDED = (
    f"AWS ended support for Amazon Chime SDK proxy sessions on {END_OF_SUPPORT_DATE} (end of support "
    "notice; the chime-sdk-voice API marks every proxy operation deprecated)."
)
PROXY_END_OF_SUPPORT = f"{_ENDED} These settings are shown for connectors that still have them."
PROXY_WRITE_END_OF_SUPPORT = (
    f"{_ENDED} This change is still sent as the API documents it, but AWS no longer supports the proxy "
    "sessions it configures: plan a migration away from proxy sessions."
)
DEPRECATED = f"Deprecated: AWS ended proxy sessions on {END_OF_SUPPORT_DATE}."


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
    summary = f"{DEPRECATED} Set a connector's proxy session expiry, countries, fallback number."
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
    notice = PROXY_WRITE_END_OF_SUPPORT

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
    summary = f"{DEPRECATED} Delete a connector's proxy settings."
    params = (CONNECTOR,)
    examples = ("/voice proxy clear pstn-primary",)
    permission = "proxy.clear"
    notice = PROXY_WRITE_END_OF_SUPPORT

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]
