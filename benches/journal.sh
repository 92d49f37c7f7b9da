#!/usr/bin/env bash
# The state file's targets, measured on whole processes (release build):
#   - a scripted rebuild run with 2,000 additional domains (about 8,000 units): <= 30 s, and
#     <= 4.5x the 500-domain run; its peak memory <= 32 MiB;
#   - `runbook resume` of a record of about 10,000 events up to its first prompt: <= 30 ms.
# Appends per transition are measured by `cargo bench --bench state`.
#
#   bash benches/journal.sh      # a minute or two; most of it is fsync
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=$PWD/target/release/runbook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
domains() {
    echo "additional_domains:"
    for ((i = 0; i < $1; i++)); do echo "  - d$i.contoso.com"; done
}
printf 'default: done\n' >a.yaml
for n in 500 2000; do
    domains "$n" >"p$n.yaml"
    for round in 1 2; do
        rm -f "s$n.json"*
        /usr/bin/time -f "run, $n domains (round $round): %e s wall, %U s user, %S s sys, %M KiB peak" \
            "$bin" run exchange-federation-trust-rebuild --example --params "p$n.yaml" \
            --answers a.yaml --state "s$n.json" >/dev/null 2>"err$n"
        tail -n 1 "err$n"
    done
    echo "  record: $(wc -c <"s$n.json") bytes, $(($(wc -l <"s$n.json") - 1)) events"
done
# About 10,000 events: 750 domains, the last step failed so the record stays resumable.
domains 750 >p750.yaml
printf 'default: done\nsteps:\n  harden-federation-trust: {fail: benchmark stop}\n' >f.yaml
"$bin" run exchange-federation-trust-rebuild --example --params p750.yaml --answers f.yaml \
    --state r.json >/dev/null 2>&1 || true
echo "resume: $(wc -c <r.json) bytes, $(($(wc -l <r.json) - 1)) events"
# An answers file that answers nothing: resume reads, checks and folds the record, starts the
# engine and stops before the first unit's question (exit 3), recording nothing, so every round
# starts from the same file. Without a terminal and without answers it would refuse earlier.
printf 'steps: {}\n' >none.yaml
if command -v hyperfine >/dev/null; then
    hyperfine -N -i --warmup 3 --runs 30 "$bin resume $work/r.json --answers $work/none.yaml"
else
    for _ in 1 2 3; do
        /usr/bin/time -f '%e s' "$bin" resume r.json --answers none.yaml >/dev/null 2>&1 || true
    done
fi
