"""The stand-in Slack server, driven by slack_sdk's real async clients as the bot drives it."""

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.helpers.blockkit import block_kit_problems
from tests.helpers.slack_signing import new_trigger_id
from tests.helpers.slack_standin import RESPONSE_URL, RESPONSE_URL_MAX_USES, UPLOAD, SlackStandIn

pytestmark = pytest.mark.harness  # tests of the Slack stand-in (a test tool), not of Switchboard

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*Route* updated"}}


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=slack.api_url)


def test_urls_need_a_started_server() -> None:
    with pytest.raises(RuntimeError):
        _ = SlackStandIn().api_url


async def test_api_url_is_loopback_and_ends_where_slack_sdk_joins_methods(slack: SlackStandIn) -> None:
    assert slack.api_url.startswith("http://127.0.0.1:")
    assert slack.api_url.endswith("/api/")
    assert slack.response_url("cmd1") == f"{slack.url}/response/cmd1"


async def test_auth_test_answers_like_a_bot_token(client: AsyncWebClient, slack: SlackStandIn) -> None:
    response = await client.auth_test()

    assert response["ok"] is True
    assert (response["user_id"], response["bot_id"], response["team_id"]) == ("U0BOT", "B0BOT", "T0001")
    assert "chat:write" in response.headers["X-OAuth-Scopes"]
    [call] = slack.calls("auth.test")
    assert call.headers["authorization"] == "Bearer xoxb-test"


@pytest.mark.parametrize(("token", "error"), [(None, "not_authed"), ("xoxp-user-token", "invalid_auth")])
async def test_web_api_requires_a_bot_token(slack: SlackStandIn, token: str | None, error: str) -> None:
    with pytest.raises(SlackApiError) as raised:
        await AsyncWebClient(token=token, base_url=slack.api_url).chat_postMessage(channel="C1", text="hi")

    assert raised.value.response["error"] == error
    assert [call.response["error"] for call in slack.calls("chat.postMessage")] == [error]


async def test_post_update_and_permalink_round_trip(client: AsyncWebClient, slack: SlackStandIn) -> None:
    posted = await client.chat_postMessage(channel="C1", text="Route updated", blocks=[SECTION])
    ts = posted["ts"]
    assert posted["channel"] == "C1"
    assert posted["message"]["blocks"][0]["block_id"]  # Slack fills in block_ids

    updated = await client.chat_update(channel="C1", ts=ts, text="Route reverted", blocks=[SECTION])
    permalink = await client.chat_getPermalink(channel="C1", message_ts=ts)

    assert updated["ts"] == ts and updated["text"] == "Route reverted"
    assert permalink["permalink"].endswith(f"/archives/C1/p{ts.replace('.', '')}")
    assert [call.method for call in slack.calls()] == ["chat.postMessage", "chat.update", "chat.getPermalink"]
    assert [message["text"] for message in slack.messages()] == ["Route updated", "Route reverted"]


async def test_posting_to_a_user_lands_in_a_dm(client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel="U123", text="hi")

    assert posted["channel"] == "D123"


async def test_update_and_permalink_need_a_message_the_standin_posted(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as updating:
        await client.chat_update(channel="C1", ts="1.000001", text="x")
    with pytest.raises(SlackApiError) as linking:
        await client.chat_getPermalink(channel="C1", message_ts="1.000001")

    assert updating.value.response["error"] == linking.value.response["error"] == "message_not_found"


async def test_ephemeral_messages_are_recorded(client: AsyncWebClient, slack: SlackStandIn) -> None:
    response = await client.chat_postEphemeral(channel="C1", user="U1", text="only you")

    assert response["message_ts"]
    assert slack.messages() == [{"channel": "C1", "user": "U1", "text": "only you"}]


async def test_form_encoded_bodies_are_read_like_json_ones(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    await client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "form", "blocks": json.dumps([SECTION])}
    )

    [call] = slack.calls("chat.postMessage")
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert call.args["blocks"] == [SECTION]
    assert call.status == 200 and call.problems == ()


async def test_invalid_blocks_are_refused_but_recorded(client: AsyncWebClient, slack: SlackStandIn) -> None:
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}

    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="fallback", blocks=[too_long])

    assert raised.value.response["error"] == "invalid_blocks"
    assert raised.value.response["errors"] == ["blocks[0].text.text: 3,001 chars exceeds 3,000"]
    [call] = slack.calls("chat.postMessage")
    assert call.problems == ("blocks[0].text.text: 3,001 chars exceeds 3,000",)
    assert [block_kit_problems(message) for message in slack.messages()] == [list(call.problems)]


async def test_an_empty_message_is_no_text(client: AsyncWebClient, slack: SlackStandIn) -> None:
    with pytest.warns(UserWarning, match="text"), pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1")  # slack_sdk warns too; Slack refuses

    assert raised.value.response["error"] == "no_text"
    assert slack.calls()[0].problems


async def test_messages_built_with_slack_sdk_models_pass(client: AsyncWebClient, slack: SlackStandIn) -> None:
    blocks = [
        SectionBlock(text="Change *+44 20 7946 0000* route?"),
        ActionsBlock(elements=[ButtonElement(text="Apply", action_id="apply", value="42", style="primary")]),
    ]

    await client.chat_postMessage(channel="C1", text="Change route?", blocks=blocks)

    assert slack.calls("chat.postMessage")[0].problems == ()


async def test_429_with_retry_after_is_retried_and_recorded_twice(slack: SlackStandIn) -> None:
    client = AsyncWebClient(
        token="xoxb-test", base_url=slack.api_url, retry_handlers=[AsyncRateLimitErrorRetryHandler()]
    )
    slack.fail_next("chat.postMessage", retry_after=0)

    response = await client.chat_postMessage(channel="C1", text="after a pause")

    assert response["ok"] is True
    calls = slack.calls("chat.postMessage")
    assert [call.status for call in calls] == [429, 200]
    assert calls[0].response == {"ok": False, "error": "ratelimited"}
    assert calls[0].args == calls[1].args


async def test_429_without_a_retry_handler_surfaces_retry_after(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    slack.fail_next("chat.update", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel="C1", ts="1.1", text="x")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"


async def test_injected_errors_answer_in_order_then_stop(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found", times=2)
    slack.fail_next("chat.postMessage", error="ratelimited")

    errors = []
    for _ in range(3):
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel="C1", text="x")
        errors.append(raised.value.response["error"])
    response = await client.chat_postMessage(channel="C1", text="x")

    assert errors == ["channel_not_found", "channel_not_found", "ratelimited"]
    assert response["ok"] is True
    assert [call.status for call in slack.calls()] == [200, 200, 200, 200]


async def test_server_errors_are_retried_by_slack_sdks_handler(slack: SlackStandIn) -> None:
    client = AsyncWebClient(
        token="xoxb-test", base_url=slack.api_url, retry_handlers=[AsyncServerErrorRetryHandler()]
    )
    slack.fail_next("users.info", status=503)

    response = await client.users_info(user="U1")

    assert response["user"]["id"] == "U1"
    assert [(call.status, call.response.get("error")) for call in slack.calls()] == [
        (503, "fatal_error"),
        (200, None),
    ]


def test_a_200_fault_needs_an_error() -> None:
    with pytest.raises(ValueError):
        SlackStandIn().fail_next("chat.postMessage", status=200)


async def test_usergroup_members_come_from_the_test(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.usergroups = {"S123": ["U1", "U2"]}

    members = await client.usergroups_users_list(usergroup="S123")
    with pytest.raises(SlackApiError) as raised:
        await client.usergroups_users_list(usergroup="S999")

    assert members["users"] == ["U1", "U2"]
    assert raised.value.response["error"] == "no_such_subteam"


async def test_users_info_is_generated_and_overridable(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.users = {"U2": {"tz": "Europe/London", "is_admin": True}}

    plain = (await client.users_info(user="U1"))["user"]
    custom = (await client.users_info(user="U2"))["user"]

    assert (plain["id"], plain["tz"], plain["is_admin"]) == ("U1", "Etc/UTC", False)
    assert (custom["id"], custom["tz"], custom["is_admin"]) == ("U2", "Europe/London", True)


async def test_unknown_methods_are_answered_and_recorded(client: AsyncWebClient, slack: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.api_call("conversations.kick", params={"channel": "C1", "user": "U1"})

    assert raised.value.response["error"] == "unknown_method"
    assert slack.calls("conversations.kick")[0].args == {"channel": "C1", "user": "U1"}


async def test_files_upload_v2_round_trip(client: AsyncWebClient, slack: SlackStandIn) -> None:
    content = "number,route\n+442079460000,primary\n"

    response = await client.files_upload_v2(
        channel="C1", thread_ts="1.000001", filename="routes.csv", content=content, title="Routes"
    )

    assert response["file"]["name"] == "routes.csv"
    assert response["file"]["channels"] == ["C1"]
    [upload] = slack.uploaded_files()
    assert upload.content == content.encode()
    assert (upload.filename, upload.title, upload.channel_id, upload.thread_ts) == (
        "routes.csv",
        "Routes",
        "C1",
        "1.000001",
    )
    assert upload.completed and upload.length == len(content.encode())
    assert [call.method for call in slack.calls()] == [
        "files.getUploadURLExternal",
        UPLOAD,
        "files.completeUploadExternal",
    ]


async def test_a_failed_upload_is_never_shared(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.fail_next(UPLOAD, status=500)

    with pytest.raises(SlackRequestError):
        await client.files_upload_v2(channel="C1", filename="a.txt", content="a")

    [upload] = slack.uploaded_files()
    assert upload.content is None and not upload.completed
    assert slack.calls("files.completeUploadExternal") == []


async def test_response_url_works_five_times_then_answers_used_url(slack: SlackStandIn) -> None:
    hook = AsyncWebhookClient(slack.response_url("cmd"))

    statuses = [(await hook.send(text=f"update {n}")).status_code for n in range(RESPONSE_URL_MAX_USES)]
    sixth = await hook.send(text="one too many")

    assert statuses == [200] * 5
    assert (sixth.status_code, json.loads(sixth.body)["error"]) == (404, "used_url")
    assert [body["text"] for body in slack.response_posts("cmd")] == [f"update {n}" for n in range(5)] + [
        "one too many"
    ]


async def test_refused_response_url_posts_do_not_use_it_up(slack: SlackStandIn) -> None:
    hook = AsyncWebhookClient(slack.response_url("cmd"))
    slack.fail_next(RESPONSE_URL, status=500)

    refused = [
        (await hook.send(text="x")).status_code,
        (await hook.send(text="x", blocks=[{"type": "sectoin"}])).status_code,
    ]
    accepted = [(await hook.send(text=f"{n}")).status_code for n in range(RESPONSE_URL_MAX_USES)]

    assert refused == [500, 400]
    assert accepted == [200] * 5
    assert slack.calls(RESPONSE_URL)[1].problems == ("blocks[0].type: unknown block type 'sectoin'",)


async def test_response_url_delete_needs_no_text(slack: SlackStandIn) -> None:
    response = await AsyncWebhookClient(slack.response_url("cmd")).send_dict({"delete_original": True})

    assert response.status_code == 200


async def test_expired_and_unminted_response_urls_are_404(slack: SlackStandIn) -> None:
    expired = slack.response_url("old")
    slack.expire_response_url("old")

    stale = await AsyncWebhookClient(expired).send(text="late")
    unknown = await AsyncWebhookClient(f"{slack.url}/response/never-minted").send(text="?")

    assert (stale.status_code, json.loads(stale.body)["error"]) == (404, "expired_url")
    assert (unknown.status_code, json.loads(unknown.body)["error"]) == (404, "no_such_url")


async def test_response_url_needs_a_json_object(slack: SlackStandIn) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(slack.response_url("cmd"), data="text=hi") as resp,
    ):
        assert resp.status == 400
        assert (await resp.json())["error"] == "invalid_payload"


async def test_wait_for_returns_once_the_calls_arrive(client: AsyncWebClient, slack: SlackStandIn) -> None:
    async def bot_work_after_ack() -> None:
        await client.chat_postMessage(channel="C1", text="one")
        await client.chat_postMessage(channel="C1", text="two")

    task = asyncio.create_task(bot_work_after_ack())
    calls = await slack.wait_for("chat.postMessage", 2)
    await task

    assert [call.args["text"] for call in calls] == ["one", "two"]
    assert calls[0].at <= calls[1].at


async def test_wait_for_names_what_did_arrive_when_nothing_does(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    await client.auth_test()

    with pytest.raises(AssertionError, match=r"chat.postMessage.*\['auth.test'\]"):
        await slack.wait_for("chat.postMessage", timeout=0.05)


async def test_views_open_update_and_publish_like_slack(client: AsyncWebClient, slack: SlackStandIn) -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Edit"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Reading…"}}],
    }
    trigger = new_trigger_id()
    opened = await client.views_open(trigger_id=trigger, view=view)
    view_id, first_hash = opened["view"]["id"], opened["view"]["hash"]
    assert slack.view(view_id)["blocks"] == view["blocks"]
    for bad_trigger, error in ((trigger, "exchanged_trigger_id"), ("not-a-trigger", "invalid_trigger_id")):
        with pytest.raises(SlackApiError) as refused:
            await client.views_open(trigger_id=bad_trigger, view=view)
        assert refused.value.response["error"] == error

    updated = await client.views_update(view_id=view_id, view=view | {"callback_id": "edit"}, hash=first_hash)
    assert updated["view"]["hash"] != first_hash and slack.view(view_id)["callback_id"] == "edit"
    with pytest.raises(SlackApiError) as stale:
        await client.views_update(view_id=view_id, view=view, hash=first_hash)
    assert stale.value.response["error"] == "hash_conflict"

    too_long = view | {"title": {"type": "plain_text", "text": "x" * 25}}
    with pytest.raises(SlackApiError) as invalid:
        await client.views_update(view_id=view_id, view=too_long)
    assert invalid.value.response["error"] == "invalid_arguments"
    assert "title.text: 25 chars" in invalid.value.response["response_metadata"]["messages"][0]
    assert slack.views()[-1] == too_long  # recorded even though refused

    with pytest.raises(SlackApiError) as not_home:
        await client.views_publish(user_id="U0ALICE", view=view)
    assert not_home.value.response["error"] == "invalid_arguments"
    home = {"type": "home", "blocks": view["blocks"]}
    await client.views_publish(user_id="U0ALICE", view=home)
    assert slack.home("U0ALICE")["blocks"] == home["blocks"]
