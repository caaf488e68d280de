#!/usr/bin/env bash
# deploy/Dockerfile's steps without a Docker engine, so CI exercises what the image would do:
#
#   build stage  copy the build context (what the Dockerfile COPYs), `pip wheel --no-deps` of the
#                project, a fresh venv, the wheel installed into it with its dependencies; the wheel
#                must hold every module of bot/ and commands/
#   runtime      in an empty working directory with an empty environment (as in the image):
#                `switchboard --help`; `switchboard serve` with no settings must refuse to start
#                (exit 2) naming SLACK_BOT_TOKEN; `switchboard serve --sandbox` must pass the image's
#                own HEALTHCHECK command, answer /readyz, and stop cleanly (exit 0) on SIGTERM
#
# Everything happens in a temporary directory, removed at the end. Servers listen on 127.0.0.1 only;
# the pip steps reach the package index as `docker build` would.
#
# Usage: scripts/docker-steps.sh        PYTHON=/path/to/python3.11 chooses the interpreter.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
dockerfile="$repo/deploy/Dockerfile"
# The build context: what deploy/Dockerfile COPYs (tests/test_deploy.py checks that they agree).
# README.md is optional there too (COPY README.md*).
CONTEXT=(pyproject.toml README.md bot commands voice_domain)

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '==> %s\n' "$*"; }
fail() {
  printf 'docker-steps: FAILED: %s\n' "$*" >&2
  exit 1
}

step "build context: ${CONTEXT[*]}"
mkdir -p "$work/src" "$work/run" "$work/home"
for path in "${CONTEXT[@]}"; do
  if [[ -e "$repo/$path" ]]; then
    cp -R "$repo/$path" "$work/src/"
  elif [[ "$path" != README.md ]]; then
    fail "the build context lacks $path"
  fi
done
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +

step "pip wheel --no-deps (build stage)"
"$python" -m venv "$work/venv"
venv_python="$work/venv/bin/python"
"$venv_python" -m pip wheel --quiet --no-deps --wheel-dir "$work/wheels" "$work/src"
wheels=("$work"/wheels/switchboard-*.whl)
[[ -f "${wheels[0]}" ]] || fail "pip wheel built no switchboard wheel"
wheel="${wheels[0]}"

step "install ${wheel##*/} into a fresh venv"
"$venv_python" -m pip install --quiet "$wheel"

step "the wheel holds every module of the build context"
"$venv_python" - "$wheel" "$work/src" <<'EOF'
import sys
import zipfile
from pathlib import Path

wheel, source = Path(sys.argv[1]), Path(sys.argv[2])
packed = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
wanted = {
    path.relative_to(source).as_posix()
    for top in ("bot", "commands")
    for path in (source / top).rglob("*.py")
}
missing = sorted(wanted - packed)
if missing:
    sys.exit(f"modules missing from the wheel: {missing}")
print(f"{len(wanted)} modules packed")
EOF

# The container's view: only the venv on PATH, no AWS or Slack settings, an empty HOME and working
# directory, no instance-metadata lookups (nothing but loopback is reached).
clean_env=(
  env -i
  PATH="$work/venv/bin:/usr/bin:/bin"
  HOME="$work/home"
  LANG=C.UTF-8
  PYTHONDONTWRITEBYTECODE=1
  PYTHONUNBUFFERED=1
  AWS_EC2_METADATA_DISABLED=true
  AWS_CONFIG_FILE="$work/home/absent-aws-config"
  AWS_SHARED_CREDENTIALS_FILE="$work/home/absent-aws-credentials"
)
cd "$work/run"

step "switchboard --help"
"${clean_env[@]}" switchboard --help >"$work/help.out"
grep -q "serve" "$work/help.out" || fail "switchboard --help does not list serve"

step "switchboard serve with no settings refuses to start, naming the setting"
free_port() { "$venv_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
status=0
"${clean_env[@]}" timeout 60 switchboard serve --host 127.0.0.1 --port "$(free_port)" \
  >"$work/unconfigured.out" 2>"$work/unconfigured.err" || status=$?
cat "$work/unconfigured.err"
[[ "$status" -eq 2 ]] || fail "serve without settings exited $status, expected 2"
grep -q "SLACK_BOT_TOKEN is not set" "$work/unconfigured.err" ||
  fail "serve without settings did not name SLACK_BOT_TOKEN"

step "switchboard serve --sandbox answers the image's HEALTHCHECK"
port="$(free_port)"
probe="$("$venv_python" - "$dockerfile" "$port" <<'EOF'
import json
import sys

lines = open(sys.argv[1]).read().replace("\\\n", " ").splitlines()
healthcheck = next(line for line in lines if line.startswith("HEALTHCHECK"))
argv = json.loads(healthcheck[healthcheck.index(" CMD ") + 5 :])
if argv[:2] != ["python", "-c"] or ":3000/" not in argv[2]:
    sys.exit(f"unexpected HEALTHCHECK command {argv}")
print(argv[2].replace(":3000/", f":{sys.argv[2]}/"))
EOF
)"
"${clean_env[@]}" SLACK_BOT_TOKEN=xoxb-docker-steps SLACK_SIGNING_SECRET=docker-steps \
  switchboard serve --host 127.0.0.1 --port "$port" --sandbox >"$work/serve.log" 2>&1 &
server_pid=$!
healthy=""
for _ in $(seq 1 150); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/serve.log"
    fail "serve --sandbox exited before it was healthy"
  fi
  if "${clean_env[@]}" python -c "$probe" 2>/dev/null; then
    healthy=yes
    break
  fi
  sleep 0.2
done
[[ -n "$healthy" ]] || { cat "$work/serve.log"; fail "serve --sandbox never passed the HEALTHCHECK"; }
"${clean_env[@]}" python -c "${probe//\/healthz//readyz}" || fail "/readyz did not answer 200"

step "SIGTERM stops it cleanly"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
cat "$work/serve.log"
[[ "$status" -eq 0 ]] || fail "serve exited $status after SIGTERM, expected 0"

step "docker-steps: all steps passed"
