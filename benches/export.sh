#!/usr/bin/env bash
# Times whole `runbook export` processes of the federation trust rebuild with N additional
# domains: median wall time over repeated runs and peak resident memory (GNU time's %M).
# Target: 1,000 domains in <= 15 ms wall and <= 12 MiB peak for the whole process.
#
#   bash benches/export.sh            # 100, 1000 and 10000 domains, 30 runs each
#   bash benches/export.sh --quick    # 1000 domains, 10 runs (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=(100 1000 10000)
runs=30
if [[ "${1:-}" == "--quick" ]]; then
    sizes=(1000)
    runs=10
fi

cargo build --release --locked --quiet
bin=target/release/runbook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ms_now() { date +%s%N; }

printf '%-8s %12s %12s %12s %14s\n' domains "median ms" "min ms" "peak KiB" "output bytes"
for n in "${sizes[@]}"; do
    params="$work/params-$n.yaml"
    {
        echo "additional_domains:"
        for ((i = 0; i < n; i++)); do echo "  - d$i.contoso.com"; done
    } >"$params"
    args=(export exchange-federation-trust-rebuild --example --params "$params" --generated-at 2026-11-23T00:00:00Z)
    "$bin" "${args[@]}" >"$work/out.ps1"
    bytes=$(wc -c <"$work/out.ps1")
    if command -v hyperfine >/dev/null; then
        # hyperfine -N runs the binary without a shell in between: the process alone is timed.
        hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" \
            "$bin ${args[*]}" >/dev/null 2>&1
        median_us=$(python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print(int(r['median']*1e6))")
        min_us=$(python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print(int(r['min']*1e6))")
    else
        times=()
        for ((r = 0; r < runs; r++)); do
            t0=$(ms_now)
            "$bin" "${args[@]}" >/dev/null
            t1=$(ms_now)
            times+=($(((t1 - t0) / 1000)))
        done
        sorted=($(printf '%s\n' "${times[@]}" | sort -n))
        median_us=${sorted[$((runs / 2))]}
        min_us=${sorted[0]}
    fi
    peak=0
    if [[ -x /usr/bin/time ]]; then
        peak=$( { /usr/bin/time -f '%M' "$bin" "${args[@]}" >/dev/null; } 2>&1 | tail -n 1)
    fi
    printf '%-8s %12s %12s %12s %14s\n' "$n" \
        "$(awk "BEGIN{printf \"%.2f\", $median_us/1000}")" \
        "$(awk "BEGIN{printf \"%.2f\", $min_us/1000}")" "$peak" "$bytes"
done
