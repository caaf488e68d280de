"""VoiceService against the sandbox over HTTP: retries, pagination, name lookup, create reconciliation.

Every test runs over both transports (bot/aws_clients.py): aiobotocore, as `serve` uses it, and
botocore on worker threads, as the console does; the behaviour must not depend on which."""

from collections.abc import AsyncIterator

import pytest

from bot.aws_clients import open_clients
from bot.aws_errors import VoiceError
from bot.sandbox import RunningSandbox, ScriptedFault
from bot.settings import AwsSettings
from bot.voice import VoiceService
from tests.helpers.sandbox_fixtures import recorded_requests
from voice_domain.located import Reference


@pytest.fixture(params=["async", "threads"])
async def voice(sandbox: RunningSandbox, request: pytest.FixtureRequest) -> AsyncIterator[VoiceService]:
    settings = AwsSettings()
    clients = open_clients(settings, request.param)
    async with VoiceService(settings, clients=clients, retry_base_delay=0.001) as service:
        yield service


def operations(sandbox: RunningSandbox) -> list[str | None]:
    return [record["operation"] for record in recorded_requests(sandbox)]


async def test_throttled_reads_are_retried_until_they_succeed(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(*[ScriptedFault(operation="ListVoiceConnectors", fault="throttle")] * 3)
    connectors = await voice.list_connectors("us-east-1")
    assert [c.name for c in connectors] == ["pstn-primary"]
    assert operations(sandbox).count("ListVoiceConnectors") == 4


async def test_retries_are_bounded_and_the_error_explained(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(*[ScriptedFault(operation="GetVoiceConnectorOrigination", fault="unavailable")] * 10)
    with pytest.raises(VoiceError) as caught:
        await voice.get_origination("us-east-1", "abcdef1ghij2klmno3pqr4")
    assert caught.value.code == "ServiceUnavailableException"
    assert "Health Dashboard" in caught.value.advice
    assert operations(sandbox).count("GetVoiceConnectorOrigination") == voice.settings.max_attempts


async def test_lists_follow_next_token_to_the_end(sandbox: RunningSandbox, voice: VoiceService) -> None:
    for index in range(130):
        await voice.call(
            "us-east-1", "CreateVoiceConnector", {"Name": f"trunk-{index}", "RequireEncryption": True}
        )
    connectors = await voice.list_connectors("us-east-1")
    assert len(connectors) == 131
    assert operations(sandbox).count("ListVoiceConnectors") == 2  # 100 per page


async def test_names_resolve_across_regions_and_duplicates_are_refused(voice: VoiceService) -> None:
    secondary = await voice.locate(Reference("connector", "pstn-secondary"))
    assert (secondary.region, secondary.id) == ("us-west-2", "bcdefg2hijk3lmnop4qrs5")
    by_id = await voice.locate(Reference("connector", "abcdef1ghij2klmno3pqr4"))
    assert by_id.name == "pstn-primary"
    await voice.call("us-west-2", "CreateVoiceConnector", {"Name": "pstn-primary", "RequireEncryption": True})
    with pytest.raises(VoiceError, match="use the ID"):
        await voice.locate(Reference("connector", "pstn-primary"))
    with pytest.raises(VoiceError, match="No voice connector") as nowhere:
        await voice.locate(Reference("connector", "nowhere"))
    assert "Did you mean" not in str(nowhere.value)
    with pytest.raises(VoiceError, match=r"'pstn-secondry' .* Did you mean 'pstn-secondary'\?"):
        await voice.locate(Reference("connector", "pstn-secondry"))


async def test_a_create_whose_response_is_lost_is_found_by_name_not_sent_again(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(ScriptedFault(operation="CreateVoiceConnector", fault="lost_response"))
    connector, reconciled = await voice.create_connector(
        "us-east-1", {"Name": "lost-answer", "AwsRegion": "us-east-1", "RequireEncryption": True}
    )
    assert reconciled and connector.name == "lost-answer"
    assert operations(sandbox).count("CreateVoiceConnector") == 1
    assert [c.name for c in await voice.list_connectors("us-east-1")].count("lost-answer") == 1


async def test_a_create_that_failed_before_acting_says_it_is_safe_to_retry(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(ScriptedFault(operation="CreateVoiceConnector", fault="error"))
    with pytest.raises(VoiceError, match="safe to try again"):
        await voice.create_connector("us-east-1", {"Name": "not-made", "RequireEncryption": True})
    assert operations(sandbox).count("CreateVoiceConnector") == 1


async def test_a_throttled_create_is_resent_because_aws_did_nothing(
    sandbox: RunningSandbox, voice: VoiceService
) -> None:
    sandbox.faults.push(ScriptedFault(operation="CreateVoiceConnector", fault="throttle"))
    connector, reconciled = await voice.create_connector(
        "us-east-1", {"Name": "after-429", "RequireEncryption": True}
    )
    assert not reconciled and connector.name == "after-429"
    assert operations(sandbox).count("CreateVoiceConnector") == 2


async def test_missing_credentials_are_explained(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    async with VoiceService(AwsSettings()) as voice:
        assert not await voice.has_credentials()
        with pytest.raises(VoiceError) as caught:
            await voice.list_connectors("us-east-1")
    assert caught.value.code == "NoCredentials" and "IAM role" in caught.value.advice
