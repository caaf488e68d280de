"""Applying a plan: send its requests and report exactly what happened.

Every number a request names is accounted for once: in `succeeded_numbers`, or in
`number_errors` with AWS's code and message (or, for a request that failed outright, the
request's error). Batches run concurrently, bounded by VOICE_MAX_CONCURRENCY, and report progress.
Other plans' requests run in order and stop at the first failure, a number AWS refused included
(a group delete must not go on to empty and delete a group whose numbers are still on it); a
request that needs the ID an earlier one created gets it here.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.aws_errors import VoiceError
from bot.ops.common import created_id
from bot.ops.registry import EFFECTS, SECRETS, Creates, Shows
from bot.outcomes import Revealed
from bot.results import ApiCall, ErrorInfo, Outcome, Plan
from bot.voice import VoiceService
from voice_domain.shapes import PhoneNumberError, VoiceConnector, VoiceConnectorGroup

Progress = Callable[[int, int], Awaitable[None]]
"""Called with (numbers done, numbers in all) as batches finish."""


async def apply_plan(
    plan: Plan,
    voice: VoiceService,
    progress: Progress | None = None,
    revealed: list[Revealed] | None = None,
) -> Outcome:
    """`revealed` receives the secrets made for requests AWS accepted (kept out of the Outcome,
    which is stored); a plan that makes one is refused without it, since nobody could see it."""
    if plan.calls and all(_batched(call) for call in plan.calls):
        return await _apply_batches(plan, voice, progress)
    return await _apply_in_order(plan, voice, revealed)


def _batched(call: ApiCall) -> bool:
    check = EFFECTS[call.operation]
    return isinstance(check, Shows) and check.batched


def _with_secret(
    call: ApiCall, plan: Plan, revealed: list[Revealed] | None
) -> tuple[dict[str, Any], list[Revealed]]:
    """The parameters to send: the plan's, plus the secret the operation needs, made just now."""
    make = SECRETS.get(call.operation)
    if make is None:
        return call.params, []
    if revealed is None:
        raise TypeError(f"{call.operation} makes a secret, and nobody was given to show it to")
    return make(call, plan)


async def _apply_in_order(plan: Plan, voice: VoiceService, revealed: list[Revealed] | None) -> Outcome:
    responses: list[dict[str, Any]] = []
    created: VoiceConnector | VoiceConnectorGroup | None = None
    succeeded: list[str] = []
    reconciled = False
    for planned in plan.calls:
        call = planned.with_created_id(created_id(created))
        params, secrets = _with_secret(call, plan, revealed)
        try:
            response = await voice.apply(call.operation, call.region, params)
        except VoiceError as error:
            return Outcome(
                plan=plan,
                status="partial" if responses else "failed",
                error=ErrorInfo.of(error),
                responses=responses,
                succeeded_numbers=succeeded,
                # The numbers the refused request named failed with it (UpdatePhoneNumber has no
                # PhoneNumberErrors), so the counts account for them.
                number_errors=[_batch_error(number, error) for number in _numbers_of(call)],
                created=created,
            )
        responses.append(response)
        if revealed is not None:
            revealed.extend(secrets)
        check = EFFECTS[call.operation]
        if isinstance(check, Creates):
            created = check.made(response)
        reconciled = reconciled or bool(response.get("Reconciled"))
        errors = [PhoneNumberError.model_validate(item) for item in response.get("PhoneNumberErrors") or []]
        failed = {error.phone_number_id for error in errors}
        succeeded += [number for number in _numbers_of(call) if number not in failed]
        if errors:
            return Outcome(
                plan=plan,
                status="partial" if succeeded or len(responses) > 1 else "failed",
                succeeded_numbers=succeeded,
                number_errors=errors,
                created=created,
                reconciled=reconciled,
                responses=responses,
            )
    return Outcome(
        plan=plan,
        status="applied",
        created=created,
        reconciled=reconciled,
        responses=responses,
        succeeded_numbers=succeeded,
    )


async def _apply_batches(plan: Plan, voice: VoiceService, progress: Progress | None) -> Outcome:
    total = sum(len(call.params["E164PhoneNumbers"]) for call in plan.calls)
    limit = asyncio.Semaphore(voice.settings.max_concurrency)
    done = 0
    failures: list[VoiceError] = []

    async def send(call: ApiCall) -> tuple[list[str], list[PhoneNumberError]]:
        nonlocal done
        numbers: list[str] = call.params["E164PhoneNumbers"]
        async with limit:
            try:
                response = await voice.apply(call.operation, call.region, call.params)
                errors = [
                    PhoneNumberError.model_validate(item) for item in response.get("PhoneNumberErrors") or []
                ]
            except VoiceError as error:
                failures.append(error)
                errors = [_batch_error(number, error) for number in numbers]
        failed = {error.phone_number_id for error in errors}
        done += len(numbers)
        if progress is not None:
            await progress(done, total)
        return [number for number in numbers if number not in failed], errors

    results = await asyncio.gather(*(send(call) for call in plan.calls))
    succeeded = [number for ok, _ in results for number in ok]
    number_errors = [error for _, errors in results for error in errors]
    status = "applied" if not number_errors else ("partial" if succeeded else "failed")
    return Outcome(
        plan=plan,
        status=status,
        succeeded_numbers=succeeded,
        number_errors=number_errors,
        error=ErrorInfo.of(failures[0]) if failures else None,
    )


def _numbers_of(call: ApiCall) -> list[str]:
    """The phone numbers a request acts on, so each is reported as succeeded or failed: a list of
    them, a number update's items, or the one number it names."""
    if "E164PhoneNumbers" in call.params:
        numbers: list[str] = call.params["E164PhoneNumbers"]
        return numbers
    items = call.params.get("UpdatePhoneNumberRequestItems")
    if items is not None:
        return [item["PhoneNumberId"] for item in items]
    return [call.params["PhoneNumberId"]] if "PhoneNumberId" in call.params else []


def _batch_error(number: str, error: VoiceError) -> PhoneNumberError:
    """A number whose whole request failed; says whether AWS may have acted on it anyway."""
    message = error.message
    if error.maybe_applied:
        message += " (the request may have been applied: check this number with `/voice number show`)"
    return PhoneNumberError(phone_number_id=number, error_code=error.code, error_message=message)
