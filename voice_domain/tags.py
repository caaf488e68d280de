"""Tags on Chime SDK Voice resources: the limits AWS puts on keys and on a resource's tag set.

Lengths come from botocore's `chime-sdk-voice` model (TagKey 1–128, TagValue 0–256, TagList at most
50); the reserved prefix and the per-resource limit from AWS's tagging rules ("Maximum number of
tags per resource – 50"; "Don't use `aws:` … as a prefix … it is reserved for AWS use").
"""

from typing import Annotated

from pydantic import AfterValidator, Field

MAX_TAGS = 50
RESERVED_PREFIX = "aws:"


def check_tag_key(key: str) -> str:
    """AWS refuses user tags whose key starts with `aws:` in any letter case."""
    if key.lower().startswith(RESERVED_PREFIX):
        raise ValueError(f"tag keys starting with '{RESERVED_PREFIX}' are reserved for AWS")
    return key


TagKey = Annotated[str, Field(min_length=1, max_length=128), AfterValidator(check_tag_key)]
