"""Stored records rendered as the model's output shapes (PascalCase members, ISO-8601 timestamps)."""

from __future__ import annotations

from typing import Any

from bot.sandbox.inventory import number_type
from bot.sandbox.records import (
    ACCOUNT_ID,
    Origination,
    PhoneNumberOrderRecord,
    PhoneNumberRecord,
    Proxy,
    VoiceConnector,
    VoiceConnectorGroup,
    iso_ms,
)
from bot.sandbox.state import NumberError, number_status, product_type_of

PHONE_NUMBER_REGION = "us-east-1"


def voice_connector(connector: VoiceConnector) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "VoiceConnectorId": connector.id,
        "AwsRegion": connector.region,
        "Name": connector.name,
        "OutboundHostName": f"{connector.id}.voiceconnector.chime.aws",
        "RequireEncryption": connector.require_encryption,
        "CreatedTimestamp": iso_ms(connector.created),
        "UpdatedTimestamp": iso_ms(connector.updated),
        "VoiceConnectorArn": f"arn:aws:chime:{connector.region}:{ACCOUNT_ID}:vc/{connector.id}",
        "NetworkType": connector.network_type,
    }
    if connector.integration_type is not None:
        rendered["IntegrationType"] = connector.integration_type
    return rendered


def voice_connector_group(group: VoiceConnectorGroup) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "VoiceConnectorGroupId": group.id,
        "Name": group.name,
        "VoiceConnectorItems": [
            {"VoiceConnectorId": item.voice_connector_id, "Priority": item.priority} for item in group.items
        ],
        "CreatedTimestamp": iso_ms(group.created),
        "UpdatedTimestamp": iso_ms(group.updated),
        "VoiceConnectorGroupArn": f"arn:aws:chime:{group.region}:{ACCOUNT_ID}:vcg/{group.id}",
    }
    if group.call_distribution_type is not None:
        rendered["CallDistributionType"] = group.call_distribution_type
    return rendered


def origination(settings: Origination) -> dict[str, Any]:
    return {
        "Routes": [
            {
                "Host": route.host,
                "Port": route.port,
                "Protocol": route.protocol,
                "Priority": route.priority,
                "Weight": route.weight,
            }
            for route in settings.routes
        ],
        "Disabled": settings.disabled,
    }


def proxy(settings: Proxy) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "DefaultSessionExpiryMinutes": settings.default_session_expiry_minutes,
        "Disabled": settings.disabled,
        "PhoneNumberCountries": list(settings.countries),
    }
    if settings.fall_back_phone_number is not None:
        rendered["FallBackPhoneNumber"] = settings.fall_back_phone_number
    return rendered


def phone_number(record: PhoneNumberRecord) -> dict[str, Any]:
    association = record.association
    return {
        "PhoneNumberId": record.e164,
        "E164PhoneNumber": record.e164,
        "PhoneNumberArn": f"arn:aws:chime:{PHONE_NUMBER_REGION}:{ACCOUNT_ID}:phone-number/{record.e164}",
        "Country": "US",
        "Type": number_type(record.e164),
        "ProductType": product_type_of(record),
        "Status": number_status(association),
        "Capabilities": {
            "InboundCall": True,
            "OutboundCall": True,
            "InboundSMS": True,
            "OutboundSMS": True,
            "InboundMMS": False,
            "OutboundMMS": False,
        },
        "Associations": []
        if association is None
        else [
            {
                "Name": association.kind,
                "Value": association.target_id,
                "AssociatedTimestamp": iso_ms(association.associated),
            }
        ],
        "CallingNameStatus": record.calling_name_status,
        "CreatedTimestamp": iso_ms(record.created),
        "UpdatedTimestamp": iso_ms(record.updated),
        "OrderId": record.order_id,
    } | {
        member: value
        for member, value in (("CallingName", record.calling_name), ("Name", record.name))
        if value is not None
    }


def phone_number_errors(errors: list[NumberError]) -> dict[str, Any]:
    return {
        "PhoneNumberErrors": [
            {"PhoneNumberId": error.phone_number_id, "ErrorCode": error.code, "ErrorMessage": error.message}
            for error in errors
        ]
    }


def phone_number_order(order: PhoneNumberOrderRecord) -> dict[str, Any]:
    return {
        "PhoneNumberOrderId": order.id,
        "ProductType": order.product_type,
        "Status": order.status,
        "OrderType": "New",
        "OrderedPhoneNumbers": [{"E164PhoneNumber": n.e164, "Status": n.status} for n in order.numbers],
        "CreatedTimestamp": iso_ms(order.created),
        "UpdatedTimestamp": iso_ms(order.updated),
    }
