#!/usr/bin/env bash
# The test suite under AddressSanitizer (with LeakSanitizer) and ThreadSanitizer, each in its own
# build folder (.build-address, .build-thread). .ci/run runs both after the plain tests.
#   Scripts/sanitize.sh [address] [thread]      default: both
# Leaks inside the toolchain's own libraries are suppressed by name (Scripts/lsan-suppressions.txt);
# a report in mjarchive's code fails the run. The test binary passes these settings on to the
# mjarchive processes it starts, which are instrumented too.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
export LSAN_OPTIONS="suppressions=$PWD/Scripts/lsan-suppressions.txt:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1"
for sanitizer in "${sanitizers[@]}"; do
  echo "== swift test --sanitize=$sanitizer"
  start=$(date +%s)
  log=".build-$sanitizer.log"
  status=0
  swift test --sanitize="$sanitizer" --scratch-path ".build-$sanitizer" >"$log" 2>&1 || status=$?
  grep -E "Test run with|Executed [0-9]+ tests" "$log" | tail -2 || true
  # A sanitizer report fails the run even where the test that caused it passed.
  reports=$(grep -cE "(ERROR|WARNING): (AddressSanitizer|LeakSanitizer|ThreadSanitizer)" "$log" || true)
  echo "$sanitizer: exit $status, $reports sanitizer reports, $(($(date +%s) - start)) s (log: $log)"
  if [ "$status" -ne 0 ] || [ "$reports" -ne 0 ]; then
    grep -E -A 30 "(ERROR|WARNING): (AddressSanitizer|LeakSanitizer|ThreadSanitizer)" "$log" | head -120 || true
    grep -E "✘" "$log" | head -20 || true
    exit 1
  fi
done
