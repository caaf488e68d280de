"""Streaming: whether a connector streams call media to Kinesis Video Streams, and how."""

from bot.drift.readers.registry import State, per_connector_setting, register, split_key
from voice_domain.streaming import StreamingConfiguration

_INSIGHTS = "MediaInsightsConfiguration"


def fields(state: State) -> dict[str, str]:
    from bot.ops.streaming import described  # on use: bot.ops loads bot.ops.drift, which loads this

    return described(StreamingConfiguration.model_validate(state))


def revert(resource: str, before: State | None, after: State | None) -> str | None:
    """`streaming set` the configuration as it was (or `clear` it): call analytics named only if it
    changed, and by hand when it was in a state `streaming set` cannot write."""
    from bot.ops.registry import CannotUndo
    from bot.ops.streaming import restore_command

    try:
        return restore_command(split_key(resource)[2], before, (after or {}).get(_INSIGHTS))
    except CannotUndo:
        return None


register(
    per_connector_setting(
        "streaming",
        "GetVoiceConnectorStreamingConfiguration",
        "StreamingConfiguration",
        fields,
        revert,
    )
)
