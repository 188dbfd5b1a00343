#!/usr/bin/env bash
# The longer fuzz run (docs/fuzzing.md): each target in turn, one at a time, for SECONDS
# (default 180), niced; corpora grow in fuzz/corpus/TARGET, logs and crashes go to
# fuzz/artifacts/. Prints one line per target; exits 1 if any target found a crash.
#
#   fuzz/campaign.sh [SECONDS] [TARGET ...]
set -u
cd "$(dirname "$0")/.."
seconds=${1:-180}
[ "$#" -gt 0 ] && shift
targets=${*:-text markdown html eml export zendesk helpscout gorgias intercom zoning lint}
py=${PYTHON:-.venv/bin/python}
mkdir -p fuzz/corpus fuzz/artifacts
status=0
for t in $targets; do
  "$py" fuzz/seeds.py "$t" "fuzz/corpus/$t" >/dev/null
  log="fuzz/artifacts/$t.log"
  start=$(date +%s)
  nice -n 10 "$py" fuzz/fuzz_readers.py "$t" "fuzz/corpus/$t" -max_total_time="$seconds" \
    -max_len=16384 -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t-" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  corpus=$(ls "fuzz/corpus/$t" | wc -l)
  verdict="no crash"
  if [ "$rc" -ne 0 ]; then
    verdict="CRASH (exit $rc): $(ls -t fuzz/artifacts/"$t"-* 2>/dev/null | head -1)"
    status=1
  fi
  echo "$t: ${runs:-?} executions in $(( $(date +%s) - start )) s (${rate:-?}/s), ${cov:-cov: ?}, corpus $corpus, $verdict"
done
exit "$status"
