"""The drift watch's commands: what changed outside Switchboard, and the configuration as a file."""

from typing import Annotated, Literal

from pydantic import Field

from commands.base import ChangeCommand, Command, Param, ReadCommand

DriftId = Annotated[str, Field(pattern=r"^d[a-z0-9]{7}$")]
DRIFT_ID = Param("drift_id", "DRIFT_ID", "the drift's ID, as its announcement and /voice drift show it")


class DriftList(ReadCommand):
    words = ("drift",)
    task = "audit"
    summary = "List the changes made outside Switchboard that nobody has acknowledged yet, newest first."
    examples = ("/voice drift",)
    permission = "drift.read"


class DriftAcknowledge(Command):
    """What the announcement's Acknowledge button runs: recorded with who, shown in the channel."""

    words = ("drift", "ack")
    task = "audit"
    summary = "Acknowledge a drift announcement (recorded with your name); it leaves /voice drift."
    params = (DRIFT_ID,)
    examples = ("/voice drift ack d7hx2mq4",)
    permission = "drift.acknowledge"
    at_once = True

    drift_id: DriftId


class DriftRevert(Command):
    """Not a ChangeCommand itself: like undo, it proposes one (the inverse), planned as usual."""

    words = ("drift", "revert")
    task = "audit"
    summary = "Propose the change that puts a drifted resource back, previewed and confirmed like any change."
    params = (
        DRIFT_ID,
        *(param for param in ChangeCommand.common_params if param.field in ("reason", "incident")),
    )
    examples = ("/voice drift revert d7hx2mq4 --reason 'unplanned console edit'",)
    permission = "drift.revert"

    drift_id: DriftId
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    incident: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:#/-]+$")] | None = (
        None
    )


class Snapshot(ReadCommand):
    """The file goes to the asker alone (a direct message) unless `--share` posts it in the channel:
    it holds the whole voice configuration, allow-lists and SIP user names included."""

    words = ("snapshot",)
    task = "audit"
    summary = (
        "Export the voice configuration the drift watch reads (connectors, groups, origination, "
        "number associations; never credentials) as a YAML or JSON file, sent to you alone."
    )
    params = (Param("format", "yaml|json", "the file's format (default yaml)", "--format", required=False),)
    examples = ("/voice snapshot", "/voice snapshot --format json --share")
    permission = "snapshot.read"

    format: Literal["yaml", "json"] = "yaml"
