#!/usr/bin/env bash
# Whole-process timings, the figures in benches/README.md:
#   1. `runbook validate` of every shipped runbook, each alone and all six in one process
#      (target: all shipped <= 5 ms);
#   2. `runbook export` of the rebuild with 100, 1,000 and 10,000 domains, with peak memory
#      (targets: 1,000 <= 15 ms and <= 12 MiB; 10,000 within 10x of 1,000)  -> benches/export.sh
#   3. the state file: scripted runs and `runbook resume` of a 10,000-event record -> benches/journal.sh
# In-process figures: `cargo bench --bench pipeline` and `cargo bench --bench state`.
#
#   bash benches/process.sh          # all three, about three minutes
#   bash benches/process.sh validate # one part: validate | export | resume
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:-all}

cargo build --release --locked --quiet
bin=$PWD/target/release/runbook
ids=($(ls runbooks | sed -n 's/\.yaml$//p'))

if [[ $part == all || $part == validate ]]; then
    echo "== validate (hyperfine -N, 50 runs; median ms)"
    for id in "${ids[@]}" ALL; do
        if [[ $id == ALL ]]; then args=("${ids[@]}"); label="all ${#ids[@]} in one process"; else args=("$id"); label=$id; fi
        if command -v hyperfine >/dev/null; then
            tmp=$(mktemp)
            hyperfine -N --warmup 5 --runs 50 --export-json "$tmp" "$bin validate ${args[*]}" >/dev/null 2>&1
            ms=$(python3 -c "import json;r=json.load(open('$tmp'))['results'][0];print('%.2f' % (r['median']*1e3))")
            rm -f "$tmp"
        else
            t0=$(date +%s%N); for _ in $(seq 20); do "$bin" validate "${args[@]}" >/dev/null; done; t1=$(date +%s%N)
            ms=$(awk "BEGIN{printf \"%.2f\", ($t1-$t0)/20/1e6}")
        fi
        printf '  %-45s %8s ms\n' "$label" "$ms"
    done
fi
if [[ $part == all || $part == export ]]; then
    echo "== export"
    bash benches/export.sh
fi
if [[ $part == all || $part == resume ]]; then
    echo "== resume"
    bash benches/journal.sh
fi
