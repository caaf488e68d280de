"""Applying a plan: send its requests in order and report exactly what happened.

Every number of an association is accounted for once: either in `succeeded_numbers` or in
`number_errors` with AWS's code and message. A failure part-way stops the remaining requests and
says which were sent.
"""

from typing import Any

from bot.aws_errors import VoiceError
from bot.models import PhoneNumberError, VoiceConnector, VoiceConnectorGroup
from bot.results import ErrorInfo, Outcome, Plan
from bot.voice import VoiceService

_NUMBER_OPERATIONS = frozenset(
    {"AssociatePhoneNumbersWithVoiceConnectorGroup", "DisassociatePhoneNumbersFromVoiceConnectorGroup"}
)


async def apply_plan(plan: Plan, voice: VoiceService) -> Outcome:
    responses: list[dict[str, Any]] = []
    succeeded: list[str] = []
    number_errors: list[PhoneNumberError] = []
    created: VoiceConnector | VoiceConnectorGroup | None = None
    reconciled = False
    for call in plan.calls:
        try:
            response = await voice.apply(call.operation, call.region, call.params)
        except VoiceError as error:
            status = "partial" if responses else "failed"
            return Outcome(
                plan=plan,
                status=status,
                succeeded_numbers=succeeded,
                number_errors=number_errors,
                error=ErrorInfo.of(error),
                responses=responses,
            )
        responses.append(response)
        if call.operation in _NUMBER_OPERATIONS:
            errors = [
                PhoneNumberError.model_validate(item) for item in response.get("PhoneNumberErrors") or []
            ]
            failed = {error.phone_number_id for error in errors}
            succeeded += [number for number in call.params["E164PhoneNumbers"] if number not in failed]
            number_errors += errors
        if "VoiceConnector" in response:
            created = VoiceConnector.model_validate(response["VoiceConnector"])
        if "VoiceConnectorGroup" in response:
            created = VoiceConnectorGroup.model_validate(response["VoiceConnectorGroup"])
        reconciled = reconciled or bool(response.get("Reconciled"))
    status = "applied"
    if number_errors:
        status = "partial" if succeeded else "failed"
    return Outcome(
        plan=plan,
        status=status,
        succeeded_numbers=succeeded,
        number_errors=number_errors,
        created=created,
        reconciled=reconciled,
        responses=responses,
    )
