//! A temporary folder that several commands share, as an operator's folder is shared by `run`,
//! `status`, `resume` and `report`; with the run record read back through the binary itself.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::rc::Rc;

use serde_json::Value;

use super::{Run, Test, binary};

/// `Workspace::new().file("a.yaml", ..)`, then `.cmd([..])` as often as needed. Clones share the
/// folder, which is removed when the last one is dropped.
#[derive(Clone)]
pub(crate) struct Workspace {
    dir: Rc<tempfile::TempDir>,
}

impl Workspace {
    /// An empty temporary folder.
    pub(crate) fn new() -> Workspace {
        Workspace {
            dir: Rc::new(tempfile::tempdir().expect("temp dir")),
        }
    }

    /// Writes a file (creating its folders) and returns the workspace.
    pub(crate) fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Workspace {
        self.write(name, contents);
        self
    }

    /// Writes a file (creating its folders).
    pub(crate) fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write test file");
    }

    /// The text of a file in the folder.
    pub(crate) fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The names of the files and folders in the folder, sorted.
    pub(crate) fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path())
            .expect("read the folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary with `args`, run in this folder, with none of the variables that change what
    /// it does (`SOURCE_DATE_EPOCH`, `RUNBOOK_FAILPOINTS`) unless the caller sets them: for
    /// `spawn` and pseudo-terminals. Standard streams are as `std` sets them (`output()` gives no
    /// stdin; `spawn()` inherits them).
    pub(crate) fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(binary());
        cmd.current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("RUNBOOK_FAILPOINTS")
            .args(args);
        cmd
    }

    /// A command in this folder, to add arguments, environment or stdin to before it runs.
    pub(crate) fn test(&self) -> Test {
        Test {
            cmd: assert_cmd::Command::from_std(self.command(Vec::<&str>::new())),
            ws: self.clone(),
            stdin: Vec::new(),
        }
    }

    /// Runs the binary with `args` in this folder, with no stdin.
    pub(crate) fn cmd<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.test().args(args).go()
    }

    /// The output of a command that must succeed.
    fn succeeds(&self, args: &[&str]) -> Run {
        let run = self.cmd(args);
        assert!(
            run.output.status.success(),
            "`runbook {}` failed:\n{}",
            args.join(" "),
            run.stderr()
        );
        run
    }

    /// `runbook status <state> --format json`: units with their status, events, captured
    /// values.
    pub(crate) fn status(&self, state: &str) -> Value {
        let run = self.succeeds(&["status", state, "--format", "json"]);
        serde_json::from_slice(&run.output.stdout).expect("status JSON")
    }

    /// `runbook report <state> --format json`: the whole record, with what `--exec` ran;
    /// checked against the committed `report.schema.json` (every test's record, so a field the
    /// schema does not describe fails where it first appears).
    pub(crate) fn record(&self, state: &str) -> Value {
        let run = self.succeeds(&["report", state, "--format", "json"]);
        let record: Value = serde_json::from_slice(&run.output.stdout).expect("report JSON");
        let errors = super::report_schema_errors(&record);
        assert!(
            errors.is_empty(),
            "not as report.schema.json says: {errors:#?}"
        );
        record
    }

    /// The ids of the units `status` shows as done, in the plan's order.
    pub(crate) fn done_units(&self, state: &str) -> Vec<String> {
        self.status(state)["units"]
            .as_array()
            .expect("units")
            .iter()
            .filter(|u| u["status"] == "done")
            .map(|u| u["id"].as_str().expect("id").to_owned())
            .collect()
    }

    /// `runbook report <state>`: the Markdown record for the change ticket.
    pub(crate) fn report(&self, state: &str) -> String {
        self.succeeds(&["report", state]).stdout()
    }
}
