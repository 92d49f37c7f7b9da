#!/usr/bin/env bash
# Builds every fuzz target and runs each for a bounded time; fails if any of them crashes.
#
#   bash fuzz/run.sh [SECONDS_PER_TARGET]      (default 20)
#
# Uses the nightly toolchain with AddressSanitizer when one is installed. With only stable, it
# builds with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs `-Z` flags), still with AddressSanitizer.
# RUNBOOK_FUZZ_TOOLCHAIN=stable|nightly forces one; RUNBOOK_FUZZ_SANITIZER=none|address|... picks
# the sanitizer. Fuzzer output goes to fuzz/logs/<target>.log; one summary line per target here.
# New corpus entries are kept in fuzz/corpus/<target>/ (ignored by git, see fuzz/.gitignore).
set -euo pipefail

seconds=${1:-20}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "usage: bash fuzz/run.sh [SECONDS_PER_TARGET]" >&2
    exit 2
fi

cd "$(dirname "${BASH_SOURCE[0]}")"
mkdir -p logs

targets=(runbook_load answers_file state_file param_value quote_roundtrip)

dict_for() {
    case $1 in
        runbook_load) echo "-dict=dict/runbook.dict" ;;
        answers_file) echo "-dict=dict/answers.dict" ;;
        state_file) echo "-dict=dict/state.dict" ;;
    esac
}

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked >logs/install.log 2>&1 || {
        tail -n 30 logs/install.log >&2
        exit 1
    }
fi

toolchain=${RUNBOOK_FUZZ_TOOLCHAIN:-}
if [[ -z $toolchain ]] && cargo +nightly --version >/dev/null 2>&1; then
    toolchain=nightly
fi
if [[ -n $toolchain ]]; then
    cargo_fuzz=(cargo "+$toolchain" fuzz)
else
    cargo_fuzz=(cargo fuzz) # the default toolchain, stable on most machines
    toolchain="default toolchain, $(rustc --version | cut -d' ' -f2)"
fi
if [[ $toolchain != nightly* ]]; then
    # cargo-fuzz passes `-Zsanitizer` and `-Cpasses=sancov-module`: allowed on stable this way.
    export RUSTC_BOOTSTRAP=1
fi
sanitizer=${RUNBOOK_FUZZ_SANITIZER:-address}
flags=(--sanitizer "$sanitizer")

started=$(date +%s)
echo "building ${#targets[@]} fuzz targets ($toolchain, sanitizer $sanitizer; log: fuzz/logs/build.log)"
if ! "${cargo_fuzz[@]}" build "${flags[@]}" >logs/build.log 2>&1; then
    tail -n 40 logs/build.log >&2
    echo "error: building the fuzz targets failed (fuzz/logs/build.log)" >&2
    exit 1
fi
echo "built in $(($(date +%s) - started)) s"

failed=()
for target in "${targets[@]}"; do
    log=logs/$target.log
    # shellcheck disable=SC2046 # the dictionary option is one word or none
    if "${cargo_fuzz[@]}" run "${flags[@]}" "$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        $(dict_for "$target") >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        failed+=("$target")
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
    printf '%-16s %-6s %10s runs  cov %-6s corpus %s\n' \
        "$target" "$result" "${runs:-?}" "${cov:-?}" "${corp:-?}"
    if [[ $result != ok ]]; then
        grep -E "panicked at|^SUMMARY|Test unit written to|ERROR: libFuzzer" "$log" | head -n 8 | sed 's/^/    /'
    fi
done

echo "total $(($(date +%s) - started)) s"
if ((${#failed[@]})); then
    echo "error: crashes in: ${failed[*]} (logs in fuzz/logs/, inputs in fuzz/artifacts/; see fuzz/README.md)" >&2
    exit 1
fi
