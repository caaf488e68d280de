"""A Voice Connector's emergency calling configuration (third-party emergency routing numbers)."""

from typing import Annotated

from pydantic import BeforeValidator, Field

from voice_domain.shapes import AwsShape
from voice_domain.values import E164Number, upper

CountryCode = Annotated[str, BeforeValidator(upper), Field(pattern=r"^[A-Z]{2}$")]


class Dnis(AwsShape):
    """DNISEmergencyCallingConfiguration: where emergency (and test) calls from a country go."""

    emergency_phone_number: E164Number
    test_phone_number: E164Number | None = None
    calling_country: CountryCode

    def describe(self) -> str:
        """The command language's own `EMERGENCY:TEST:COUNTRY` form."""
        return f"{self.emergency_phone_number}:{self.test_phone_number or ''}:{self.calling_country}"


class EmergencyCalling(AwsShape):
    dnis: list[Dnis] = Field(default_factory=list, alias="DNIS")


class Switch(AwsShape):
    """Only whether a connector setting (origination, termination) is turned off, for the checks
    that depend on it."""

    disabled: bool | None = None
