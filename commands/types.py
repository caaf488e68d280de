"""Validated field types of the command language that are not API values themselves."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from voice_domain.values import E164Number, Name, check_country, upper


def unique(numbers: list[str]) -> list[str]:
    """A number typed twice is one number: it is sent and reported once."""
    return list(dict.fromkeys(numbers))


UniqueNumbers = Annotated[list[E164Number], AfterValidator(unique)]
CountryCode = Annotated[
    str, BeforeValidator(upper), Field(pattern=r"^[A-Z]{2}$"), AfterValidator(check_country)
]
"""A country as its ISO 3166-1 alpha-2 code, as calling regions, proxy countries and number searches
take it; `XX` (two letters, no country) is refused here rather than by AWS after a preview."""


class Member(BaseModel):
    """A group member as typed: a connector reference and its priority (1–99, 1 is tried first)."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built on first use, not at start-up

    connector: Name
    priority: Annotated[int, Field(ge=1, le=99)] = 1


def distinct_connectors(members: list[Member]) -> list[Member]:
    """A group holds a connector once (AWS refuses a repeat): say so before anything is looked up."""
    typed = [member.connector for member in members]
    repeated = sorted({connector for connector in typed if typed.count(connector) > 1})
    if repeated:
        raise ValueError(f"{', '.join(repeated)} is given more than once: a group holds a connector once")
    return members


Members = Annotated[list[Member], Field(max_length=3), AfterValidator(distinct_connectors)]
"""A group's members as typed: at most three (AWS's VoiceConnectorItems), each connector once."""
