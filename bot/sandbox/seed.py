"""Built-in resources matching the API reference's examples, so its sample requests replay as written."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sandbox.records import (
    ACCOUNT_ID,
    GroupItem,
    SipMediaApplication,
    SipRule,
    SipRuleTarget,
    StateSnapshot,
    VoiceConnector,
    VoiceConnectorGroup,
)

PRIMARY_CONNECTOR_ID = "abcdef1ghij2klmno3pqr4"
SECONDARY_CONNECTOR_ID = "bcdefg2hijk3lmnop4qrs5"
FAILOVER_GROUP_ID = "123a456b-c7d8-90e1-fg23-4h567jkl8901"
SEEDED_AT = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
IVR_MAIN_ID = "5b3a9c1e-7d24-4f0a-9e6b-2c8d4f1a7e30"
IVR_BACKUP_ID = "8e1f4c2d-3a5b-4c6d-9e7f-0a1b2c3d4e5f"
MAIN_IVR_RULE_ID = "c7a3e9d2-4b1f-4e8a-9c5d-6f2b1a0e3d47"


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
        sip_media_applications=_sip_media_applications(),
        sip_rules=_sip_rules(),
    )


def _sip_media_applications() -> list[SipMediaApplication]:
    """An IVR in each region, each backed by a Lambda function of its own region, as AWS requires."""
    return [
        SipMediaApplication(
            id=app_id,
            region=region,
            name=name,
            lambda_arn=f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}",
            created=SEEDED_AT,
            updated=SEEDED_AT,
        )
        for app_id, region, name in (
            (IVR_MAIN_ID, "us-east-1", "ivr-main"),
            (IVR_BACKUP_ID, "us-west-2", "ivr-backup"),
        )
    ]


def _sip_rules() -> list[SipRule]:
    """The SIP media application numbers' rules (one per trigger, failing over across regions), a
    connector's host-name rule, and a disabled after-hours rule."""
    main = SipRuleTarget(sip_media_application_id=IVR_MAIN_ID, priority=1, aws_region="us-east-1")
    backup = SipRuleTarget(sip_media_application_id=IVR_BACKUP_ID, priority=2, aws_region="us-west-2")
    rules = (
        (
            MAIN_IVR_RULE_ID,
            "us-east-1",
            "main-ivr-number",
            False,
            "ToPhoneNumber",
            "+18335550197",
            [main, backup],
        ),
        (
            "2f9d6b4a-1c3e-4a5b-8d7f-9e0a1b2c3d4e",
            "us-east-1",
            "pstn-primary-inbound",
            False,
            "RequestUriHostname",
            f"{PRIMARY_CONNECTOR_ID}.voiceconnector.chime.aws",
            [main],
        ),
        (
            "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
            "us-west-2",
            "after-hours-number",
            True,
            "ToPhoneNumber",
            "+18335550198",
            [backup.model_copy(update={"priority": 1})],
        ),
    )
    return [
        SipRule(
            id=rule_id,
            region=region,
            name=name,
            disabled=disabled,
            trigger_type=trigger_type,
            trigger_value=trigger_value,
            targets=targets,
            created=SEEDED_AT,
            updated=SEEDED_AT,
        )
        for rule_id, region, name, disabled, trigger_type, trigger_value, targets in rules
    ]
