"""API errors as the service sends them: a modeled error shape, its HTTP status and a message."""

from __future__ import annotations

from bot.sandbox.model import error_status


class ApiError(Exception):
    """An error answer; the status comes from the model so it always matches what botocore expects."""

    def __init__(self, shape: str, message: str) -> None:
        super().__init__(message)
        self.shape = shape
        self.message = message
        self.status = error_status(shape)

    @property
    def code(self) -> str:
        """The short code AWS puts in the body (ThrottledClientException -> Throttled)."""
        return self.shape.removesuffix("Exception").removesuffix("Client")

    def body(self) -> dict[str, str]:
        return {"Code": self.code, "Message": self.message}


class FrontDoorError(ApiError):
    """An answer from AWS's shared request front door (authentication, routing), before the service
    runs: its shapes are not in the chime-sdk-voice model, so the status is given, and the body is
    the front door's own `{"message": ...}` form (botocore reads the code from x-amzn-ErrorType)."""

    def __init__(self, shape: str, message: str, status: int) -> None:
        Exception.__init__(self, message)
        self.shape = shape
        self.message = message
        self.status = status

    def body(self) -> dict[str, str]:
        return {"message": self.message}


def bad_request(message: str) -> ApiError:
    return ApiError("BadRequestException", message)


def not_found(message: str) -> ApiError:
    return ApiError("NotFoundException", message)


def conflict(message: str) -> ApiError:
    return ApiError("ConflictException", message)


def resource_limit_exceeded(message: str) -> ApiError:
    return ApiError("ResourceLimitExceededException", message)
