#!/usr/bin/env bash
# Fuzzes every operation of the OpenAPI document with schemathesis (pinned in .ci/run):
# no response may be a 5xx, and every response must match the schema documented for its status.
#
#   scripts/fuzz-api.sh http://127.0.0.1:5000
#
# Environment: FUZZ_TOKEN        agent JWT sent as `Authorization: Bearer` (admin endpoints; without
#                                it they are fuzzed unauthenticated and answer 401)
#              FUZZ_SESSION_ID   an existing session that session-scoped operations use (see
#              FUZZ_GUEST_TOKEN  scripts/schemathesis.toml) and its guestToken, sent as X-Guest-Token
#              FUZZ_MAX_EXAMPLES  test cases per operation and phase (default 20)
#              FUZZ_SEED          hypothesis seed (default 1: the same cases every run)
#              FUZZ_CHECKS        schemathesis checks (default: no 5xx; status, body and content type
#                                 as documented; every error is documented as the envelope, see
#                                 src/common/http/openapi-errors.ts)
# Used by test/security/fuzz.e2e-spec.ts, which boots the app on the embedded database.
set -euo pipefail
base="${1:?usage: scripts/fuzz-api.sh <base url, e.g. http://127.0.0.1:5000>}"
# schemathesis, pinned: the installed one when it is that version, otherwise a private virtualenv
# under ~/.cache made on first use (like the embedded database), so `npm test` needs no setup.
version=4.32.5
venv="${XDG_CACHE_HOME:-$HOME/.cache}/live-chat-backend/schemathesis-$version"
if python3 -m schemathesis.cli --version 2>/dev/null | grep -q "$version"; then fuzzer=(python3 -m schemathesis.cli)
else
  if ! "$venv/bin/python" -m schemathesis.cli --version >/dev/null 2>&1; then
    echo "Installing schemathesis $version into $venv (first run only)..." >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$version" >&2
  fi
  fuzzer=("$venv/bin/python" -m schemathesis.cli)
fi

export FUZZ_SESSION_ID="${FUZZ_SESSION_ID:-session-fuzz-none}"
args=(
  --config-file "$(dirname "$0")/schemathesis.toml"
  run "$base/api/docs-json"
  --url "$base"
  --checks "${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance}"
  --phases examples,coverage,fuzzing
  --mode all
  --max-examples "${FUZZ_MAX_EXAMPLES:-20}"
  --seed "${FUZZ_SEED:-1}"
  --workers 1
  --request-timeout 10
  --generation-database none
  --suppress-health-check all
  --no-color
)
if [ -n "${FUZZ_TOKEN:-}" ]; then args+=(--header "Authorization: Bearer $FUZZ_TOKEN"); fi
if [ -n "${FUZZ_GUEST_TOKEN:-}" ]; then args+=(--header "X-Guest-Token: $FUZZ_GUEST_TOKEN"); fi
exec "${fuzzer[@]}" "${args[@]}"
