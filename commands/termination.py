"""Termination (outbound calls from your SIP hosts through Chime): show, set, clear, health, and
its SIP credentials. A credential's password is never typed: the bot makes one when the change is
applied and shows it once, privately, to the person who asked for it."""

from typing import Annotated, Self

from pydantic import Field, model_validator

from commands.base import ChangeCommand, Command, Param, ReadCommand
from commands.connector import CONNECTOR
from commands.types import CountryCode
from voice_domain.located import Reference
from voice_domain.termination import Cidr, SipUsername
from voice_domain.values import E164Number, Name

PASSWORD_NOTICE = (
    "The password is made when the change is applied and shown once, privately, to the person who "
    "asked for it; it is not stored, logged or announced. If it is lost, add the user again to "
    "replace it."
)


class _OnConnector(Command):
    """A command on one connector's termination (not a command itself: it names no words)."""

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class TerminationShow(_OnConnector, ReadCommand):
    words = ("termination", "show")
    task = "incident"
    summary = "Show a connector's termination: calls per second, calling regions, allowed hosts."
    params = (CONNECTOR,)
    examples = ("/voice termination show pstn-primary",)
    permission = "termination.read"


class TerminationHealth(_OnConnector, ReadCommand):
    words = ("termination", "health")
    task = "incident"
    summary = "When a connector last received a SIP OPTIONS ping from your hosts, and from where."
    params = (CONNECTOR,)
    examples = ("/voice termination health pstn-primary",)
    permission = "termination.read"


class TerminationSet(_OnConnector, ChangeCommand):
    words = ("termination", "set")
    task = "onboarding"
    summary = "Change a connector's termination settings; settings not given stay as they are."
    params = (
        CONNECTOR,
        Param(
            "cps", "N", "calls per second allowed (1 or more; AWS's default is 1)", "--cps", required=False
        ),
        Param(
            "calling_regions",
            "CC[,CC]",
            "ISO country codes calls may go to (needed the first time)",
            "--calling-regions",
            split_commas=True,
            required=False,
        ),
        Param(
            "cidrs",
            "CIDR",
            "a network allowed to place calls (repeatable; replaces the list)",
            "--cidr",
            repeat=True,
            required=False,
        ),
        Param("no_cidrs", "", "remove every allowed network", "--no-cidr", switch=True, required=False),
        Param("default_number", "NUMBER", "default caller number", "--default-number", required=False),
        Param(
            "no_default_number",
            "",
            "remove the default caller number",
            "--no-default-number",
            switch=True,
            required=False,
        ),
        Param(
            "disabled", "", "turn termination off (settings kept)", "--disabled", switch=True, required=False
        ),
        Param("enabled", "", "turn termination on", "--enabled", switch=True, required=False),
    )
    examples = (
        "/voice termination set pstn-primary --cps 5 --calling-regions US,CA --cidr 203.0.113.0/24",
        "/voice termination set pstn-primary --cps 10",
        "/voice termination set pstn-primary --disabled --incident INC-4711",
    )
    permission = "termination.set"

    cps: Annotated[int, Field(ge=1)] | None = None
    calling_regions: Annotated[list[CountryCode], Field(min_length=1)] | None = None
    cidrs: list[Cidr] | None = None
    no_cidrs: bool = False
    default_number: E164Number | None = None
    no_default_number: bool = False
    disabled: bool = False
    enabled: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for one, other in (
            ("cidrs", "no_cidrs"),
            ("default_number", "no_default_number"),
            ("disabled", "enabled"),
        ):
            if getattr(self, one) and getattr(self, other):
                raise ValueError(f"--{_flag(one)} and --{_flag(other)} contradict each other: give one")
        if not self._states_something():
            raise ValueError("give at least one setting to change (settings not given stay as they are)")
        return self

    def _states_something(self) -> bool:
        return any(
            (
                self.cps is not None,
                self.calling_regions is not None,
                self.cidrs is not None,
                self.no_cidrs,
                self.default_number is not None,
                self.no_default_number,
                self.disabled,
                self.enabled,
            )
        )


def _flag(field: str) -> str:
    return {"cidrs": "cidr", "no_cidrs": "no-cidr"}.get(field, field.replace("_", "-"))


class TerminationClear(_OnConnector, ChangeCommand):
    words = ("termination", "clear")
    task = "onboarding"
    summary = "Delete a connector's termination settings: your hosts can no longer place calls through it."
    params = (CONNECTOR,)
    examples = ("/voice termination clear pstn-primary",)
    permission = "termination.clear"


class CredentialsList(_OnConnector, ReadCommand):
    words = ("termination", "credentials")
    task = "onboarding"
    summary = "List the SIP user names a connector accepts for termination (never passwords)."
    params = (CONNECTOR,)
    examples = ("/voice termination credentials pstn-primary",)
    permission = "termination.read"


class CredentialsAdd(_OnConnector, ChangeCommand):
    words = ("termination", "credentials", "add")
    task = "onboarding"
    summary = "Add a SIP user to a connector (or give an existing one a new password)."
    params = (CONNECTOR, Param("username", "USERNAME", "the SIP user name (US-ASCII, no spaces or ':')"))
    examples = ("/voice termination credentials add pstn-primary sbc-east",)
    permission = "termination.credentials"
    notice = PASSWORD_NOTICE

    username: SipUsername


class CredentialsRemove(_OnConnector, ChangeCommand):
    words = ("termination", "credentials", "remove")
    task = "onboarding"
    summary = "Remove SIP users from a connector (their passwords cannot be brought back)."
    params = (
        CONNECTOR,
        Param("usernames", "USERNAME", "a SIP user name to remove", repeat=True),
    )
    examples = ("/voice termination credentials remove pstn-primary sbc-east",)
    permission = "termination.credentials"

    usernames: Annotated[list[SipUsername], Field(min_length=1)]
