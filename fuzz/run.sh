#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for a bounded time.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]     default: 60 s each, all four targets
#
# Corpora grow in fuzz/corpus/<target>/ (not committed), seeded from the real samples, PngSuite and
# the prompts and queries below; crashes are written to fuzz/crashes/<target>/. The last lines of
# each run (executions, coverage, corpus) are collected in fuzz/out/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzJSON FuzzPromptParameters FuzzSearchQuery FuzzPNGSplit)
shared="${MJARCHIVE_SHARED:-../shared}"
out=fuzz/out
mkdir -p "$out"

echo "building ${targets[*]} (release, -sanitize=fuzzer,address)…"
for target in "${targets[@]}"; do
  MJARCHIVE_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address >"$out/build-$target.log" 2>&1 \
    || { tail -20 "$out/build-$target.log"; exit 1; }
done
bin="$(MJARCHIVE_FUZZ=1 swift build -c release --scratch-path .build-fuzz --show-bin-path)"

seed() {
  local target="$1" corpus="fuzz/corpus/$1"
  mkdir -p "$corpus"
  case "$target" in
    FuzzJSON)
      cp "$shared"/api/samples/*.json "$corpus/" 2>/dev/null || true
      printf '[1,2.50,-0e+3,"\\u00e9\\ud83e\\udd8a"]' >"$corpus/numbers"
      printf '{"a":1}\n{"a":2}\n[{"id":"1"},{"id":"2"}]' >"$corpus/sequence" ;;
    FuzzPromptParameters)
      printf 'red fox in snow --ar 16:9 --v 6.1 --stylize 250' >"$corpus/1"
      printf 'https://s.mj.run/abc.png a cat --no dogs, cars --sref 123 456 --sw 50 --tile' >"$corpus/2"
      printf '一只黑猫 --niji 6 --style raw --seed 42 —ar 3:2 --q .5 --iw 2 --cref https://x/y.png --cw 0' >"$corpus/3" ;;
    FuzzSearchQuery)
      printf 'fox NOT snow' >"$corpus/1"; printf '"red fox" OR 猫' >"$corpus/2"
      printf 'prompt:fox* AND (cat OR dog)' >"$corpus/3"; printf 'NEAR(red fox, 3) 16:9 red-car --tile' >"$corpus/4"
      printf '黑猫 final_prompt:"a b" ^start' >"$corpus/5" ;;
    FuzzPNGSplit)
      cp "$shared"/testdata/pngsuite/*.png "$corpus/" 2>/dev/null || true ;;
  esac
}

: >"$out/summary.txt"
status=0
for target in "${targets[@]}"; do
  seed "$target"
  mkdir -p "fuzz/crashes/$target"
  echo "fuzzing $target for $seconds s…"
  MJARCHIVE_SAMPLES="$shared/api/samples" "$bin/$target" "fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/crashes/$target/" >"$out/$target.log" 2>&1 || status=1
  {
    echo "== $target"
    grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)' "$out/$target.log" | tail -2 || true
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$out/$target.log" || true
    grep -E 'ERROR: |Fatal error|==ERROR' "$out/$target.log" | head -3 || true
  } | tee -a "$out/summary.txt"
done
exit $status
