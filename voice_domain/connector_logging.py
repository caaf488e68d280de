"""A Voice Connector's logging configuration as the API sends and takes it."""

from pydantic import Field

from voice_domain.shapes import AwsShape


class LoggingConfiguration(AwsShape):
    """LoggingConfiguration: SIP message logs and media metric logs to CloudWatch Logs. AWS may omit
    a member it has never been told, which means off."""

    enable_sip_logs: bool | None = Field(default=None, alias="EnableSIPLogs")
    enable_media_metric_logs: bool | None = None

    @property
    def sip_logs(self) -> bool:
        return bool(self.enable_sip_logs)

    @property
    def media_metrics(self) -> bool:
        return bool(self.enable_media_metric_logs)
