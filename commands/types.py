"""Validated field types of the command language that are not API values themselves."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from voice_domain.values import E164Number, Name, upper


def unique(numbers: list[str]) -> list[str]:
    """A number typed twice is one number: it is sent and reported once."""
    return list(dict.fromkeys(numbers))


UniqueNumbers = Annotated[list[E164Number], AfterValidator(unique)]
CountryCode = Annotated[str, BeforeValidator(upper), Field(pattern=r"^[A-Z]{2}$")]


class Member(BaseModel):
    """A group member as typed: a connector reference and its priority (1–99, 1 is tried first)."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built on first use, not at start-up

    connector: Name
    priority: Annotated[int, Field(ge=1, le=99)] = 1
