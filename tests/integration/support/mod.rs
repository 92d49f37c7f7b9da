//! Test support: the `runbook` binary run in a temporary folder ([`Workspace`] for a folder and
//! the run records in it, [`Test`] for one command), the record's JSON read back ([`record`]),
//! and the PowerShell grammar check ([`powershell`]).

pub(crate) mod diagnostics;
pub(crate) mod fixtures;
pub(crate) mod powershell;
pub(crate) mod record;
mod redact;
mod workspace;

use std::path::PathBuf;
use std::process::Output;

pub(crate) use redact::redact;
pub(crate) use workspace::Workspace;

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What in `record` (a `runbook report --format json`) the committed `report.schema.json` refuses,
/// one line per error with where it is.
pub(crate) fn report_schema_errors(record: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("report.schema.json")).expect("report.schema.json"),
    )
    .expect("json");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    validator
        .iter_errors(record)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

/// Whether the file `name` ends in `.ext`, in any case.
pub(crate) fn has_extension(name: &str, ext: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The `runbook` binary under test: the one place that asks cargo for it.
pub(crate) fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("runbook")
}

/// Every shipped runbook id, read from the `runbooks/` folder (not from the binary).
pub(crate) fn shipped_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root().join("runbooks"))
        .expect("runbooks/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            p.file_stem()
                .expect("a stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    ids.sort();
    ids
}

/// One invocation of the binary: `Test::new().args([...]).run().success()`, in a fresh folder,
/// or `workspace.test()` in a shared one.
pub(crate) struct Test {
    cmd: assert_cmd::Command,
    ws: Workspace,
    stdin: Vec<u8>,
}

/// A finished invocation.
pub(crate) struct Run {
    /// The process output.
    pub output: Output,
}

impl Test {
    /// A fresh invocation running in an empty temporary folder.
    pub(crate) fn new() -> Test {
        Workspace::new().test()
    }

    /// Adds arguments.
    pub(crate) fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Adds `--set param=value`.
    pub(crate) fn set(self, param: &str, value: &str) -> Test {
        self.args(["--set".to_owned(), format!("{param}={value}")])
    }

    /// Sets an environment variable for the process.
    pub(crate) fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Test {
        self.cmd.env(key, value);
        self
    }

    /// Runs as if on the machine `name` (the binary reads `HOSTNAME` on Unix, `COMPUTERNAME`
    /// on Windows), so that what it records is the same on every machine.
    pub(crate) fn host(self, name: &str) -> Test {
        self.env("HOSTNAME", name).env("COMPUTERNAME", name)
    }

    /// Gives the process this standard input (none by default).
    pub(crate) fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Test {
        self.stdin = bytes.into();
        self
    }

    /// Kills the process after `limit`.
    pub(crate) fn timeout(mut self, limit: std::time::Duration) -> Test {
        self.cmd.timeout(limit);
        self
    }

    /// Writes a file into the working folder.
    pub(crate) fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Test {
        self.ws.write(name, contents);
        self
    }

    /// The working folder (the test keeps `self` alive while it uses it).
    #[cfg(unix)]
    pub(crate) fn dir_path(&self) -> PathBuf {
        self.ws.path().to_owned()
    }

    /// Runs, and keeps the folder alive for more commands and inspection.
    pub(crate) fn run(mut self) -> (Run, Workspace) {
        let output = self.cmd.write_stdin(self.stdin).output().expect("runs");
        (Run { output }, self.ws)
    }

    /// Runs and returns the result only.
    pub(crate) fn go(self) -> Run {
        self.run().0
    }
}

impl Run {
    /// Standard output as text.
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Standard error as text.
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The exit code.
    pub(crate) fn code(&self) -> i32 {
        self.output.status.code().expect("exited, not killed")
    }

    /// Asserts exit 0 and returns self.
    pub(crate) fn success(self) -> Run {
        assert_eq!(
            self.code(),
            0,
            "expected success; stderr:\n{}",
            self.stderr()
        );
        self
    }

    /// Asserts the exit code and that nothing panicked.
    pub(crate) fn failure(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        assert!(
            !self.stderr().contains("panicked"),
            "panic: {}",
            self.stderr()
        );
        self
    }
}

/// A scripted run's arguments: `run <runbook> --example --answers <answers> --state s.json`.
pub(crate) fn scripted_run<'a>(runbook: &'a str, answers: &'a str) -> [&'a str; 7] {
    [
        "run",
        runbook,
        "--example",
        "--answers",
        answers,
        "--state",
        "s.json",
    ]
}
