"""Tags on Voice Connectors: list, tag, untag, by the connector's ARN.

Rules, each from AWS's documentation: key 1–128 and value 0–256 characters and at most 50 tags in
one request (botocore's model: TagKey, TagValue, TagList; checked by validation.py); at most 50
tags on a resource and the `aws:` key prefix reserved for AWS (AWS tagging rules: "Maximum number
of tags per resource – 50", "Don't use `aws:` … as a prefix … You can't edit or delete tag keys …
with this prefix"). TagResource's modeled errors give ResourceLimitExceededException for the limit;
both operations answer BadRequestException for input AWS refuses and NotFoundException for an
unknown resource. TagResource replaces the value of a key the resource already has.
"""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.errors import bad_request, not_found, resource_limit_exceeded
from bot.sandbox.handlers import Params, handles
from bot.sandbox.records import ACCOUNT_ID, Tag, VoiceConnector
from bot.sandbox.state import SandboxState

MAX_TAGS_PER_RESOURCE = 50
RESERVED_PREFIX = "aws:"
_CONNECTOR_ARN = re.compile(r"arn:aws:chime:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):vc/(?P<id>[a-z0-9-]+)")


def tagged_connector(state: SandboxState, region: str, arn: str) -> VoiceConnector:
    """The connector an ARN names, as this region's endpoint sees it (wire.py renders the same form)."""
    match = _CONNECTOR_ARN.fullmatch(arn)
    if match is None:
        raise bad_request(
            f"ResourceARN {arn} is not a Voice Connector ARN (arn:aws:chime:REGION:ACCOUNT:vc/ID)."
        )
    if match["account"] != ACCOUNT_ID or match["region"] != region:
        raise not_found(f"Resource {arn} does not exist in account {ACCOUNT_ID} in {region}.")
    return state.voice_connector(region, match["id"])


def refuse_reserved(keys: list[str]) -> None:
    reserved = [key for key in keys if key.lower().startswith(RESERVED_PREFIX)]
    if reserved:
        raise bad_request(
            f"Tag keys starting with '{RESERVED_PREFIX}' are reserved for AWS: {', '.join(reserved)}."
        )


def new_tags(tags: list[dict[str, Any]]) -> list[Tag]:
    """Tags as a request gives them (TagResource, CreateVoiceConnector): each key once, none reserved."""
    keys = [tag["Key"] for tag in tags]
    refuse_reserved(keys)
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise bad_request(
            f"Tags lists key {', '.join(repeated)} more than once; a resource's tag keys are unique."
        )
    return [Tag(key=tag["Key"], value=tag["Value"]) for tag in tags]


@handles("ListTagsForResource")
def list_tags_for_resource(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    connector = tagged_connector(state, region, params["ResourceARN"])
    return {"Tags": [{"Key": tag.key, "Value": tag.value} for tag in connector.tags]}


@handles("TagResource")
def tag_resource(state: SandboxState, region: str, params: Params) -> None:
    connector = tagged_connector(state, region, params["ResourceARN"])
    given = {tag.key: tag.value for tag in new_tags(params["Tags"])}
    merged = {tag.key: tag.value for tag in connector.tags} | given
    if len(merged) > MAX_TAGS_PER_RESOURCE:
        raise resource_limit_exceeded(
            f"Resource {params['ResourceARN']} would have {len(merged)} tags; "
            f"a resource has at most {MAX_TAGS_PER_RESOURCE}."
        )
    connector.tags = [Tag(key=key, value=value) for key, value in merged.items()]


@handles("UntagResource")
def untag_resource(state: SandboxState, region: str, params: Params) -> None:
    connector = tagged_connector(state, region, params["ResourceARN"])
    refuse_reserved(params["TagKeys"])
    connector.tags = [tag for tag in connector.tags if tag.key not in params["TagKeys"]]
