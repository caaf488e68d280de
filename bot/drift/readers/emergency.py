"""Emergency calling: where a connector routes emergency (and test) calls, per calling country."""

from bot.drift.readers.registry import State, per_connector_setting, register, split_key
from voice_domain.emergency import EmergencyCalling


def normal(setting: State) -> State | None:
    """A configuration without entries routes nothing: the same as none."""
    return setting if setting.get("DNIS") else None


def fields(state: State) -> dict[str, str]:
    """One line per calling country, as `emergency set --dnis` takes it."""
    entries = EmergencyCalling.model_validate(state).dnis
    return {f"Emergency routing, {entry.calling_country}": entry.describe() for entry in entries}


def revert(resource: str, before: State | None, _after: State | None) -> str:
    """`emergency set` the entries as they were, or `emergency clear` what appeared."""
    from bot.ops.emergency import restore_command  # on use: bot.ops loads the drift watch

    return restore_command(split_key(resource)[2], before)


register(
    per_connector_setting(
        "emergency",
        "GetVoiceConnectorEmergencyCallingConfiguration",
        "EmergencyCallingConfiguration",
        fields,
        revert,
        normal=normal,
    )
)
