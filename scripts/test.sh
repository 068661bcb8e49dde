#!/usr/bin/env bash
# Runs the whole suite and ends with a plain "N passed, N failed" line summed from the TRX results.
set -uo pipefail
cd "$(dirname "$0")/.."
results=TestResults/trx
rm -rf "$results"
export BACKUPPANEL_ARTIFACTS="$PWD/TestResults/artifacts"
dotnet test BackupPanel.sln --no-restore -c Release --logger "trx;LogFilePrefix=run" --results-directory "$results" \
  --logger "console;verbosity=minimal"
status=$?
passed=0; failed=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f2=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f2:-0}))
done
# Leftover throwaway clusters from a crashed run (tests stop their own).
for d in /tmp/bp-pg-*/data; do [ -d "$d" ] || continue; PGB=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$PGB/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1; else "$PGB/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1; fi; done
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
