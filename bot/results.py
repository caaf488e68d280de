"""What running a command produced: plain data for the renderers and the audit log (no I/O)."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.aws_errors import VoiceError
from voice_domain.located import Located
from voice_domain.shapes import (
    Origination,
    PhoneNumber,
    PhoneNumberError,
    Proxy,
    VoiceConnector,
    VoiceConnectorGroup,
)


class Model(BaseModel):
    """defer_build: a model's validator is built when first used, not when a one-shot starts."""

    model_config = ConfigDict(defer_build=True)


class ErrorInfo(Model):
    """A VoiceError as data: storable, renderable."""

    operation: str
    code: str
    message: str
    meaning: str
    advice: str
    maybe_applied: bool = False
    request_id: str | None = None

    @classmethod
    def of(cls, error: VoiceError) -> "ErrorInfo":
        return cls(
            operation=error.operation,
            code=error.code,
            message=error.message,
            meaning=error.meaning,
            advice=error.advice,
            maybe_applied=error.maybe_applied,
            request_id=error.request_id,
        )


# Reads -------------------------------------------------------------------------------------


class ConnectorList(Model):
    kind: Literal["connector_list"] = "connector_list"
    by_region: dict[str, list[VoiceConnector]]
    # Regions that did not answer, and what that leaves uncertain: shown above the result.
    warnings: list[str] = Field(default_factory=list)


class GroupList(Model):
    kind: Literal["group_list"] = "group_list"
    by_region: dict[str, list[VoiceConnectorGroup]]
    # Regions that did not answer, and what that leaves uncertain: shown above the result.
    warnings: list[str] = Field(default_factory=list)


class GroupMember(Model):
    connector_id: str
    priority: int | None
    name: str | None
    region: str | None


class GroupDetail(Model):
    kind: Literal["group_detail"] = "group_detail"
    group: VoiceConnectorGroup
    region: str
    members: list[GroupMember]
    number_count: int
    # Regions that did not answer, and what that leaves uncertain: shown above the result.
    warnings: list[str] = Field(default_factory=list)


class NumberList(Model):
    kind: Literal["number_list"] = "number_list"
    scope: str
    numbers: list[PhoneNumber]
    # A connector's or group's ID → `connector NAME` / `group NAME`, so rows say where numbers route.
    routes: dict[str, str] = Field(default_factory=dict)
    # Regions that did not answer, and what that leaves uncertain: shown above the result.
    warnings: list[str] = Field(default_factory=list)


class OriginationView(Model):
    kind: Literal["origination"] = "origination"
    target: Located
    origination: Origination | None

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


class ProxyView(Model):
    kind: Literal["proxy"] = "proxy"
    target: Located
    proxy: Proxy | None
    notice: str | None = None

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


class HelpView(Model):
    kind: Literal["help"] = "help"
    topic: list[str] = Field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return []


# Changes -----------------------------------------------------------------------------------


class ApiCall(Model):
    """One request a change will send: exactly these parameters, to this region.

    `created_id_param` names a parameter that takes the ID of the resource an earlier request of
    the same plan creates (a new group's numbers): unknown when previewed, filled in when applied.
    """

    operation: str
    region: str
    params: dict[str, Any]
    created_id_param: str | None = None

    def with_created_id(self, created_id: str | None) -> "ApiCall":
        if self.created_id_param is None or created_id is None:
            return self
        return self.model_copy(update={"params": {**self.params, self.created_id_param: created_id}})


class FieldChange(Model):
    """One line of a preview: a setting's value before and after."""

    field: str
    before: str | None
    after: str | None


class NumberMove(Model):
    """Where a number is now, for an association preview ("moves from X"), or what else the plan
    says it has now (`Plan.moves_current`)."""

    number: str
    current: str | None
    note: str | None = None
    # `current` as people read it (`connector pstn-primary (abc…)`) where it differs: `current`
    # stays AWS's form (`VoiceConnectorId abc…`), which undo and crash reconciliation compare.
    shown: str | None = None


class Impact(Model):
    """Who a change reaches beyond its own settings, worked out by bot/ops/impact.py when the plan is
    made: the preview leads with it, the record keeps it, the outcome and announcement repeat it."""

    numbers: int
    """Numbers whose calls the change affects (through the connector's groups and directly)."""
    groups: list[str] = Field(default_factory=list)
    """The groups involved, each as `name (ID, region)`."""
    summary: str
    """One line: `Impact: 37 numbers route to this connector through group …; its 2 routes stop …`."""
    first_in_group: list[str] = Field(default_factory=list)
    """One line per group whose first (highest-priority) connector the change takes calls from."""
    unknown: list[str] = Field(default_factory=list)
    """Regions that did not answer, so the counts may be short."""


class Plan(Model):
    """A previewed change: what will be sent, what changes, and the state it was planned against."""

    command_text: str
    summary: str
    permission: str
    target: Located | None = None
    calls: list[ApiCall]
    changes: list[FieldChange] = Field(default_factory=list)
    moves: list[NumberMove] = Field(default_factory=list)
    moves_current: str = "Now associated with"
    """What each move's `current` is, as the preview's column says it: where the number routes, but
    for a number update the value it changes (`Calling name now`)."""
    warnings: list[str] = Field(default_factory=list)
    before: dict[str, Any] | None = None
    impact: Impact | None = None
    also_requires: list[str] = Field(default_factory=list)
    """Permissions the plan needs besides the command's own, because it also does their work
    (a forced move disassociates numbers from their groups; a group delete disassociates its
    numbers). Checked with their rules wherever the command's own permission is."""

    @property
    def is_noop(self) -> bool:
        return not self.calls


class Outcome(Model):
    """How an applied change ended. `partial` when some numbers failed and others succeeded."""

    kind: Literal["outcome"] = "outcome"
    plan: Plan
    status: Literal["applied", "partial", "failed"]
    succeeded_numbers: list[str] = Field(default_factory=list)
    number_errors: list[PhoneNumberError] = Field(default_factory=list)
    error: ErrorInfo | None = None
    created: VoiceConnector | VoiceConnectorGroup | None = None
    reconciled: bool = False
    responses: list[dict[str, Any]] = Field(default_factory=list)
