#!/usr/bin/env bash
# Kill testing (issue 10): scripts/crash-test.sh [N]
#
# Starts the real command line doing one of five kinds of work, kills it with
# SIGKILL at a random moment while the work is under way, and checks the file:
#   edits      `cabildo write-loop`: every entry it reported committed is there
#   merge      `cabildo merge` of a ~20,000-record file: all of it or none
#   cdp        `cabildo import-cdp` of CDP's 2018 list: all of it or none
#   restore    `cabildo restore-backup`: the state before or the backup, whole
#   migration  a version 1 file upgraded on open: version 1 or the latest, records intact
# and for every kind: the file opens, passes integrity_check, and any backup left
# under its final name is whole. N kills in all (default 100), spread evenly over
# the kinds. A run that ends before its kill (exit status 0) is not counted as a
# kill: the script says how many there were. Exits non-zero on any failure.
#
# Environment: CARGO_TARGET_DIR (where the CLI is built), CRASH_CLI (a built CLI
# to use instead), CRASH_KINDS (a comma-separated subset of the kinds),
# CRASH_SEED (bash's RANDOM seed).
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

N=${1:-100}
KINDS=${CRASH_KINDS:-edits,merge,cdp,restore,migration}
RANDOM=${CRASH_SEED:-$$}
IFS=, read -r -a kinds <<<"$KINDS"

if [ -n "${CRASH_CLI:-}" ]; then
  CLI=$CRASH_CLI
else
  cargo build --quiet --bin cabildo || die "the command line does not build"
  CLI=$CLI_BIN
fi
[ -x "$CLI" ] || die "no $CLI"
CDP_CSV="$ROOT/../shared/data/cdp-cities-disclosing-2018.csv"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cabildo-crash-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

ms() { date +%s%3N; }

# Removes a database and its companions.
drop_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; rm -rf "$(dirname "$1")/backups"; }

# Copies a closed database (and nothing else) to a fresh name.
fresh() { drop_db "$2"; cp "$1" "$2"; }

check() { "$CLI" crash-check "$@" 2>&1; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }

section "crash test: setup in $WORK"
"$CLI" demo local0.cabildo --anchor 2026-06-30 >/dev/null || die "demo"
"$CLI" generate big.cabildo --cities 17 --seed 7 >/dev/null 2>&1 || die "generate"
before_merge=$(check local0.cabildo)
info "big.cabildo: $(field records "$(check big.cabildo)") records; local0: $(field records "$before_merge")"

# The merge, uninterrupted: its time and its result.
fresh local0.cabildo expected-merge.cabildo
t0=$(ms)
"$CLI" merge expected-merge.cabildo big.cabildo >/dev/null 2>&1 || die "merge"
d_merge=$(($(ms) - t0))
after_merge=$(check expected-merge.cabildo)

# The restore: state B (merged) back to A (the backup the merge took of local0).
cp "$(ls backups/expected-merge-*.cabildo | head -1)" state-a.cabildo
rm -rf backups
"$CLI" crash-check expected-merge.cabildo >/dev/null
cp expected-merge.cabildo state-b.cabildo
state_a=$(check state-a.cabildo)
state_b=$(check state-b.cabildo)
fresh state-b.cabildo expected-restore.cabildo
t0=$(ms)
"$CLI" restore-backup expected-restore.cabildo state-a.cabildo >/dev/null 2>&1 || die "restore"
d_restore=$(($(ms) - t0))

# The CDP import: the counts before and after.
fresh local0.cabildo expected-cdp.cabildo
t0=$(ms)
"$CLI" import-cdp expected-cdp.cabildo "$CDP_CSV" >/dev/null 2>&1 || die "cdp"
d_cdp=$(($(ms) - t0))
after_cdp=$(check expected-cdp.cabildo)

# A version 1 file with 150,000 cost entries, upgraded on open.
python3 - "$ROOT/src/store/schema/001_initial.sql" v1.cabildo <<'PY' || die "v1 file"
import sqlite3, sys
schema, out = sys.argv[1], sys.argv[2]
c = sqlite3.connect(out)
c.executescript(open(schema).read())
c.execute("PRAGMA application_id = %d" % 0x43424C44)
c.execute("PRAGMA user_version = 1")
c.executescript("""
INSERT INTO settings VALUES ('office_id', '00000000-0000-4000-8000-0000000000f1'),
  ('office_name', 'Old office'), ('reporting_currency', 'MXN'), ('language', 'es');
INSERT INTO city (id, created_at, updated_at, updated_by, deleted, name, country)
  VALUES ('c1', 1, 1, '00000000-0000-4000-8000-0000000000f1', 0, 'Ciudad Vieja', 'MX');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
INSERT INTO cost_entry (id, created_at, updated_at, updated_by, deleted, city_id, spent_on, category, amount_minor, currency, description)
  SELECT printf('cost-%06d', i), i, i, '00000000-0000-4000-8000-0000000000f1', 0, 'c1', '2024-01-01', 'travel', i, 'MXN', 'old entry ' || i FROM n;
""")
c.commit()
c.close()
PY
before_migration=$(check v1.cabildo)
fresh v1.cabildo expected-v2.cabildo
t0=$(ms)
"$CLI" merge expected-v2.cabildo state-a.cabildo --dry-run >/dev/null 2>&1
d_migration=$(($(ms) - t0))
after_migration=$(check expected-v2.cabildo)
rm -f ./*.bak

# The edits: a writer's start-up and a few hundred milliseconds of writing.
t0=$(ms)
"$CLI" crash-check local0.cabildo >/dev/null
d_start=$(($(ms) - t0))
d_edits=600

info "uninterrupted: merge ${d_merge} ms, restore ${d_restore} ms, cdp ${d_cdp} ms, migration ${d_migration} ms; start-up ${d_start} ms"
for v in "$before_merge" "$after_merge" "$after_cdp" "$state_a" "$state_b" "$before_migration" "$after_migration"; do
  [ "$(field integrity "$v")" = ok ] || die "a reference state is not sound: $v"
done
# The schema version this build writes: one migration file per version.
latest=$(find "$ROOT/src/store/schema" -name '*.sql' | wc -l)
[ "$(field version "$after_migration")" = "$latest" ] || die "the migration did not run: $after_migration"

declare -A kills missed failed
# The longest delay for each kind: an uninterrupted run's time, shortened each
# time a run ends before its kill (the machine may be faster than at setup).
declare -A window=([edits]=$((d_start + d_edits)) [merge]=$d_merge [cdp]=$d_cdp [restore]=$d_restore [migration]=$d_migration)
failures=0

fail() {
  failures=$((failures + 1))
  failed[$kind]=$((${failed[$kind]:-0} + 1))
  info "FAILED $kind (round $round, killed after ${delay} ms): $*"
}

# Any file named as a backup (not .partial) must be a whole database.
check_backups() {
  local b
  for b in backups/*.cabildo ./*.bak; do
    [ -e "$b" ] || continue
    local state
    state=$(check "$b")
    [ "$(field integrity "$state")" = ok ] || fail "backup $b is not whole: $state"
  done
}

# A random delay within the work: after start-up, before the uninterrupted end.
delay_within() {
  local total=$1
  local span=$((total > d_start ? total - d_start : 1))
  echo $((d_start + (RANDOM * 32768 + RANDOM) % span))
}

run_and_kill() {
  # $1: delay in ms; the rest: the command. Sets `status` (137 when killed).
  local wait_ms=$1
  shift
  "$@" >out.txt 2>err.txt &
  local pid=$!
  sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null
  status=$?
}

section "crash test: $N kills over: ${kinds[*]}"
started=$(ms)
round=0
while [ "$round" -lt "$N" ]; do
  kind=${kinds[$((round % ${#kinds[@]}))]}
  case "$kind" in
    edits)
      fresh local0.cabildo work.cabildo
      : >ids.txt
      delay=$(delay_within "${window[edits]}")
      "$CLI" write-loop work.cabildo >ids.txt 2>/dev/null &
      pid=$!
      sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
      kill -KILL "$pid" 2>/dev/null
      { wait "$pid"; } 2>/dev/null
      status=$?
      ;;
    merge)
      fresh local0.cabildo work.cabildo
      delay=$(delay_within "${window[merge]}")
      run_and_kill "$delay" "$CLI" merge work.cabildo big.cabildo
      ;;
    cdp)
      fresh local0.cabildo work.cabildo
      delay=$(delay_within "${window[cdp]}")
      run_and_kill "$delay" "$CLI" import-cdp work.cabildo "$CDP_CSV"
      ;;
    restore)
      fresh state-b.cabildo work.cabildo
      delay=$(delay_within "${window[restore]}")
      run_and_kill "$delay" "$CLI" restore-backup work.cabildo state-a.cabildo
      ;;
    migration)
      rm -f ./*.bak ./*.bak.partial
      fresh v1.cabildo work.cabildo
      delay=$(delay_within "${window[migration]}")
      run_and_kill "$delay" "$CLI" merge work.cabildo state-a.cabildo --dry-run
      ;;
    *) die "unknown kind $kind" ;;
  esac
  if [ "$status" -ne 137 ]; then
    # The work ended before the kill: not a kill, try again.
    missed[$kind]=$((${missed[$kind]:-0} + 1))
    shorter=$((${window[$kind]} * 3 / 4))
    window[$kind]=$((shorter > d_start + 5 ? shorter : d_start + 5))
    continue
  fi
  round=$((round + 1))
  kills[$kind]=$((${kills[$kind]:-0} + 1))
  if [ "$kind" = edits ]; then
    state=$(check work.cabildo --ids ids.txt)
  else
    state=$(check work.cabildo)
  fi
  if [ "$(field integrity "$state")" != ok ]; then
    fail "does not open or is damaged: $state"
    continue
  fi
  digest=$(field digest "$state")
  records=$(field records "$state")
  case "$kind" in
    edits)
      [ "$(field missing "$state")" = 0 ] || fail "committed entries lost: $state"
      ;;
    merge)
      [ "$digest" = "$(field digest "$before_merge")" ] || [ "$digest" = "$(field digest "$after_merge")" ] ||
        fail "neither before nor after the merge: $state"
      ;;
    cdp)
      [ "$records" = "$(field records "$before_merge")" ] || [ "$records" = "$(field records "$after_cdp")" ] ||
        fail "neither before nor after the import: $state"
      ;;
    restore)
      [ "$digest" = "$(field digest "$state_b")" ] || [ "$digest" = "$(field digest "$state_a")" ] ||
        fail "neither before nor after the restore: $state"
      ;;
    migration)
      [ "$digest" = "$(field digest "$before_migration")" ] || fail "records changed: $state"
      version=$(field version "$state")
      { [ "$version" -ge 1 ] && [ "$version" -le "$latest" ]; } 2>/dev/null || fail "version: $state"
      ;;
  esac
  check_backups
done

section "crash test: summary"
total_missed=0
for kind in "${kinds[@]}"; do
  info "$(printf '%-10s kills %5d  failed %3d  ended before the kill %3d' "$kind" "${kills[$kind]:-0}" "${failed[$kind]:-0}" "${missed[$kind]:-0}")"
  total_missed=$((total_missed + ${missed[$kind]:-0}))
done
info "$N kills, $failures failed, $total_missed runs ended before their kill, $((($(ms) - started) / 1000)) s"
[ "$failures" -eq 0 ]
