"""A Voice Connector's media streaming to Kinesis Video Streams, as the API sends and takes it."""

from typing import Annotated, Literal

from pydantic import Field

from voice_domain.shapes import AwsShape

NotificationTarget = Literal["EventBridge", "SNS", "SQS"]
NOTIFICATION_TARGETS: tuple[NotificationTarget, ...] = ("EventBridge", "SNS", "SQS")
# The model's Arn: 1–1024 characters of this pattern.
ARN_PATTERN = r"^arn[\/\:\-\_\.a-zA-Z0-9]+$"


class StreamingNotificationTarget(AwsShape):
    notification_target: NotificationTarget


class MediaInsightsConfiguration(AwsShape):
    """Call analytics on the streamed media (a media insights pipeline configuration)."""

    disabled: bool | None = None
    configuration_arn: Annotated[str, Field(max_length=1024, pattern=ARN_PATTERN)] | None = None


class StreamingConfiguration(AwsShape):
    """StreamingConfiguration: DataRetentionInHours (≥ 0) and Disabled are required; 1–3
    notification targets when any."""

    data_retention_in_hours: Annotated[int, Field(ge=0)]
    disabled: bool
    streaming_notification_targets: (
        Annotated[list[StreamingNotificationTarget], Field(min_length=1, max_length=3)] | None
    ) = None
    media_insights_configuration: MediaInsightsConfiguration | None = None

    @property
    def targets(self) -> list[str]:
        return [target.notification_target for target in self.streaming_notification_targets or []]
