"""Built-in resources matching the API reference's examples, so its sample requests replay as written."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sandbox.records import GroupItem, StateSnapshot, VoiceConnector, VoiceConnectorGroup

PRIMARY_CONNECTOR_ID = "abcdef1ghij2klmno3pqr4"
SECONDARY_CONNECTOR_ID = "bcdefg2hijk3lmnop4qrs5"
FAILOVER_GROUP_ID = "123a456b-c7d8-90e1-fg23-4h567jkl8901"
SEEDED_AT = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)


def seeded_snapshot(inventory_size: int) -> StateSnapshot:
    """A new account: two connectors in different regions, a failover group over both, all numbers free."""
    primary = VoiceConnector(
        id=PRIMARY_CONNECTOR_ID,
        serial=1,
        region="us-east-1",
        name="pstn-primary",
        require_encryption=True,
        created=SEEDED_AT,
        updated=SEEDED_AT,
    )
    secondary = VoiceConnector(
        id=SECONDARY_CONNECTOR_ID,
        serial=2,
        region="us-west-2",
        name="pstn-secondary",
        require_encryption=True,
        created=SEEDED_AT,
        updated=SEEDED_AT,
    )
    group = VoiceConnectorGroup(
        id=FAILOVER_GROUP_ID,
        serial=3,
        region="us-east-1",
        name="pstn-failover",
        items=[
            GroupItem(voice_connector_id=PRIMARY_CONNECTOR_ID, priority=1),
            GroupItem(voice_connector_id=SECONDARY_CONNECTOR_ID, priority=2),
        ],
        created=SEEDED_AT,
        updated=SEEDED_AT,
    )
    return StateSnapshot(
        inventory_size=inventory_size,
        inventory_created=SEEDED_AT,
        voice_connectors=[primary, secondary],
        voice_connector_groups=[group],
    )
