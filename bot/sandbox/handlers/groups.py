"""Voice Connector groups: create, read, list, update (members and priorities), delete."""

from __future__ import annotations

from typing import Any

from bot.sandbox import wire
from bot.sandbox.errors import bad_request
from bot.sandbox.handlers import Params, handles, with_token
from bot.sandbox.pagination import decode_token, take_page
from bot.sandbox.records import GroupItem
from bot.sandbox.state import SandboxState, listing_key


@handles("CreateVoiceConnectorGroup")
def create_voice_connector_group(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    group = state.create_voice_connector_group(
        region,
        name=params["Name"],
        items=_group_items(params.get("VoiceConnectorItems", [])),
        call_distribution_type=params.get("CallDistributionType"),
    )
    return {"VoiceConnectorGroup": wire.voice_connector_group(group)}


@handles("GetVoiceConnectorGroup")
def get_voice_connector_group(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    group = state.voice_connector_group(region, params["VoiceConnectorGroupId"])
    return {"VoiceConnectorGroup": wire.voice_connector_group(group)}


@handles("ListVoiceConnectorGroups")
def list_voice_connector_groups(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    after = decode_token("ListVoiceConnectorGroups", params.get("NextToken"))
    page, token = take_page(
        state.voice_connector_groups(region, after),
        listing_key,
        "ListVoiceConnectorGroups",
        params.get("MaxResults"),
    )
    return with_token({"VoiceConnectorGroups": [wire.voice_connector_group(g) for g in page]}, token)


@handles("UpdateVoiceConnectorGroup")
def update_voice_connector_group(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    group = state.update_voice_connector_group(
        region,
        params["VoiceConnectorGroupId"],
        name=params["Name"],
        items=_group_items(params["VoiceConnectorItems"]),
        call_distribution_type=params.get("CallDistributionType"),
    )
    return {"VoiceConnectorGroup": wire.voice_connector_group(group)}


@handles("DeleteVoiceConnectorGroup")
def delete_voice_connector_group(state: SandboxState, region: str, params: Params) -> None:
    state.delete_voice_connector_group(region, params["VoiceConnectorGroupId"])


def _group_items(items: list[dict[str, Any]]) -> list[GroupItem]:
    """Priority is optional in the model but AWS needs it to order failover, so it is enforced here."""
    for index, item in enumerate(items):
        if "Priority" not in item:
            raise bad_request(f"VoiceConnectorItems[{index}].Priority is required (1-99, 1 is tried first).")
    return [
        GroupItem(voice_connector_id=item["VoiceConnectorId"], priority=item["Priority"]) for item in items
    ]
