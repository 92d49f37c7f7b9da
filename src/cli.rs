//! The command line: clap types only; `lib::run` dispatches them.
// The doc comments here are `--help` text, where `<runbook-id>` is a placeholder, not HTML.
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::export::Format as ExportFormat;
use crate::values::ValueInputs;

/// Guided, crash-safe runbooks for Exchange and AD FS federation remediation.
#[derive(Debug, Parser)]
#[command(name = "runbook", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    /// A directory of templates that overrides the shipped ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Colour on the terminal: `auto` (not when `NO_COLOR` is set or stderr is not a terminal),
    /// `always` or `never`.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// When stderr is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// For [`crate::terminal::TerminalOperator::new`]: `Some` forces colour on or off, `None`
    /// leaves it to the terminal and `NO_COLOR`.
    pub(crate) fn forced(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

/// Graph formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    /// A Mermaid flowchart (renders on GitHub, GitLab, Azure DevOps).
    Mermaid,
    /// Graphviz dot.
    Dot,
}

/// Text or JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TextFormat {
    /// For people.
    Text,
    /// For tools.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List the shipped runbooks.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: TextFormat,
    },
    /// Show a runbook's parameters and steps.
    Show {
        /// A shipped runbook id or a path to a .yaml file.
        runbook: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: TextFormat,
    },
    /// Check runbooks and report every problem as path:line:col.
    Validate {
        /// Shipped ids or paths.
        #[arg(required = true)]
        runbooks: Vec<String>,
    },
    /// Render the whole remediation as a PowerShell script or a Markdown change plan.
    Export {
        /// A shipped runbook id or a path to a .yaml file.
        runbook: String,
        /// Parameter values.
        #[command(flatten)]
        values: ValueArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "ps1")]
        format: ExportFormat,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The header's time (RFC 3339); defaults to `SOURCE_DATE_EPOCH`, then now.
        #[arg(long, value_name = "TIME")]
        generated_at: Option<String>,
    },
    /// Print the JSON Schema of the runbook format (or, with `--report`, of `runbook report
    /// --format json`).
    Schema {
        /// The schema of the run record's JSON instead (committed as `report.schema.json`).
        #[arg(long)]
        report: bool,
    },
    /// Draw a runbook's flow: decisions and their branches, loops, gates, destructive steps.
    Graph {
        /// A shipped runbook id or a path to a .yaml file.
        runbook: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "mermaid")]
        format: GraphFormat,
    },
    /// Start a new runbook: `<ID>.yaml` and a template that validate as they are.
    New {
        /// The new runbook's id (lowercase, digits and dashes).
        id: String,
        /// Where to write it.
        #[arg(long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Find the runbook for an error: paste the error text, the event, or the SCOM alert's
    /// knowledge article in the console's language (or pipe it in).
    Match {
        /// The error text; read from standard input when absent or `-`.
        text: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: TextFormat,
    },
    /// Walk through a runbook, recording every step in a state file.
    Run {
        /// A shipped runbook id or a path to a .yaml file.
        runbook: String,
        /// Parameter values.
        #[command(flatten)]
        values: ValueArgs,
        /// The state file (default: ./<runbook-id>-<UTC time>.state.json).
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
        /// The operator's name (default: the OS user).
        #[arg(long, value_name = "NAME")]
        operator: Option<String>,
        /// Scripted answers (YAML: params, steps, default).
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// The change ticket this run belongs to (CHG0042); recorded, and shown by the plan,
        /// `status` and `report`.
        #[arg(long, value_name = "ID")]
        ticket: Option<String>,
        /// Append a plain-text transcript of everything shown and answered to FILE (secrets
        /// are never written).
        #[arg(long, value_name = "FILE")]
        transcript: Option<PathBuf>,
        /// Running the commands (`--exec`).
        #[command(flatten)]
        exec: ExecArgs,
    },
    /// Continue a run from its state file, on any machine.
    Resume {
        /// The state file.
        state: PathBuf,
        /// Scripted answers.
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// The operator's name (default: the OS user).
        #[arg(long, value_name = "NAME")]
        operator: Option<String>,
        /// Follow the runbook as it is now instead of the copy in the state file.
        #[arg(long, conflicts_with = "accept_modified_runbook")]
        use_current_runbook: bool,
        /// Go on with the copy of the runbook in the state file although it differs from the
        /// current runbook of the same id and version (shown before anything runs).
        #[arg(long)]
        accept_modified_runbook: bool,
        /// Go on although this machine's clock is more than 5 minutes behind the run's record.
        #[arg(long)]
        accept_clock_skew: bool,
        /// Change a parameter (repeatable): refused when a finished step used it; a `for_each`
        /// over it follows the new list.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        sets: Vec<String>,
        /// Append a plain-text transcript of everything shown and answered to FILE (secrets
        /// are never written).
        #[arg(long, value_name = "FILE")]
        transcript: Option<PathBuf>,
        /// Running the commands (`--exec`).
        #[command(flatten)]
        exec: ExecArgs,
    },
    /// Hand a run over to the next operator: the run goes on from a copy at the new path (a
    /// share, another folder), and this state file is closed so it cannot be resumed as well.
    Handover {
        /// The state file.
        state: PathBuf,
        /// Where the next operator goes on from (must not exist).
        new_path: PathBuf,
        /// Who takes over.
        #[arg(long, value_name = "NAME")]
        to: String,
        /// Who hands over (default: the OS user).
        #[arg(long, value_name = "NAME")]
        operator: Option<String>,
    },
    /// Show where a run stands.
    Status {
        /// The state file.
        state: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: TextFormat,
    },
    /// The run record for the change ticket.
    Report {
        /// The state file.
        state: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "markdown")]
        format: ReportFormat,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// For the change ticket.
    Markdown,
    /// For tools.
    Json,
}

/// Where parameter values come from.
#[derive(Debug, Args, Clone)]
pub struct ValueArgs {
    /// A YAML file mapping parameter names to values.
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// NAME=VALUE (a list is comma-separated); repeatable, overrides --params.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub sets: Vec<String>,
    /// Start from every parameter's example value.
    #[arg(long)]
    pub example: bool,
}

impl From<ValueArgs> for ValueInputs {
    fn from(a: ValueArgs) -> ValueInputs {
        ValueInputs {
            example: a.example,
            params_file: a.params,
            sets: a.sets,
            answer_params: None,
        }
    }
}

/// `--exec` and its options, shared by `run` and `resume`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ExecArgs {
    /// Run each command, check, verify and wait poll in one long-lived shell and keep its
    /// output; change and destructive steps still ask first.
    #[arg(long)]
    pub exec: bool,
    /// The shell to start (default: `powershell.exe -NoProfile -NonInteractive -Command -` on
    /// Windows, `pwsh ...` elsewhere; `sh` for the posix dialect).
    #[arg(long, value_name = "\"CMD ARGS\"", requires = "exec")]
    pub shell: Option<String>,
    /// How commands are wrapped: `powershell`, or `posix` (for `sh`; used by the tests).
    #[arg(long, value_enum, default_value = "powershell", requires = "exec")]
    pub shell_dialect: crate::host::Dialect,
    /// Run read-only steps without asking.
    #[arg(long, requires = "exec")]
    pub auto_read: bool,
    /// A PowerShell file to run when the shell starts, instead of the runbook's `preamble:`
    /// (e.g. a remote Exchange session from a workstation); its text is recorded in the state
    /// file, so keep passwords out of it.
    #[arg(long, value_name = "FILE", requires = "exec")]
    pub preamble: Option<PathBuf>,
}
