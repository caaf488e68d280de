"""The chime-sdk-voice endpoint: route, authenticate, inject faults, validate, apply, answer as AWS would."""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.sandbox.auth import SignedRequest, access_key, authenticate
from bot.sandbox.context import SandboxContext
from bot.sandbox.errors import ApiError, FrontDoorError, bad_request, not_found
from bot.sandbox.faults import RawAnswer
from bot.sandbox.handlers import HANDLERS, is_mutating
from bot.sandbox.model import SERVICE_MODEL
from bot.sandbox.routes import ROUTES, Route
from bot.sandbox.validation import decode_request

log = logging.getLogger(__name__)


class _Unparsable:
    """Marks a body that is not JSON, which is only reported once the request gets that far."""


def _parse_body(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return _Unparsable()


def error_response(error: ApiError) -> web.Response:
    """The rest-json error form botocore parses: the shape in x-amzn-ErrorType, Code/Message in the body."""
    return web.json_response(error.body(), status=error.status, headers={"x-amzn-ErrorType": error.shape})


def unknown_operation(method: str, path: str) -> FrontDoorError:
    """A method and path that name no operation: AWS's REST-JSON front door answers 404
    UnknownOperationException (com.amazon.coral.service#UnknownOperationException, as reported in
    boto/boto3#2909 and aws/aws-sdk-go#3542 for calls sent to the wrong path)."""
    return FrontDoorError("UnknownOperationException", f"No operation matches {method} {path}.", 404)


class ApiEndpoint:
    """aiohttp handler for every path outside /_sandbox/."""

    def __init__(self, context: SandboxContext) -> None:
        self._context = context

    async def handle(self, request: web.Request) -> web.StreamResponse:
        resolved = ROUTES.resolve(request.method, request.rel_url.raw_path, request.query)
        operation = None if resolved is None else resolved[0].operation
        raw = await request.read()
        body = _parse_body(raw)
        if self._context.recorder is not None:
            recorded = None if isinstance(body, _Unparsable) else body
            self._context.recorder.record(operation, request.method, request.path, request.query, recorded)
        signed = SignedRequest(
            request.method, request.rel_url.raw_path, request.rel_url.raw_query_string, request.headers, raw
        )
        try:
            region = authenticate(signed, self._context.credentials, datetime.now(UTC))
            if resolved is None:
                raise unknown_operation(request.method, request.path)
            route, labels = resolved
            if route.operation not in HANDLERS:
                raise not_found(f"{route.operation} is not implemented by the Switchboard sandbox.")
            return await self._dispatch(route, labels, region, request, body)
        except RawAnswer as answer:  # a load balancer's page or an unmodeled refusal, sent as it is
            return answer.response()
        except ApiError as error:
            return error_response(error)
        except Exception:
            log.exception("sandbox failed on %s %s", request.method, request.path)
            return error_response(ApiError("ServiceFailureException", "The sandbox hit an internal error."))

    async def _dispatch(
        self, route: Route, labels: dict[str, str], region: str, request: web.Request, body: Any
    ) -> web.StreamResponse:
        faults = self._context.faults
        await faults.delay()
        fault = faults.choose(route.operation, region)
        if fault is not None and fault.fault == "hang":
            await faults.pause(fault.seconds or 0.0)
        elif fault is not None and fault.fault == "lost_response":
            with contextlib.suppress(ApiError):
                self._apply(route, labels, region, request, body)
            raise fault.error()
        elif fault is not None:
            raise fault.error()
        result = self._apply(route, labels, region, request, body)
        if result is None:
            return web.Response(status=route.status)
        return web.json_response(result, status=route.status)

    def _apply(
        self, route: Route, labels: dict[str, str], region: str, request: web.Request, body: Any
    ) -> dict[str, Any] | None:
        if isinstance(body, _Unparsable):
            raise bad_request("The request body is not valid JSON.")
        operation = SERVICE_MODEL.operation_model(route.operation)
        params = decode_request(operation, labels, request.query, body)
        result = HANDLERS[route.operation](self._context.state, region, params)
        if is_mutating(route.operation):
            self._context.persist()
            key, source = access_key(request.headers), request.remote or "127.0.0.1"
            self._context.trail.record(
                route.operation, region, key, source, params, result, datetime.now(UTC)
            )
        return result
