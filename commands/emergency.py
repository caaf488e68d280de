"""A connector's emergency calling (third-party emergency routing numbers): show, set, clear."""

from pydantic import Field

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import CONNECTOR
from voice_domain.emergency import Dnis
from voice_domain.located import Reference
from voice_domain.values import Name


def parse_dnis(token: str) -> dict[str, str]:
    """`EMERGENCY:TEST:COUNTRY` (TEST may be empty) → the fields of a Dnis."""
    parts = token.split(":")
    if len(parts) != 3 or not parts[0] or not parts[2]:
        raise ValueError("a DNIS entry is EMERGENCY:TEST:COUNTRY, such as +12065550100:+12065550101:US")
    emergency, test, country = parts
    entry = {"emergency_phone_number": emergency, "calling_country": country}
    return entry | ({"test_phone_number": test} if test else {})


class EmergencyShow(ReadCommand):
    words = ("emergency", "show")
    task = "incident"
    summary = "Show where a connector routes emergency calls (and test calls), per calling country."
    params = (CONNECTOR,)
    examples = ("/voice emergency show pstn-primary",)
    permission = "emergency.read"

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class _EmergencyChange(ChangeCommand):
    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class EmergencySet(_EmergencyChange):
    words = ("emergency", "set")
    task = "onboarding"
    summary = (
        "Replace a connector's emergency routing numbers from your third-party emergency provider "
        "(origination and termination must be enabled)."
    )
    params = (
        CONNECTOR,
        Param(
            "dnis",
            "EMERGENCY:TEST:COUNTRY",
            "emergency routing number, test number (may be empty) and ISO calling country (repeatable)",
            "--dnis",
            repeat=True,
            convert=parse_dnis,
        ),
    )
    examples = (
        "/voice emergency set pstn-primary --dnis +12065550150:+12065550151:US",
        "/voice emergency set pstn-primary --dnis +12065550150::US --dnis +12065550152::CA",
    )
    permission = "emergency.set"

    dnis: list[Dnis] = Field(min_length=1)


class EmergencyClear(_EmergencyChange):
    words = ("emergency", "clear")
    task = "onboarding"
    summary = (
        "Delete a connector's emergency calling configuration "
        "(AWS requires it before origination or termination can be turned off or deleted)."
    )
    params = (CONNECTOR,)
    examples = ("/voice emergency clear pstn-primary --reason decommissioning",)
    permission = "emergency.clear"
