//! Test support: a small builder around the `runbook` binary, and the PowerShell grammar check.

pub mod powershell;

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every shipped runbook id, read from the `runbooks/` folder (not from the binary).
pub fn shipped_ids() -> Vec<String> {
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

/// Runs the binary in `dir` with `args` (no stdin) and returns its output.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::cargo_bin("runbook")
        .expect("binary built")
        .current_dir(dir)
        .args(args)
        .write_stdin(Vec::new())
        .output()
        .expect("runs")
}

/// One invocation of the binary: `Test::new().args([...]).run().success()`.
pub struct Test {
    cmd: Command,
    dir: tempfile::TempDir,
}

/// A finished invocation.
pub struct Run {
    /// The process output.
    pub output: Output,
}

impl Test {
    /// A fresh invocation running in an empty temporary directory.
    pub fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cmd = Command::cargo_bin("runbook").expect("binary built");
        cmd.current_dir(dir.path()).env_remove("SOURCE_DATE_EPOCH");
        Test { cmd, dir }
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Writes a file into the working directory and returns its path.
    pub fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Test {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write test file");
        self
    }

    /// The working directory (the test keeps `self` alive while it uses it).
    pub fn dir_path(&self) -> PathBuf {
        self.dir.path().to_owned()
    }

    /// Runs with no stdin, and keeps the directory alive for inspection.
    pub fn run(mut self) -> (Run, tempfile::TempDir) {
        let output = self.cmd.write_stdin(Vec::new()).output().expect("runs");
        (Run { output }, self.dir)
    }

    /// Runs and returns the result only.
    pub fn go(self) -> Run {
        self.run().0
    }
}

impl Run {
    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The exit code.
    pub fn code(&self) -> i32 {
        self.output.status.code().expect("exited, not killed")
    }

    /// Asserts exit 0 and returns self.
    pub fn success(self) -> Run {
        assert_eq!(
            self.code(),
            0,
            "expected success; stderr:\n{}",
            self.stderr()
        );
        self
    }

    /// Asserts the exit code and that nothing panicked.
    pub fn failure(self, code: i32) -> Run {
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

/// The whole record of the state file `file` in `dir`, as `runbook report --format json`
/// gives it (units with what `--exec` ran, events, captured values).
pub fn record(dir: &std::path::Path, file: &str) -> serde_json::Value {
    let out = run_in(dir, &["report", file, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}
