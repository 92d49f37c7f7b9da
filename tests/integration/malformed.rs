//! Malformed runbooks (issue 5): every file in `tests/fixtures/malformed/` (format in its
//! README) is refused by `runbook validate` with exit 1, its expected diagnostics, nothing on
//! stdout and no panic, within a time limit and, on unix, an address-space limit. Cases too big to
//! check in (10 MB files, thousands of nested block mappings) are generated here, and the params
//! and answers files get the deep and bomb cases too.
//!
//! A hang is a failure, not a stuck test: every process is killed at [`TIME_LIMIT`].

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;

use crate::support::{has_extension, root};

/// The longest any one case may take (the slowest takes well under a second).
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// The address space a case may use: 1 GiB (a 10 MB file peaks under 100 MiB resident).
const MEMORY_LIMIT_BYTES: u64 = 1 << 30;
/// The most stderr a case may print: a 10 MB line or key must not come back whole.
const MAX_STDERR: usize = 64 * 1024;

/// A finished, bounded run of the binary.
struct Bounded {
    output: Output,
    elapsed: Duration,
    what: String,
}

impl Bounded {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts exit 1, no panic, nothing on stdout, bounded and printable stderr, within time.
    fn refused(self) -> Bounded {
        let what = &self.what;
        let stderr = self.stderr();
        let head: String = stderr.chars().take(2000).collect();
        assert!(
            self.elapsed < TIME_LIMIT,
            "{what}: took {:?} (killed at {TIME_LIMIT:?}): a hang",
            self.elapsed
        );
        assert_eq!(
            self.output.status.code(),
            Some(1),
            "{what}: exit {:?} (none: killed by a signal, e.g. out of memory under the limit); stderr:\n{head}",
            self.output.status
        );
        assert!(!stderr.contains("panicked"), "{what}: panic:\n{head}");
        assert!(
            self.output.stdout.is_empty(),
            "{what}: stdout not empty: {}",
            String::from_utf8_lossy(&self.output.stdout)
        );
        assert!(
            self.output.stderr.len() <= MAX_STDERR,
            "{what}: {} bytes of stderr:\n{head}",
            self.output.stderr.len()
        );
        assert!(
            !stderr
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{what}: a control character reached the terminal: {head:?}"
        );
        self
    }
}

/// `prlimit` or `sh` with `ulimit -v`, whichever exists, to bound the address space.
fn memory_limiter() -> Option<Command> {
    if !cfg!(unix) {
        return None;
    }
    let on_path = |name: &str| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
    };
    if let Some(prlimit) = on_path("prlimit") {
        let mut cmd = Command::new(prlimit);
        cmd.arg(format!("--as={MEMORY_LIMIT_BYTES}")).arg("--");
        return Some(cmd);
    }
    let sh = on_path("sh")?;
    let mut cmd = Command::new(sh);
    cmd.arg("-c").arg(format!(
        "ulimit -v {} && exec \"$0\" \"$@\"",
        MEMORY_LIMIT_BYTES / 1024
    ));
    Some(cmd)
}

/// Runs the binary with `args` in `dir`, killed at [`TIME_LIMIT`], under the memory limit.
fn bounded(dir: &Path, args: &[&str], what: &str) -> Bounded {
    let bin = crate::support::binary();
    let mut cmd = match memory_limiter() {
        Some(mut limiter) => {
            limiter.arg(bin);
            limiter
        }
        None => Command::new(bin),
    };
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .write_stdin(Vec::new())
        .timeout(TIME_LIMIT);
    let started = Instant::now();
    let output = cmd.output().expect("the binary starts");
    Bounded {
        output,
        elapsed: started.elapsed(),
        what: what.to_owned(),
    }
}

fn fixture_dir() -> PathBuf {
    root().join("tests/fixtures/malformed")
}

/// Checks `stderr` against one `.expected` file; returns the failures.
fn check_expected(name: &str, expected: &str, stderr: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(anywhere) = line.strip_prefix('~') {
            if !stderr.contains(anywhere) {
                failures.push(format!(
                    "{name}: must contain {anywhere:?}\n  got: {stderr}"
                ));
            }
        } else if let Some(absent) = line.strip_prefix('!') {
            if stderr.contains(absent) {
                failures.push(format!(
                    "{name}: must not contain {absent:?}\n  got: {stderr}"
                ));
            }
        } else {
            let want = format!("{name}:{line}");
            if !stderr.contains(&want) {
                failures.push(format!("{name}\n  want: {want}\n  got:  {stderr}"));
            }
        }
    }
    failures
}

#[test]
fn every_malformed_fixture_is_refused_with_its_error_without_panic_hang_or_blowup() {
    let dir = fixture_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| has_extension(n, "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 100, "only {} fixtures", names.len());
    assert!(
        dir.join("directory.yaml").is_dir(),
        "directory.yaml/ is checked in (with a .gitkeep)"
    );
    let mut failures = Vec::new();
    for name in &names {
        let stem = name.strip_suffix(".yaml").expect("a .yaml name");
        let expected = std::fs::read_to_string(dir.join(format!("{stem}.expected")))
            .unwrap_or_else(|_| panic!("{name} has no {stem}.expected"));
        let run = bounded(&dir, &["validate", name], name).refused();
        failures.extend(check_expected(name, &expected, &run.stderr()));
    }
    // Every .expected has its fixture (a renamed fixture must not leave its check behind).
    for entry in std::fs::read_dir(&dir).expect("fixture dir") {
        let file = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(stem) = file.strip_suffix(".expected") {
            assert!(
                names.contains(&format!("{stem}.yaml")),
                "{file} has no {stem}.yaml"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The fixtures of the categories issue 5 names, so a later cleanup cannot quietly drop one.
#[test]
fn the_corpus_covers_every_category() {
    let dir = fixture_dir();
    let count = |prefix: &str| {
        std::fs::read_dir(&dir)
            .expect("fixture dir")
            .filter(|e| {
                let n = e.as_ref().expect("entry").file_name();
                let n = n.to_string_lossy();
                n.starts_with(prefix) && n.ends_with(".yaml")
            })
            .count()
    };
    for (prefix, at_least) in [
        ("syntax-", 15),
        ("type-", 15),
        ("unknown-key-", 8),
        ("duplicate-", 9),
        ("deep-", 5),
        ("alias-bomb-", 3),
        ("junk-", 4),
        ("huge-", 1),
        ("empty", 1),
        ("whitespace-only", 1),
        ("directory", 1),
    ] {
        let n = count(prefix);
        assert!(n >= at_least, "{n} `{prefix}*` fixtures, want {at_least}");
    }
    let huge = std::fs::metadata(dir.join("huge-5000-steps.yaml")).expect("huge fixture");
    assert!(
        huge.len() < 1024 * 1024,
        "the huge fixture stays under 1 MB"
    );
}

/// A file generated into a temporary folder, then validated.
fn generated(name: &str, contents: &[u8]) -> (Bounded, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), contents).expect("write the case");
    let run = bounded(dir.path(), &["validate", name], name).refused();
    (run, dir)
}

const HEADER: &str = "id: big\ntitle: Big\nversion: 1.0.0\n";
const STEP: &str = "steps:\n  - id: first\n    title: First\n    kind: instruction\n";
const TEN_MB: usize = 10 * 1024 * 1024;
const FLOW_STEP: &str = "  - {id: s, title: t, kind: instruction}\n";

#[test]
fn ten_megabyte_files_are_refused_quickly_in_bounded_memory_with_a_short_message() {
    let cases: [(&str, String, &str); 5] = [
        (
            "one-line.yaml",
            format!("id: {}", "a".repeat(TEN_MB)),
            "one-line.yaml:1:1: error: missing field `title`",
        ),
        (
            "description.yaml",
            format!(
                "{HEADER}description: \"{}\"\n{STEP}    tpyo: 1\n",
                "x".repeat(TEN_MB)
            ),
            "description.yaml:9:5: error: unknown field `tpyo`",
        ),
        (
            "unknown-key.yaml",
            // An explicit key: a plain `key:` may not be longer than 1,024 characters.
            format!("{HEADER}? {}\n: 1\n{STEP}", "k".repeat(TEN_MB)),
            "unknown-key.yaml:4:3: error: unknown field `kkkk",
        ),
        (
            "steps.yaml",
            format!(
                "{HEADER}steps:\n{}",
                FLOW_STEP.repeat(TEN_MB / FLOW_STEP.len() + 1)
            ),
            "the file is too large or too deeply nested to be a runbook",
        ),
        (
            "comment.yaml",
            format!("# {}\n{HEADER}steps: []\n", "z".repeat(TEN_MB)),
            "comment.yaml:1:1: error: the runbook has no steps",
        ),
    ];
    for (name, text, want) in cases {
        assert!(text.len() >= TEN_MB, "{name} is 10 MB");
        let (run, _dir) = generated(name, text.as_bytes());
        let stderr = run.stderr();
        assert!(stderr.contains(want), "{name}: want {want:?}\n{stderr}");
    }
}

#[test]
fn ten_megabytes_of_random_bytes_are_not_utf8() {
    // xorshift: no dependency, the same bytes every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..TEN_MB)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect();
    let (run, _dir) = generated("random.yaml", &bytes);
    assert!(
        run.stderr()
            .contains("random.yaml: error: is not UTF-8 text"),
        "{}",
        run.stderr()
    );
}

#[test]
fn five_thousand_nested_block_mappings_do_not_overflow_the_stack() {
    // Block nesting needs one more space per level: 5,000 levels are 12.5 MB, too big to check in.
    let levels = 5000;
    let mut text = String::from(HEADER);
    text.push_str("description:\n");
    for depth in 1..=levels {
        text.push_str(&" ".repeat(depth));
        text.push_str("a:\n");
    }
    text.push_str(&" ".repeat(levels + 1));
    text.push_str("deep\n");
    text.push_str(STEP);
    let (run, _dir) = generated("deep-block-mappings.yaml", text.as_bytes());
    assert!(
        run.stderr()
            .contains("deep-block-mappings.yaml:5:2: error: expected a string"),
        "{}",
        run.stderr()
    );
    // And as a whole document of nothing but nesting.
    let mut text = String::new();
    for depth in 0..levels {
        text.push_str(&" ".repeat(depth));
        text.push_str("a:\n");
    }
    let (run, _dir) = generated("only-nesting.yaml", text.as_bytes());
    assert!(
        run.stderr()
            .contains("only-nesting.yaml:1:1: error: unknown field `a`"),
        "{}",
        run.stderr()
    );
}

/// The runbook the params and answers cases use.
const SMALL: &str = "id: small\ntitle: Small\nversion: 1.0.0\nparams:\n  - name: name\n    type: string\n    example: x\n  - name: names\n    type: list\n    items: string\n    example: [x]\nsteps:\n  - id: first\n    title: First\n    kind: check\n    command: Get-Thing {{ name }} {{ names | ps_array }}\n";

/// The hostile YAML documents that are not runbooks: each as a params file and an answers file.
fn hostile_documents() -> Vec<(&'static str, String)> {
    let n = 10_000;
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let mut names_bomb = String::from("name: &s0 lol\nnames: [");
    names_bomb.push_str(&vec!["*s0"; 49_000].join(", "));
    names_bomb.push_str("]\n");
    vec![
        (
            "deep-sequences",
            format!("names: {}{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "deep-mappings",
            format!("name: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)),
        ),
        ("unclosed", format!("names: {}\n", "[".repeat(n))),
        ("billion-laughs", bomb),
        ("alias-fan-out", names_bomb),
        ("big-scalar-aliases", {
            let mut t = format!("name: &big {}\nnames: [", "x".repeat(100_000));
            t.push_str(&vec!["*big"; 1000].join(", "));
            t.push_str("]\n");
            t
        }),
    ]
}

#[test]
fn params_files_with_deep_nesting_and_alias_bombs_are_refused_in_bounds() {
    for (name, text) in hostile_documents() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("small.yaml"), SMALL).expect("runbook");
        std::fs::write(dir.path().join("p.yaml"), &text).expect("params");
        let run = bounded(
            dir.path(),
            &["export", "small.yaml", "--params", "p.yaml"],
            &format!("params file {name}"),
        )
        .refused();
        assert!(run.stderr().contains("p.yaml"), "{name}: {}", run.stderr());
    }
}

#[test]
fn answers_files_with_deep_nesting_and_alias_bombs_are_refused_in_bounds() {
    for (name, text) in hostile_documents() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("small.yaml"), SMALL).expect("runbook");
        let mut answers = String::from("params:\n");
        for l in text.lines() {
            answers.push_str(&format!("  {l}\n"));
        }
        std::fs::write(dir.path().join("a.yaml"), answers).expect("answers");
        let run = bounded(
            dir.path(),
            &[
                "run",
                "small.yaml",
                "--answers",
                "a.yaml",
                "--state",
                "s.json",
            ],
            &format!("answers file {name}"),
        )
        .refused();
        assert!(run.stderr().contains("a.yaml"), "{name}: {}", run.stderr());
    }
}

/// 5,000 command steps: 5,000 templates. Tera re-finalised every template on each single add,
/// which made this take 18 s (and 20,000 steps ten minutes) until `Renderer::new` added them in
/// one batch.
#[test]
fn five_thousand_command_steps_validate_within_the_time_limit() {
    let mut text = String::from(
        "id: huge\ntitle: Huge\nversion: 1.0.0\nparams:\n  - name: domain\n    type: domain\n    example: contoso.com\nsteps:\n",
    );
    for i in 0..5000 {
        text.push_str(&format!(
            "  - id: step-{i}\n    title: Step {i}\n    kind: check\n    command: Test-It -Domain {{{{ domain }}}} -N {i}\n"
        ));
    }
    text.push_str("  - id: last\n    title: Last\n    kind: instruction\n    next: nowhere\n");
    let (run, _dir) = generated("huge-commands.yaml", text.as_bytes());
    assert!(
        run.stderr().contains("jump to unknown step `nowhere`"),
        "{}",
        run.stderr()
    );
}
