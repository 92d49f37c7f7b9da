#!/usr/bin/env bash
# Times `runbook resume` of a state with about 10,000 events up to its first prompt (target:
# <= 30 ms). The state comes from a real scripted run of the rebuild with 1,100 additional
# domains whose last step failed; resume without answers and without a terminal stops exactly
# where a terminal would show the first prompt (exit 3), so the process time is what we want.
#
#   bash benches/resume.sh      # takes about two minutes, most of it making the state
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=$PWD/target/release/runbook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
{
    echo "additional_domains:"
    for ((i = 0; i < 1100; i++)); do echo "  - d$i.contoso.com"; done
} >p.yaml
printf 'default: done\nsteps:\n  harden-federation-trust: {fail: benchmark stop}\n' >a.yaml
"$bin" run exchange-federation-trust-rebuild --example --params p.yaml --answers a.yaml \
    --state s.json >/dev/null 2>&1 || true
events=$(($(wc -l <s.json) - 1))
echo "state: $(wc -c <s.json) bytes, $events events"
if command -v hyperfine >/dev/null; then
    hyperfine -N -i --warmup 3 --runs 30 "$bin resume $work/s.json"
else
    for _ in 1 2 3; do /usr/bin/time -f '%e s' "$bin" resume s.json >/dev/null 2>&1 || true; done
fi
