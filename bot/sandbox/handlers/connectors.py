"""Voice Connectors: create, read, list, update, delete."""

from __future__ import annotations

from typing import Any

from bot.sandbox import wire
from bot.sandbox.handlers import Params, handles, with_token
from bot.sandbox.handlers.tags import new_tags
from bot.sandbox.pagination import decode_token, take_page
from bot.sandbox.state import SandboxState, listing_key


@handles("CreateVoiceConnector")
def create_voice_connector(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    connector = state.create_voice_connector(
        region,
        name=params["Name"],
        require_encryption=params["RequireEncryption"],
        aws_region=params.get("AwsRegion"),
        tags=new_tags(params.get("Tags", [])),
        integration_type=params.get("IntegrationType"),
        network_type=params.get("NetworkType"),
    )
    return {"VoiceConnector": wire.voice_connector(connector)}


@handles("GetVoiceConnector")
def get_voice_connector(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {"VoiceConnector": wire.voice_connector(state.voice_connector(region, params["VoiceConnectorId"]))}


@handles("ListVoiceConnectors")
def list_voice_connectors(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    after = decode_token("ListVoiceConnectors", params.get("NextToken"))
    page, token = take_page(
        state.voice_connectors(region, after), listing_key, "ListVoiceConnectors", params.get("MaxResults")
    )
    return with_token({"VoiceConnectors": [wire.voice_connector(c) for c in page]}, token)


@handles("UpdateVoiceConnector")
def update_voice_connector(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    connector = state.update_voice_connector(
        region,
        params["VoiceConnectorId"],
        name=params["Name"],
        require_encryption=params["RequireEncryption"],
    )
    return {"VoiceConnector": wire.voice_connector(connector)}


@handles("DeleteVoiceConnector")
def delete_voice_connector(state: SandboxState, region: str, params: Params) -> None:
    state.delete_voice_connector(region, params["VoiceConnectorId"])
