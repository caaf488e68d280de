"""The botocore service model for chime-sdk-voice: the single source of truth for the wire contract."""

from __future__ import annotations

from typing import Any

from botocore.loaders import Loader
from botocore.model import ServiceModel

SERVICE_NAME = "chime-sdk-voice"
API_VERSION = "2022-08-03"


def _load_service_model() -> Any:
    """Load the same JSON model botocore clients use, so server and client cannot drift apart."""
    data = Loader().load_service_model(SERVICE_NAME, "service-2", api_version=API_VERSION)
    return ServiceModel(data, service_name=SERVICE_NAME)


SERVICE_MODEL: Any = _load_service_model()


def error_status(shape_name: str) -> int:
    """HTTP status the model assigns to an error shape (KeyError-free: unknown shapes fail loudly)."""
    shape = SERVICE_MODEL.shape_for(shape_name)
    if not shape.metadata.get("exception"):
        raise ValueError(f"{shape_name} is not an error shape in the {SERVICE_NAME} model")
    status: int = shape.metadata["error"]["httpStatusCode"]
    return status
