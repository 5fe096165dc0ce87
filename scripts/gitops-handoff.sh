#!/usr/bin/env bash
# shellcheck disable=SC2016 # command strings in single quotes, expanded by eval
# The plan→apply hand-off of the GitOps workflows, run against a local
# sandbox: the agentform commands of plan.yml, apply.yml and drift.yml
# (examples/config-repo/.github/workflows, and this repository's own), in the
# order GitHub would run them, on the example config repository's manifests.
#
#   scripts/gitops-handoff.sh            build agentform from this checkout
#   AGENTFORM_BIN=path/to/agentform scripts/gitops-handoff.sh
#
# Pull requests are folders: each has the PR's manifests and the base
# branch's (base/, for --baseline); "main" is the folder apply runs in.
# Artifacts are folders named like the workflows' artifacts. Scenarios:
#   1. adopt: a first PR plans in shards, merge applies exactly that plan;
#      the nightly drift check is then clean
#   2. a base change reaching every location: planned, applied, clean
#   3. live state moved by hand between review and merge: apply refuses that
#      location as stale (exit 4) and applies the others; drift sees it; a
#      plan of main run by hand and its apply recover
#   4. another merge changed main's manifests after the plan: apply refuses
#      (exit 1) and writes nothing
#   5. a location without a working credential: its shard exits 1 but saves
#      its plan, the comment shows the failure, apply applies the others and
#      skips it (exit 1)
#
# Credentials: with "agency mode" in the CLI (agentform sandbox seed exists)
# the sandbox is seeded with the agency and its locations, and plan/drift
# get a read-only agency token, apply a write one, in HIGHLEVEL_AGENCY_TOKEN
# and HIGHLEVEL_COMPANY_ID, exactly as the workflows pass them. Without it,
# every manifest gets a tokenEnv (HL_TOKEN_1..N) and per-location tokens are
# minted with `sandbox token --location`. HANDOFF_AUTH=agency|location forces
# one. scripts/handoff_test.go runs this script in `go test` and checks that
# the command strings below are the workflows' own.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gitops-handoff.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${HANDOFF_KEEP:-}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The commands the workflows run, verbatim: the `command:` inputs of the
# action steps and the merge line of apply.yml (scripts/handoff_test.go).
# Like the action, as_reader and as_writer run them with eval, so the
# variables expand when they run (hence single quotes, SC2016).
VALIDATE_CMD='validate --format github "$MANIFESTS"'
PLAN_CMD='plan "$MANIFESTS" $BASELINE --shard "$SHARD/$SHARDS" --out "plans/plan-$SHARD.json" --detailed-exitcode'
MERGE_LINE='agentform show plans/plan-*.json --format json > merged-plan.json'
APPLY_CMD='apply --plan merged-plan.json "$MANIFESTS" --auto-approve --report apply-report.json 2>&1 | tee apply.txt'
DRIFT_CMD='plan "$MANIFESTS" --detailed-exitcode --out drift/plan.json --format markdown > drift/drift.md'

MANIFESTS=manifests
SHARDS=2
COMPANY=compBrightside
export MANIFESTS SHARDS

step() { printf '\n== %s\n' "$*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
expect() { # WANT GOT WHAT
  [ "$1" = "$2" ] || fail "$3: exit status $2, want $1"
  echo "ok: $3 (exit $2)"
}
json_count() { # FILE KEY: the first "KEY": N in a JSON file
  grep -Eo "\"$2\": *[0-9]+" "$1" | head -n 1 | grep -Eo '[0-9]+$'
}

# --- agentform, built once ----------------------------------------------------
mkdir -p "$work/bin"
if [ -n "${AGENTFORM_BIN:-}" ]; then
  cp "$AGENTFORM_BIN" "$work/bin/agentform"
else
  (cd "$root" && go build -o "$work/bin/agentform" ./cmd/agentform)
fi
export PATH="$work/bin:$PATH"
agentform version
if head=$(git -C "$root" rev-parse HEAD 2>/dev/null) && agentform version | grep -q '^commit [0-9a-f]'; then
  agentform version | grep -q "^commit $head" || fail "agentform version does not name the checkout's commit $head"
  echo "ok: agentform version names $head"
fi
if ! agentform validate --help | grep -q github; then
  echo "note: validate has no --format github yet; validating with text output"
  VALIDATE_CMD=${VALIDATE_CMD/--format github /}
fi

# --- the sandbox and the credentials -------------------------------------------
auth=${HANDOFF_AUTH:-}
if [ -z "$auth" ]; then
  if agentform sandbox --help | grep -Eq '^  seed '; then auth=agency; else auth=location; fi
fi
echo "credentials: $auth mode"

state="$work/sandbox.json"
# The example locations plus one the agency does not grant (scenario 5).
mkdir -p "$work/src"
cp -R "$root/examples/config-repo/manifests" "$work/src/manifests"
cat > "$work/src/houston.yaml" <<'EOF'
apiVersion: agentform/v1
kind: Location
location:
  id: Hx9Ou5St2Nn7Dd4Ee1Ff
  name: Brightside Dental Houston
vars:
  business: Brightside Dental Houston
  hours: Monday to Friday, 8am to 5pm
  calendar: Ch3Ou6St9Nn2Dd5Ee8Ff
agents:
  - name: Front Desk
    base: clinic/front-desk
    isPrimary: true
EOF
location_ids() { # the location ids of the manifests under $1, one a line
  find "$1" -name '*.yaml' -not -path '*/bases/*' | LC_ALL=C sort | while read -r f; do
    awk '/^location:/ { in_loc = 1; next } in_loc && /^  id:/ { print $2; in_loc = 0 }' "$f"
  done
}

read_token=() write_token=()
case "$auth" in
  agency)
    {
      echo "companies:"
      echo "  - id: $COMPANY"
      echo "    locations:"
      for id in $(location_ids "$work/src/manifests"); do echo "      - {id: $id, name: $id}"; done
    } > "$work/seed.yaml"
    agentform sandbox seed --state "$state" "$work/seed.yaml"
    ro=$(agentform sandbox token --state "$state" --company "$COMPANY" --scope readonly)
    rw=$(agentform sandbox token --state "$state" --company "$COMPANY" --scope write)
    read_token=("HIGHLEVEL_AGENCY_TOKEN=$ro" "HIGHLEVEL_COMPANY_ID=$COMPANY")
    write_token=("HIGHLEVEL_AGENCY_TOKEN=$rw" "HIGHLEVEL_COMPANY_ID=$COMPANY")
    ;;
  location)
    # Name a token variable in every manifest (agency mode needs none), mint
    # a read-only and a write token per location; Houston's stays unset.
    n=0
    for f in $(find "$work/src/manifests/locations" -name '*.yaml' | sort) "$work/src/houston.yaml"; do
      n=$((n + 1))
      id=$(location_ids "$f")
      sed -i.bak "/^location:/a\\
  tokenEnv: HL_TOKEN_$n
" "$f" && rm -f "$f.bak"
      [ "$f" = "$work/src/houston.yaml" ] && continue
      read_token+=("HL_TOKEN_$n=$(agentform sandbox token --state "$state" --location "$id" --scope readonly)")
      write_token+=("HL_TOKEN_$n=$(agentform sandbox token --state "$state" --location "$id" --scope write)")
    done
    ;;
  *) fail "HANDOFF_AUTH=$auth: want agency or location" ;;
esac

agentform sandbox serve --addr 127.0.0.1:0 --state "$state" --rate-limit off > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^sandbox listening on ' "$work/serve.log" && break
  kill -0 "$server_pid" 2>/dev/null || fail "sandbox serve stopped: $(cat "$work/serve.log")"
  sleep 0.1
done
endpoint=$(sed -n 's/^sandbox listening on //p' "$work/serve.log")
[ -n "$endpoint" ] || fail "sandbox serve did not start: $(cat "$work/serve.log")"
export AGENTFORM_ENDPOINT=$endpoint
echo "sandbox at $endpoint"

# --- the workflows' jobs --------------------------------------------------------
# as_reader CMD / as_writer CMD: run "agentform CMD" as the action does (eval)
# with only the read-only (plan, drift) or the write (apply) credential.
as_reader() { (for kv in "${read_token[@]}"; do export "${kv?}"; done; eval "agentform $1"); }
as_writer() { (for kv in "${write_token[@]}"; do export "${kv?}"; done; eval "agentform $1"); }

mkdir -p "$work/main" "$work/artifacts"

# open_pr NAME: a pull request against main: its manifests start as main's
# (base/ keeps main's for --baseline); edit them in $work/pr-NAME/manifests.
open_pr() {
  rm -rf "$work/pr-$1"
  mkdir -p "$work/pr-$1/base"
  if [ -d "$work/main/manifests" ]; then
    cp -R "$work/main/manifests" "$work/pr-$1/manifests"
    cp -R "$work/main/manifests" "$work/pr-$1/base/manifests"
  else
    cp -R "$work/src/manifests" "$work/pr-$1/manifests"
  fi
}

# plan_pr NAME: plan.yml on the pull request: setup (validate), one job per
# shard saving plans/plan-I.{json,log,exit} as artifact
# agentform-plan-<sha>-I-of-N, then the comment job's merged Markdown (in
# comment.md). Prints the shard exit statuses; the artifacts are uploaded
# whatever the shard's status.
plan_pr() {
  local dir="$work/pr-$1" sha status statuses=""
  sha=$(plan_sha "$dir/manifests")
  (cd "$dir" && eval "agentform $VALIDATE_CMD") >&2 || fail "$1: validate"
  for SHARD in $(seq 1 "$SHARDS"); do
    export SHARD
    (
      cd "$dir"
      mkdir -p plans
      BASELINE=""
      if [ -d "base/$MANIFESTS" ]; then BASELINE="--baseline base/$MANIFESTS"; fi
      export BASELINE
      status=0
      as_reader "$PLAN_CMD" 2> "plans/plan-$SHARD.log" > "plans/plan-$SHARD.txt" || status=$?
      echo "$status" > "plans/plan-$SHARD.exit"
      artifact="$work/artifacts/agentform-plan-$sha-$SHARD-of-$SHARDS"
      rm -rf "$artifact" && mkdir -p "$artifact"
      cp plans/plan-"$SHARD".* "$artifact/"
    )
    status=$(cat "$dir/plans/plan-$SHARD.exit")
    case "$status" in 0 | 1 | 2 | 3) ;; *) fail "$1: shard $SHARD/$SHARDS: unexpected exit $status: $(cat "$dir/plans/plan-$SHARD.log")" ;; esac
    statuses+="$status "
  done
  (
    cd "$dir"
    shopt -s nullglob
    files=(plans/plan-*.json)
    if [ "${#files[@]}" -eq "$SHARDS" ]; then
      agentform show "${files[@]}" --format markdown > comment.md
    else
      for f in "${files[@]}"; do agentform show "$f" --format markdown; done > comment.md
    fi
  )
  echo "$statuses"
}

# plan_sha DIR: the stand-in for the pull request's head commit.
plan_sha() {
  (cd "$1" && find . -type f | LC_ALL=C sort | xargs cat | { sha1sum 2>/dev/null || shasum; } | cut -c1-40)
}

# merge NAME: the pull request's manifests become main's.
merge() {
  rm -rf "$work/main/manifests"
  cp -R "$work/pr-$1/manifests" "$work/main/manifests"
}

# apply_plan_of NAME: apply.yml after the merge of NAME: download the
# artifacts of NAME's head, check every shard saved a plan, merge them and
# apply exactly that plan to main's manifests. Prints the exit status.
apply_plan_of() {
  local sha dir="$work/apply-$1" status=0
  sha=$(plan_sha "$work/pr-$1/manifests")
  rm -rf "$dir" && mkdir -p "$dir/plans"
  cp -R "$work/main/manifests" "$dir/manifests"
  for a in "$work/artifacts/agentform-plan-$sha-"*; do cp "$a"/* "$dir/plans/"; done
  (
    cd "$dir"
    for i in $(seq 1 "$SHARDS"); do
      [ -f "plans/plan-$i.json" ] || { echo "shard $i/$SHARDS saved no plan"; exit 1; }
    done
    eval "$MERGE_LINE"
  ) >&2 || fail "$1: the reviewed plan is incomplete"
  (cd "$dir" && as_writer "$APPLY_CMD") > "$dir/stdout.txt" 2>&1 || status=$?
  echo "$status"
}

# drift: drift.yml on main; prints the exit status.
drift() {
  local dir="$work/drift" status=0
  rm -rf "$dir" && mkdir -p "$dir/drift"
  cp -R "$work/main/manifests" "$dir/manifests"
  (cd "$dir" && as_reader "$DRIFT_CMD") 2> "$dir/drift/plan.log" || status=$?
  echo "$status"
}

# by_hand LOCATION_FILE SED: someone edits live state outside agentform (an
# out-of-band apply of an edited copy of one location's manifest).
by_hand() {
  local dir="$work/by-hand"
  rm -rf "$dir" && mkdir -p "$dir"
  cp -R "$work/main/manifests" "$dir/manifests"
  find "$dir/manifests/locations" -name '*.yaml' -not -name "$1" -delete
  sed -i.bak "$2" "$dir/manifests/locations/$1" && rm -f "$dir/manifests/locations/$1.bak"
  (cd "$dir" && as_writer 'apply manifests --auto-approve') > "$dir/out.txt" 2>&1 ||
    fail "the edit by hand failed: $(cat "$dir/out.txt")"
}

report() { echo "$work/apply-$1/apply-report.json"; }

step "1. adopt: plan the first pull request in $SHARDS shards, apply exactly that plan on merge"
open_pr adopt
statuses=$(plan_pr adopt)
for s in $statuses; do [ "$s" = 2 ] || [ "$s" = 0 ] || fail "adopt: shard exit $s"; done
grep -q . "$work/pr-adopt/comment.md" || fail "adopt: empty comment"
merge adopt
expect 0 "$(apply_plan_of adopt)" "apply --plan of the adopt plan"
created=$(json_count "$(report adopt)" created)
[ "${created:-0}" -gt 0 ] || fail "adopt: report says $created created"
echo "ok: $created objects created"
expect 0 "$(drift)" "drift check after the adoption"

step "2. a base change that reaches every location"
open_pr base
sed -i.bak 's/^goal: Book appointments/goal: Book visits/' "$work/pr-base/manifests/bases/clinic/front-desk.yaml" && rm -f "$work/pr-base/manifests/bases/clinic/front-desk.yaml.bak"
statuses=$(plan_pr base)
for s in $statuses; do [ "$s" = 2 ] || [ "$s" = 0 ] || fail "base: shard exit $s"; done
merge base
expect 0 "$(apply_plan_of base)" "apply --plan of the base change"
updated=$(json_count "$(report base)" updated)
echo "ok: $updated objects updated"
[ "${updated:-0}" -ge 2 ] || fail "base: $updated updated, want one per location using the base with its own goal"
expect 0 "$(drift)" "drift check after the base change"

step "3. live state moves by hand between review and merge"
open_pr stale
sed -i.bak 's/give the$/give them/' "$work/pr-stale/manifests/locations/brightside-vet-denver.yaml"
sed -i.bak 's/9am to 5pm/9am to 6pm/' "$work/pr-stale/manifests/locations/brightside-dental-dallas.yaml"
rm -f "$work/pr-stale/manifests/locations/"*.bak
plan_pr stale > /dev/null
by_hand brightside-vet-denver.yaml 's/^  - name: After Hours$/&\n    sleepOnManualMessage: true/'
merge stale
expect 4 "$(apply_plan_of stale)" "apply --plan refuses the location that moved"
stale_n=$(json_count "$(report stale)" staleLocations)
[ "$stale_n" = 1 ] || fail "stale: $stale_n stale locations in the report, want 1"
grep -q '"outcome": *"stale"' "$(report stale)" || fail "stale: no stale location in the report"
grep -q 'Mv3Tb8Nq1Ws5Xe9Rc2Uk' "$work/apply-stale/apply.txt" || fail "stale: the apply output does not name the stale location"
grep -q '"outcome": *"applied"' "$(report stale)" || fail "stale: the other location was not applied"
echo "ok: the stale location is named, the other applied"
expect 2 "$(drift)" "drift check sees what was not applied"
# The way on: plan.yml run by hand on main, reviewed, then apply.yml by hand.
open_pr recover
plan_pr recover > /dev/null
expect 0 "$(apply_plan_of recover)" "apply --plan of main's plan made by hand"
expect 0 "$(drift)" "drift check after the recovery"

step "4. main's manifests changed after the plan was made"
open_pr late
sed -i.bak 's/7am to 9pm/7am to 10pm/' "$work/pr-late/manifests/locations/brightside-vet-denver.yaml" && rm -f "$work/pr-late/manifests/locations/"*.bak
plan_pr late > /dev/null
merge late
sed -i.bak 's/8am to 6pm/8am to 7pm/' "$work/main/manifests/locations/brightside-dental-austin.yaml" && rm -f "$work/main/manifests/locations/"*.bak
expect 1 "$(apply_plan_of late)" "apply --plan refuses other manifests"
[ ! -e "$(report late)" ] || fail "late: a report was written, so apply ran"
expect 2 "$(drift)" "drift check: nothing was written"
open_pr late-recover
plan_pr late-recover > /dev/null
expect 0 "$(apply_plan_of late-recover)" "apply --plan of main's plan made by hand"

step "5. a location whose credential does not work"
open_pr houston
cp "$work/src/houston.yaml" "$work/pr-houston/manifests/locations/brightside-dental-houston.yaml"
sed -i.bak 's/^goal: Book visits/goal: Book visits and check-ups/' "$work/pr-houston/manifests/bases/clinic/front-desk.yaml" && rm -f "$work/pr-houston/manifests/bases/clinic/"*.bak
statuses=$(plan_pr houston)
echo "shard statuses: $statuses"
case " $statuses " in *" 1 "*) ;; *) fail "houston: no shard exited 1 ($statuses)" ;; esac
for i in $(seq 1 "$SHARDS"); do
  [ -f "$work/pr-houston/plans/plan-$i.json" ] || fail "houston: shard $i saved no plan"
done
grep -q 'Hx9Ou5St2Nn7Dd4Ee1Ff' "$work/pr-houston/comment.md" || fail "houston: the comment does not show the failed location"
echo "ok: every shard saved its plan; the comment shows the failed location"
merge houston
expect 1 "$(apply_plan_of houston)" "apply --plan applies the others and skips the failed location"
grep -q '"outcome": *"skipped"' "$(report houston)" || fail "houston: the failed location is not reported as skipped"
updated=$(json_count "$(report houston)" updated)
[ "${updated:-0}" -ge 2 ] || fail "houston: $updated updated, want the other locations applied"
echo "ok: the others were applied ($updated updates), the failed location skipped"

printf '\nPASS: the plan→apply hand-off (%s mode)\n' "$auth"
