"""AWS ended proxy sessions on 2026-04-07: what botocore's model says, what the sandbox answers, and
what the proxy commands tell the person using them."""

from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.loaders import Loader

from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from commands.proxy import END_OF_SUPPORT_DATE
from tests.helpers.console_process import run_console

MODEL = botocore.session.get_session().get_service_model("chime-sdk-voice")
RAW_MODEL: dict[str, Any] = Loader().load_service_model("chime-sdk-voice", "service-2")
PROXY_OPERATIONS = [name for name in MODEL.operation_names if "Proxy" in name]
# The errors every connector-setting operation documents; none of them is about end of support.
GENERIC_ERRORS = {
    "UnauthorizedClientException",
    "AccessDeniedException",
    "NotFoundException",
    "ForbiddenException",
    "BadRequestException",
    "ThrottledClientException",
    "ServiceUnavailableException",
    "ServiceFailureException",
}


@pytest.mark.parametrize("operation", PROXY_OPERATIONS)
def test_the_model_marks_every_proxy_operation_ended_on_the_date_the_commands_give(operation: str) -> None:
    metadata = RAW_MODEL["operations"][operation]
    assert metadata["deprecated"] is True
    assert metadata["deprecatedSince"] == END_OF_SUPPORT_DATE
    assert "AWS ended support for Amazon Chime SDK proxy sessions" in metadata["deprecatedMessage"]


@pytest.mark.parametrize("operation", ["PutVoiceConnectorProxy", "DeleteVoiceConnectorProxy"])
def test_the_model_documents_no_end_of_support_error_for_proxy_writes(operation: str) -> None:
    """Why the sandbox keeps accepting them: an error the model adds would fail here first."""
    assert {error.name for error in MODEL.operation_model(operation).error_shapes} <= GENERIC_ERRORS


async def test_the_sandbox_accepts_proxy_writes_as_the_model_documents(voice: Any) -> None:
    put = await voice.put_voice_connector_proxy(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, DefaultSessionExpiryMinutes=60, PhoneNumberPoolCountries=["US"]
    )
    deleted = await voice.delete_voice_connector_proxy(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    assert put["Proxy"]["PhoneNumberCountries"] == ["US"]
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204


async def test_proxy_writes_warn_in_help_and_preview_and_reads_still_work(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "/voice help proxy",
        "/voice help proxy clear",
        "/voice proxy set pstn-primary --expiry 60 --countries US",
        "/voice proxy show pstn-primary",
        "/voice proxy clear pstn-primary --dry-run",
        cwd=tmp_path,
    )

    assert code == 0, output
    # The resource's help (set and clear, not show) and `help proxy clear` say it in the summary …
    assert output.count(f"Deprecated: AWS ended proxy sessions on {END_OF_SUPPORT_DATE}.") == 3
    # … the previews and their outcome in the headline …
    for headline in ("Preview: Proxy set", "Applied: Proxy set", "Preview: Proxy clear"):
        assert f"{headline}, deprecated by AWS since {END_OF_SUPPORT_DATE}: pstn-primary" in output
    # … and help, both previews and the read in a warning; only the writes ask for a migration.
    ended = f"[!] AWS ended support for Amazon Chime SDK proxy sessions on {END_OF_SUPPORT_DATE}"
    assert output.count(ended) == 4
    assert output.count("plan a migration away from proxy sessions") == 3
    assert "Session expiry   60 min" in output
