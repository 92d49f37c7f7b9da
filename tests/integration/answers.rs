//! The answers file is checked against the runbook before anything runs (code review
//! 2026-11-29, §1.3 item 1): every file in `tests/fixtures/answers/invalid/` (format in the
//! folder's README) is refused by `run` and `resume` with exit 1, with exactly its problems, each
//! at its `file:line:col`, and nothing recorded. Before, a typo'd step id or `wait: 4x` was ignored and
//! the unattended run "succeeded"; a missing decision choice asked for ever; `skip:` on an
//! approval approved it in the operator's name.

use std::path::{Path, PathBuf};
use std::time::Duration;

use runbook::Source;
use runbook::Templates;
use runbook::{AnswersFile, check_answers};

use crate::support::diagnostics::{expected, mismatch, yaml_files};
use crate::support::{Run, Test, Workspace, root, scripted_run};

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/answers")
}

/// The fixture runbook every case is checked against.
fn runbook_path() -> String {
    fixtures().join("runbook.yaml").display().to_string()
}

/// The `file:line:col: message` lines `case` must produce, from its `.expected` file.
fn expected_of(case: &Path) -> Vec<String> {
    expected(case, &format!("{}:", case.display()))
}

fn cases() -> Vec<PathBuf> {
    let cases = yaml_files(&fixtures().join("invalid"));
    assert!(cases.len() >= 10, "only {} cases", cases.len());
    cases
}

/// Runs the binary in `ws` (no stdin), killed after [`TIME_LIMIT`]: a decision choice that
/// does not exist used to make the run ask for ever.
fn runbook(ws: &Workspace, args: &[&str]) -> Run {
    ws.test().args(args).timeout(TIME_LIMIT).go()
}

/// `runbook run` on the fixture runbook with `case` as the answers file, in a fresh folder.
fn run_case(case: &Path) -> (Run, Workspace) {
    let ws = Workspace::new();
    let case = case.display().to_string();
    let rb = runbook_path();
    let args = [
        "run",
        &rb,
        "--example",
        "--answers",
        &case,
        "--state",
        "s.json",
    ];
    (runbook(&ws, &args), ws)
}

/// Far longer than a refusal takes.
const TIME_LIMIT: Duration = Duration::from_secs(20);

#[test]
fn every_answers_fixture_is_refused_by_run_at_its_position_before_anything_is_recorded() {
    let mut failures = Vec::new();
    for case in cases() {
        let (out, dir) = run_case(&case);
        let stderr = out.stderr();
        assert_eq!(
            out.output.status.code(),
            Some(1),
            "{}: exit {:?} (none: killed after {TIME_LIMIT:?}); stderr:\n{stderr}",
            case.display(),
            out.output.status
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        failures.extend(mismatch(&case, &expected_of(&case), &stderr));
        assert!(
            !dir.path().join("s.json").exists(),
            "{}: a state file was written",
            case.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn resume_refuses_an_answers_file_that_does_not_fit_and_leaves_the_state_untouched() {
    // Stops at the second step: nothing answers it and there is no terminal.
    let (run, dir) = Test::new()
        .file("first.yaml", "steps:\n  read-the-notes: done\n")
        .args([
            "run",
            &runbook_path(),
            "--example",
            "--answers",
            "first.yaml",
        ])
        .args(["--state", "s.json"])
        .run();
    run.failure(3);
    let before = dir.read("s.json");
    let case = fixtures().join("invalid/several-problems.yaml");
    let out = runbook(
        &dir,
        &["resume", "s.json", "--answers", &case.display().to_string()],
    );
    let stderr = out.stderr();
    assert_eq!(out.output.status.code(), Some(1), "{stderr}");
    if let Some(failure) = mismatch(&case, &expected_of(&case), &stderr) {
        panic!("{failure}");
    }
    assert_eq!(
        dir.read("s.json"),
        before,
        "the refused resume changed the state file"
    );
}

/// The reproduction in the review's appendix: it exited 0 and completed.
#[test]
fn a_misspelt_step_and_a_wait_of_4x_are_refused_for_a_shipped_runbook() {
    let rb = "exchange-federation-trust-rebuild";
    let text =
        "default: done\nsteps:\n  no-such-step: {skip: typo}\n  check-time-skew: {wait: 4x}\n";
    let stderr = Test::new()
        .file("a.yaml", text)
        .args(scripted_run(rb, "a.yaml"))
        .go()
        .failure(1)
        .stderr();
    // A parse error stops the parse: the duration is reported first, on its own.
    assert!(
        stderr.contains("a.yaml:4:27: error: wait `4x` is not a duration"),
        "{stderr}"
    );
    let stderr = Test::new()
        .file("a.yaml", text.replace("4x", "4s"))
        .args(scripted_run(rb, "a.yaml"))
        .go()
        .failure(1)
        .stderr();
    assert!(
        stderr.contains(
            "a.yaml:3:3: error: `no-such-step` is not a step of `exchange-federation-trust-rebuild`"
        ),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("a.yaml:4:20: error: `wait` does not answer `check-time-skew`, a gate check"),
        "{stderr}"
    );
}

/// A `default:` choice that one decision lacks is fine once that decision has its own answer.
#[test]
fn a_default_choice_is_checked_only_against_the_decisions_it_falls_to() {
    let rb = runbook::load(&runbook_path(), &Templates::default())
        .expect("fixture runbook")
        .runbook;
    let parse = |text: &str| {
        AnswersFile::parse(&Source {
            name: "a.yaml".into(),
            text: text.into(),
        })
        .expect("parses")
    };
    let lacking = parse("default: {choice: clean}\n");
    assert_eq!(check_answers(&lacking, &rb).len(), 1);
    let answered = parse("default: {choice: clean}\nsteps:\n  trust-healthy: {choice: broken}\n");
    assert_eq!(check_answers(&answered, &rb), Vec::new());
}

/// No false alarms: every answer, on a step whose questions take it, passes the check.
#[test]
fn every_answer_on_a_step_that_takes_it_passes_the_check() {
    let rb = runbook::load(&runbook_path(), &Templates::default())
        .expect("fixture runbook")
        .runbook;
    let text = "\
default: done
steps:
  read-the-notes: {skip: read them yesterday}
  show-federation-trust: {overrule: the output is in French}
  check-time-skew: {override: \"PDC fixed, offset now 2 s\"}
  capture-trust-name: {value: Microsoft Federation Gateway}
  trust-healthy: {choice: broken}
  approve-change: {approve: Carol Smith}
  refresh-domains: done
  refresh-domains[contoso.com]: {fail: the proof did not come back}
  wait-dns: {wait: 5m}
";
    let file = AnswersFile::parse(&Source {
        name: "a.yaml".into(),
        text: text.into(),
    })
    .expect("parses");
    assert_eq!(check_answers(&file, &rb), Vec::new());
}
