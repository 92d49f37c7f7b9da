#!/usr/bin/env bash
# Checks are called through the CHECKS list, which shellcheck does not follow:
# shellcheck disable=SC2317
#
# Windows smoke test: cross-compile runbook.exe for x86_64-pc-windows-gnu, run it under Wine, and
# compare what it writes with what the Linux binary writes for the same inputs (byte for byte).
#
#   bash tests/windows/smoke.sh            # install what is missing, build both binaries, test
#   bash tests/windows/smoke.sh --no-build # reuse the binaries already built in the target dir
#
# Environment:
#   CARGO_TARGET_DIR   where cargo builds (default: <repo>/target, as in CI)
#   WINE               the Wine loader to use (default: wine64, /usr/lib/wine/wine64 or wine)
#   KEEP_TMP=1         keep the temporary folder (run folder, Wine prefix, outputs) afterwards;
#                      it is always kept when a check fails, and its path is printed
#
# Installs when missing (root or sudo): the rustup target x86_64-pc-windows-gnu, and Debian's
# gcc-mingw-w64-x86-64 (the linker, see .cargo/config.toml) and wine64 (Wine 8).
#
# Nothing is written into the repository or next to the release binaries: runbook.exe is copied
# into a temporary run folder together with the test-only bcryptprimitives.dll shim (see
# bcryptprimitives.c for why), and Wine gets a fresh WINEPREFIX in that temporary folder.
#
# Output: one PASS/FAIL line per check, then a last line "N passed, M failed". Exit status 0 only
# when nothing failed (a setup failure counts as a failure).
#
# To add a check: write a function check_<name> that calls pass/fail, and list it in CHECKS below.

set -uo pipefail

readonly TARGET=x86_64-pc-windows-gnu
readonly GENERATED_AT=2026-11-23T08:00:00Z
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly ROOT
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# cargo runs from $ROOT below: make a relative CARGO_TARGET_DIR mean what it meant here.
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$PWD/$TARGET_DIR ;; esac
export CARGO_TARGET_DIR=$TARGET_DIR
readonly TARGET_DIR
BUILD=1
for arg in "$@"; do
    case $arg in
        --no-build) BUILD=0 ;;
        -h | --help) sed -n '5,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "smoke.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

PASSED=0
FAILED=0
TMP=""
WINE=${WINE:-}
WINESERVER=""

# ---------------------------------------------------------------------------------------------
# Reporting

pass() {
    PASSED=$((PASSED + 1))
    echo "PASS: $1"
}

# fail DESCRIPTION [DETAIL...]: the details are printed indented under the FAIL line.
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL: $1"
    shift
    local line
    for line in "$@"; do
        printf '%s\n' "$line" | head -n 40 | sed 's/^/      /'
    done
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

finish() {
    if [ -n "$TMP" ] && { [ "${KEEP_TMP:-0}" = 1 ] || [ "$FAILED" -ne 0 ]; }; then
        echo "kept for inspection: $TMP"
    fi
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}

# A setup step failed: nothing after it can run.
abort() {
    fail "$@"
    finish
}

cleanup() {
    if [ -n "$WINESERVER" ] && [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ]; then
        "$WINESERVER" -k >/dev/null 2>&1 || true
    fi
    if [ -n "$TMP" ] && [ -d "$TMP" ]; then
        # finish() has said where it is when it is kept.
        if [ "${KEEP_TMP:-0}" != 1 ] && [ "$FAILED" -eq 0 ]; then
            rm -rf "$TMP"
        fi
    fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Setup

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

find_wine() {
    [ -n "$WINE" ] && [ -x "$(command -v "$WINE")" ] && return 0
    local candidate
    # Debian's wine64 package puts the 64-bit loader in /usr/lib/wine/, not on PATH; the
    # `wine` package (a wrapper on PATH) is only a recommendation of it.
    for candidate in "$(command -v wine64)" /usr/lib/wine/wine64 "$(command -v wine)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            WINE=$candidate
            return 0
        fi
    done
    return 1
}

ensure_tools() {
    local t0
    t0=$(now)
    if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
        echo "== rustup target add $TARGET"
        rustup target add "$TARGET" || abort "setup: rustup target add $TARGET"
    fi
    local missing=()
    command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
    find_wine || missing+=(wine64)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "== apt-get install ${missing[*]}"
        as_root apt-get update -qq || abort "setup: apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null || abort "setup: apt-get install ${missing[*]}"
        find_wine || abort "setup: no Wine loader found after installing wine64"
    fi
    WINESERVER=$(dirname "$WINE")/wineserver
    [ -x "$WINESERVER" ] || WINESERVER=$(command -v wineserver || echo /usr/lib/wine/wineserver)
    echo "   tools ready ($(elapsed "$t0")): wine: $WINE ($("$WINE" --version 2>/dev/null))"
}

build() {
    cd "$ROOT" || abort "setup: cd $ROOT"
    local t0
    if [ "$BUILD" = 1 ]; then
        echo "== cargo build --release --locked --target $TARGET"
        t0=$(now)
        cargo build --release --locked --target "$TARGET" || abort "build: windows ($TARGET)"
        echo "   windows build: $(elapsed "$t0")"
        echo "== cargo build --release --locked"
        t0=$(now)
        cargo build --release --locked || abort "build: linux"
        echo "   linux build: $(elapsed "$t0")"
    fi
    WIN_EXE=$TARGET_DIR/$TARGET/release/runbook.exe
    LINUX_BIN=$TARGET_DIR/release/runbook
    [ -f "$WIN_EXE" ] || abort "build: $WIN_EXE missing"
    [ -x "$LINUX_BIN" ] || abort "build: $LINUX_BIN missing"
}

# The run folder: runbook.exe, the shim DLL beside it, the Wine prefix, and an output folder
# whose path has a space and a non-ASCII letter in it.
prepare() {
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/runbook-winsmoke.XXXXXX") || abort "setup: mktemp"
    RUN=$TMP/run
    OUT="$TMP/out dir ä"
    mkdir -p "$RUN" "$OUT" "$TMP/prefix" || abort "setup: mkdir in $TMP"
    cp "$WIN_EXE" "$RUN/runbook.exe" || abort "setup: copy runbook.exe"
    x86_64-w64-mingw32-gcc -shared -O2 -s -Wall -Wextra -o "$RUN/bcryptprimitives.dll" \
        "$ROOT/tests/windows/bcryptprimitives.c" -ladvapi32 \
        || abort "setup: build the bcryptprimitives.dll shim"
}

start_wine() {
    export WINEPREFIX=$TMP/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    # Wine turns the Unix argv into UTF-16 with the locale's encoding: a C locale would garble
    # non-ASCII arguments before runbook.exe ever saw them.
    export LC_ALL=C.UTF-8
    echo "== wineboot (fresh prefix $WINEPREFIX)"
    local t0 log
    t0=$(now)
    log=$TMP/wineboot.log
    # The prefix is created on the first start (slow); the missing 32-bit half (wine32) only
    # costs a harmless "syswow64\rundll32.exe" message in the log.
    timeout 600 "$WINE" wineboot --init </dev/null >"$log" 2>&1 \
        || abort "setup: wineboot --init" "$(cat "$log")"
    # Keep one wineserver for the whole run, so each runbook.exe starts in milliseconds.
    "$WINESERVER" -p >/dev/null 2>&1 || true
    echo "   first wine start: $(elapsed "$t0")"
    # Status 53 with "bcryptprimitives.dll ... not found" means the shim is missing or does not
    # export ProcessPrng. On failure, run it again with Wine's error messages on, to show why.
    local version
    if ! version=$(win --version 2>"$TMP/start.err"); then
        WINEDEBUG=err+all win --version >/dev/null 2>>"$TMP/start.err"
        abort "setup: runbook.exe --version under Wine" "$(cat "$TMP/start.err")"
    fi
    echo "   runs under Wine: $version"
}

# ---------------------------------------------------------------------------------------------
# Helpers for checks

# The Windows path of a Unix path, as Wine's default Z: drive maps it.
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# win ARGS...: run runbook.exe under Wine, stdin closed, in the folder $IN (default: the run
# folder; `IN=$ROOT win ...` runs it in the repository). Stdout and stderr go through pipes, which
# Wine passes unchanged (no CRLF translation), so they compare byte for byte with Linux's.
win() {
    (cd "${IN:-$RUN}" && timeout 120 "$WINE" "$RUN/runbook.exe" "$@" </dev/null)
}

# linux ARGS...: the same command with the Linux binary.
linux() {
    (cd "${IN:-$RUN}" && timeout 120 "$LINUX_BIN" "$@" </dev/null)
}

# Capture both binaries' stdout, stderr and status for the same arguments into $TMP/cmp.{linux,windows}.*
# The caller gives the Linux and Windows argument lists separated by `--`.
run_both() {
    local largs=() wargs=()
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do largs+=("$1"); shift; done
    shift
    wargs=("$@")
    linux "${largs[@]}" >"$TMP/cmp.linux.out" 2>"$TMP/cmp.linux.err"
    echo $? >"$TMP/cmp.linux.rc"
    win "${wargs[@]}" >"$TMP/cmp.windows.out" 2>"$TMP/cmp.windows.err"
    echo $? >"$TMP/cmp.windows.rc"
}

# same_as_linux DESCRIPTION [SED-EXPR]: compare the last run_both; SED-EXPR rewrites the Windows
# stdout/stderr first (e.g. to turn a Windows path in a message back into the Linux one).
same_as_linux() {
    local desc=$1 fix=${2:-}
    local stream
    for stream in out err; do
        if [ -n "$fix" ]; then
            sed "$fix" "$TMP/cmp.windows.$stream" >"$TMP/cmp.windows.$stream.fixed"
        else
            cp "$TMP/cmp.windows.$stream" "$TMP/cmp.windows.$stream.fixed"
        fi
    done
    local lrc wrc
    lrc=$(cat "$TMP/cmp.linux.rc")
    wrc=$(cat "$TMP/cmp.windows.rc")
    if [ "$lrc" != "$wrc" ]; then
        fail "$desc" "exit status: linux $lrc, windows $wrc" "windows stderr:" "$(cat "$TMP/cmp.windows.err")"
    elif ! cmp -s "$TMP/cmp.linux.out" "$TMP/cmp.windows.out.fixed"; then
        fail "$desc" "stdout differs:" "$(diff "$TMP/cmp.linux.out" "$TMP/cmp.windows.out.fixed" | cat -A)"
    elif ! cmp -s "$TMP/cmp.linux.err" "$TMP/cmp.windows.err.fixed"; then
        fail "$desc" "stderr differs:" "$(diff "$TMP/cmp.linux.err" "$TMP/cmp.windows.err.fixed" | cat -A)"
    else
        pass "$desc"
    fi
}

# same_file DESCRIPTION LINUX_FILE WINDOWS_FILE
same_file() {
    local desc=$1 lfile=$2 wfile=$3
    if [ ! -f "$wfile" ]; then
        fail "$desc" "windows wrote no $wfile"
    elif ! cmp "$lfile" "$wfile" >"$TMP/cmp.log" 2>&1; then
        fail "$desc" "$(cat "$TMP/cmp.log")" "$(diff <(cat -A "$lfile") <(cat -A "$wfile"))"
    else
        pass "$desc"
    fi
}

# Shipped runbook ids: the file stems of runbooks/*.yaml.
IDS=()
for f in "$ROOT"/runbooks/*.yaml; do
    [ -e "$f" ] && IDS+=("$(basename "$f" .yaml)")
done

# ---------------------------------------------------------------------------------------------
# Checks

check_list() {
    run_both list -- list
    same_as_linux "list: same output as on Linux"
    local id missing=()
    for id in "${IDS[@]}"; do
        grep -q "^$id " "$TMP/cmp.windows.out" || missing+=("$id")
    done
    if [ "${#missing[@]}" -eq 0 ] && [ "$(cat "$TMP/cmp.windows.rc")" = 0 ]; then
        pass "list: every shipped runbook listed (${#IDS[@]})"
    else
        fail "list: every shipped runbook listed" "missing: ${missing[*]:-(none)}" \
            "status: $(cat "$TMP/cmp.windows.rc")"
    fi
    run_both list --format json -- list --format json
    same_as_linux "list --format json: same output as on Linux"
}

check_validate_shipped() {
    local id
    for id in "${IDS[@]}"; do
        run_both validate "$id" -- validate "$id"
        if [ "$(cat "$TMP/cmp.windows.rc")" != 0 ]; then
            fail "validate $id: exit 0" "status $(cat "$TMP/cmp.windows.rc")" "$(cat "$TMP/cmp.windows.err")"
        else
            same_as_linux "validate $id: ok, same output as on Linux"
        fi
    done
}

# The shipped runbooks given as file paths: absolute (Z:\...) and relative with backslashes.
check_validate_paths() {
    local id rel abs
    for id in "${IDS[@]}"; do
        rel=runbooks/$id.yaml
        abs=$ROOT/runbooks/$id.yaml
        IN=$ROOT win validate "$(winpath "$abs")" "${rel//\//\\}" \
            >"$TMP/cmp.windows.out" 2>"$TMP/cmp.windows.err"
        local rc=$?
        if [ "$rc" = 0 ] && grep -qF "$(winpath "$abs"): ok" "$TMP/cmp.windows.out" \
            && grep -qF "${rel//\//\\}: ok" "$TMP/cmp.windows.out"; then
            pass "validate $id by Windows paths (absolute and relative)"
        else
            fail "validate $id by Windows paths (absolute and relative)" "status $rc" \
                "$(cat "$TMP/cmp.windows.out" "$TMP/cmp.windows.err")"
        fi
    done
}

# The invalid fixtures: same problems, same positions, same status as on Linux. The Windows run
# names them with backslashes; only that prefix is turned back for the comparison.
check_validate_invalid_fixtures() {
    local files=() f
    for f in "$ROOT"/tests/fixtures/invalid/*.yaml; do
        [ -e "$f" ] && files+=("tests/fixtures/invalid/$(basename "$f")")
    done
    [ "${#files[@]}" -gt 0 ] || return 0
    IN=$ROOT linux validate "${files[@]}" >"$TMP/cmp.linux.out" 2>"$TMP/cmp.linux.err"
    echo $? >"$TMP/cmp.linux.rc"
    IN=$ROOT win validate "${files[@]//\//\\}" >"$TMP/cmp.windows.out" 2>"$TMP/cmp.windows.err"
    echo $? >"$TMP/cmp.windows.rc"
    same_as_linux "validate ${#files[@]} invalid fixtures: same errors and status as on Linux" \
        's|tests\\fixtures\\invalid\\|tests/fixtures/invalid/|g'
}

# The PowerShell checks (tree-sitter's C parser in the Windows binary): the lint fixtures give
# the same findings, positions and status as on Linux, and their clean forms validate.
check_validate_lint_fixtures() {
    local files=() f
    for f in "$ROOT"/tests/fixtures/lint/*.yaml "$ROOT"/tests/fixtures/lint/clean/*.yaml; do
        [ -e "$f" ] && files+=("${f#"$ROOT"/}")
    done
    [ "${#files[@]}" -gt 0 ] || return 0
    IN=$ROOT linux validate "${files[@]}" >"$TMP/cmp.linux.out" 2>"$TMP/cmp.linux.err"
    echo $? >"$TMP/cmp.linux.rc"
    IN=$ROOT win validate "${files[@]//\//\\}" >"$TMP/cmp.windows.out" 2>"$TMP/cmp.windows.err"
    echo $? >"$TMP/cmp.windows.rc"
    same_as_linux "validate ${#files[@]} lint fixtures: same findings and status as on Linux" \
        's|tests\\fixtures\\lint\\clean\\templates\\|tests/fixtures/lint/clean/templates/|g; s|tests\\fixtures\\lint\\clean\\|tests/fixtures/lint/clean/|g; s|tests\\fixtures\\lint\\templates\\|tests/fixtures/lint/templates/|g; s|tests\\fixtures\\lint\\|tests/fixtures/lint/|g'
}

# export_format FORMAT EXT: every shipped runbook, --output to a Windows path (over an existing
# file, which the atomic write must replace), compared byte for byte with Linux's export.
export_format() {
    local format=$1 ext=$2 id lfile wfile
    for id in "${IDS[@]}"; do
        lfile=$OUT/$id.linux.$ext
        wfile=$OUT/$id.windows.$ext
        linux export "$id" --example --generated-at "$GENERATED_AT" --format "$format" \
            --output "$lfile" 2>"$TMP/cmp.linux.err" \
            || { fail "export $id --format $format (linux reference)" "$(cat "$TMP/cmp.linux.err")"; continue; }
        echo "stale content to be replaced" >"$wfile"
        if ! win export "$id" --example --generated-at "$GENERATED_AT" --format "$format" \
            --output "$(winpath "$wfile")" 2>"$TMP/cmp.windows.err"; then
            fail "export $id --format $format --output Z:\\...: exit 0" "$(cat "$TMP/cmp.windows.err")"
            continue
        fi
        same_file "export $id --format $format --output Z:\\...: same bytes as on Linux" "$lfile" "$wfile"
        # Streaming to stdout (a pipe) must give the same bytes as --output.
        win export "$id" --example --generated-at "$GENERATED_AT" --format "$format" \
            >"$OUT/$id.stdout.$ext" 2>/dev/null
        same_file "export $id --format $format to stdout: same bytes as --output" "$lfile" "$OUT/$id.stdout.$ext"
    done
    # The atomic write must not leave its temporary file behind.
    local leftovers="" f
    for f in "$OUT"/* "$OUT"/.[!.]*; do
        [ -e "$f" ] || continue
        case $f in *.ps1 | *.md | *.yaml) ;; *) leftovers+="$(basename "$f") " ;; esac
    done
    if [ -z "$leftovers" ]; then
        pass "export --format $format: no temporary files left in the output folder"
    else
        fail "export --format $format: no temporary files left in the output folder" "$leftovers"
    fi
}

check_export_ps1() {
    export_format ps1 ps1
    # Sanity of the reference itself: UTF-8 BOM and CRLF only, so cmp above covered both.
    local id f
    for id in "${IDS[@]}"; do
        f=$OUT/$id.windows.ps1
        [ -f "$f" ] || continue
        if [ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" = efbbbf ] \
            && grep -q $'\r$' "$f" \
            && [ "$(grep -cE $'(^|[^\r])$' "$f")" = 0 ]; then
            pass "export $id ps1 on Windows: UTF-8 BOM and CRLF line endings"
        else
            fail "export $id ps1 on Windows: UTF-8 BOM and CRLF line endings"
        fi
    done
}

check_export_markdown() {
    export_format markdown md
}

# Parameters from a --params file at a Windows path with a space and a non-ASCII letter in it,
# and non-ASCII --set values (Windows passes argv as UTF-16).
check_export_params_unicode() {
    local id=exchange-federation-trust-rebuild
    [ -f "$ROOT/runbooks/$id.yaml" ] || return 0
    local params="$OUT/params ü.yaml"
    printf '%s\n' 'change_ticket: "CHG-Ä0042"' 'record_folder: "D:\\Änderungen\\fed rebuild"' >"$params"
    local set=(--set 'certificate_friendly_name=Fédération — Zürich ✓' --set 'additional_domains=fabrikam.com,sales.contoso.com')
    linux export "$id" --example --generated-at "$GENERATED_AT" --params "$params" "${set[@]}" \
        --output "$OUT/params.linux.ps1" 2>"$TMP/cmp.linux.err" \
        || { fail "export $id --params (linux reference)" "$(cat "$TMP/cmp.linux.err")"; return; }
    if ! win export "$id" --example --generated-at "$GENERATED_AT" --params "$(winpath "$params")" \
        "${set[@]}" --output "$(winpath "$OUT/params.windows.ps1")" 2>"$TMP/cmp.windows.err"; then
        fail "export $id --params Z:\\...\\params ü.yaml --set non-ASCII: exit 0" "$(cat "$TMP/cmp.windows.err")"
        return
    fi
    same_file "export $id --params Z:\\...\\params ü.yaml --set non-ASCII: same bytes as on Linux" \
        "$OUT/params.linux.ps1" "$OUT/params.windows.ps1"
}

# Errors keep their exit codes on Windows: 1 for an unknown runbook, 2 for a usage error.
check_exit_codes() {
    run_both show no-such-runbook -- show no-such-runbook
    same_as_linux "show no-such-runbook: same error and status (1) as on Linux"
    run_both export --format docx x -- export --format docx x
    same_as_linux "export --format docx: same usage error and status (2) as on Linux" 's|runbook\.exe|runbook|g'
}

# `--output NUL` (the Windows null device) is written through, never replaced by a rename.
check_export_to_nul_device() {
    if win export "${IDS[0]}" --example --generated-at "$GENERATED_AT" --output NUL \
        >"$TMP/nul.out" 2>"$TMP/nul.err" && [ ! -s "$TMP/nul.out" ]; then
        pass "export --output NUL: exit 0, nothing written"
    else
        fail "export --output NUL: exit 0, nothing written" "$(cat "$TMP/nul.err")"
    fi
}

# ---------------------------------------------------------------------------------------------
# Runs, resumes and locks: the state storage's Windows code paths (rename over a file that is
# not open, a lock on the sibling `.lock` file).

# A scripted run that stops part-way (exit 3), with its state in a folder whose path has spaces,
# then a resume to completion.
check_run_stop_resume_spaces() {
    local dir="$OUT/state dir with spaces" state
    mkdir -p "$dir"
    state=$(winpath "$dir/run.state.json")
    printf 'steps:\n  check-time-skew: done\n  show-federation-trust: done\n' >"$dir/partial.yaml"
    printf 'default: done\n' >"$dir/all.yaml"
    win run exchange-federation-trust-rebuild --example --state "$state" \
        --answers "$(winpath "$dir/partial.yaml")" --operator alice >"$TMP/run.out" 2>"$TMP/run.err"
    local rc=$?
    # The Exchange Management Shell (PowerShell) takes a single-quoted path with spaces;
    # `--operator` comes with it.
    if [ "$rc" != 3 ] || ! grep -q "resume with: runbook resume 'Z:.*' --operator alice" "$TMP/run.err"; then
        fail "run: stops with exit 3 and the resume command" "status $rc" "$(cat "$TMP/run.err")"
        return
    fi
    pass "run: stops with exit 3 and a quoted Windows resume command"
    if win resume "$state" --answers "$(winpath "$dir/all.yaml")" --operator bob \
        >"$TMP/resume.out" 2>"$TMP/resume.err"; then
        pass "resume: completes the run from a folder with spaces"
    else
        fail "resume: completes the run from a folder with spaces" "$(cat "$TMP/resume.err")"
        return
    fi
    win status "$state" --format json >"$TMP/status.json" 2>"$TMP/status.err"
    if grep -q '"complete": true' "$TMP/status.json" && grep -q '"operator": "alice"' "$TMP/status.json" \
        && grep -q '"operator": "bob"' "$TMP/status.json"; then
        pass "status: complete, both operators recorded"
    else
        fail "status: complete, both operators recorded" "$(head -c 2000 "$TMP/status.json")" "$(cat "$TMP/status.err")"
    fi
    if ls -A "$dir" | grep -q '\.tmp$'; then
        fail "state folder: no temp files left" "$(ls -A "$dir")"
    else
        pass "state folder: no temp files left"
    fi
}

check_resume_refuses_corrupt_state() {
    local dir="$OUT/corrupt state" before
    mkdir -p "$dir"
    printf '{"format": 1, "runb' >"$dir/bad.json"
    before=$(sha256sum "$dir/bad.json")
    win resume "$(winpath "$dir/bad.json")" >"$TMP/corrupt.out" 2>"$TMP/corrupt.err"
    local rc=$?
    if [ "$rc" = 1 ] && grep -q 'not a runbook state file' "$TMP/corrupt.err" \
        && [ "$(sha256sum "$dir/bad.json")" = "$before" ] && [ ! -e "$dir/bad.json.lock" ]; then
        pass "resume: a corrupt state is refused (exit 1), untouched"
    else
        fail "resume: a corrupt state is refused (exit 1), untouched" "status $rc" "$(cat "$TMP/corrupt.err")"
    fi
}

# A first resume holds the lock while it waits (a scripted `wait: 6s`); a second one is refused.
check_resume_refuses_second_holder() {
    local dir="$OUT/locked state" state pid
    mkdir -p "$dir"
    cat >"$dir/hold.yaml" <<'YAML'
id: hold
title: Hold the lock
version: '1'
steps:
  - id: first
    title: First
    kind: instruction
  - id: dns
    title: Wait for DNS
    kind: wait
    interval: 1s
    command: nslookup -querytype=txt contoso.com
YAML
    printf 'steps:\n  first: done\n' >"$dir/first.yaml"
    printf 'steps:\n  dns: {wait: 6s}\n' >"$dir/wait.yaml"
    state=$(winpath "$dir/h.json")
    win run "$(winpath "$dir/hold.yaml")" --state "$state" --answers "$(winpath "$dir/first.yaml")" \
        >/dev/null 2>"$TMP/hold1.err"
    win resume "$state" --answers "$(winpath "$dir/wait.yaml")" --operator alice \
        >/dev/null 2>"$TMP/hold2.err" &
    pid=$!
    local i
    for i in $(seq 1 100); do
        # The journal's line for the wait step being started: the first resume holds the lock.
        grep -q '"event":"started","unit":"dns"' "$dir/h.json" 2>/dev/null && break
        sleep 0.1
    done
    win resume "$state" --operator bob >"$TMP/second.out" 2>"$TMP/second.err"
    local rc=$?
    wait "$pid"
    local first_rc=$?
    if [ "$rc" = 1 ] && grep -q 'is in use by alice on ' "$TMP/second.err"; then
        pass "resume: a second concurrent resume is refused, naming the holder"
    else
        fail "resume: a second concurrent resume is refused, naming the holder" "status $rc" \
            "$(cat "$TMP/second.err")" "first: $(cat "$TMP/hold2.err")"
    fi
    if [ "$first_rc" = 0 ]; then
        pass "resume: the lock holder finishes its run"
    else
        fail "resume: the lock holder finishes its run" "status $first_rc" "$(cat "$TMP/hold2.err")"
    fi
}

CHECKS=(
    check_list
    check_validate_shipped
    check_validate_paths
    check_validate_invalid_fixtures
    check_validate_lint_fixtures
    check_export_ps1
    check_export_markdown
    check_export_params_unicode
    check_exit_codes
    check_export_to_nul_device
    check_run_stop_resume_spaces
    check_resume_refuses_corrupt_state
    check_resume_refuses_second_holder
)

main() {
    local t_all t0 check
    t_all=$(now)
    [ "${#IDS[@]}" -gt 0 ] || abort "setup: no runbooks in $ROOT/runbooks"
    ensure_tools
    build
    prepare
    start_wine
    echo "== checks"
    t0=$(now)
    for check in "${CHECKS[@]}"; do
        "$check"
    done
    echo "   checks: $(elapsed "$t0"); total: $(elapsed "$t_all")"
    finish
}

main
