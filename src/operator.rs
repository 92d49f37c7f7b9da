//! The engine's only way to reach a person: it asks an [`Operator`] questions and tells it what
//! happens. The terminal (`terminal`) and the answers file (`answers`) both implement it, so a
//! scripted run takes exactly the engine path an interactive one does.

use crate::param::ValueType;
use crate::runbook::{Choice, Impact, Param};

/// Why no answer came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The operator pressed Ctrl-C.
    Interrupted,
    /// The operator chose "pause" in a menu: save and stop here, to be resumed.
    Paused,
    /// Not a stop: the operator asked for something else first; the engine deals with it and
    /// asks the question again.
    Aside(Aside),
    /// No answer is scripted for this question and there is no terminal to ask.
    NoAnswer,
}

/// What an operator can ask for from any menu before answering it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aside {
    /// Show the current step again.
    Step,
    /// Show the plan again.
    Plan,
    /// Show what happened so far.
    History,
    /// Change a parameter's value (a wrong value seen in a rendered command).
    ChangeParam,
}

/// What the operator sees of one unit.
#[derive(Debug, Clone)]
pub struct UnitView {
    /// `step` or `step[item]`.
    pub unit: String,
    /// 1-based step number and the step count.
    pub step_number: usize,
    /// Number of steps.
    pub step_count: usize,
    /// 1-based item number and item count, for `for_each` steps.
    pub item: Option<(usize, usize, String)>,
    /// Step title.
    pub title: String,
    /// Step kind name.
    pub kind: &'static str,
    /// Impact.
    pub impact: Impact,
    /// Instructions.
    pub instructions: Option<String>,
    /// The rendered command, ready to copy.
    pub command: Option<String>,
    /// The rendered verification.
    pub verify: Option<String>,
    /// What a pass looks like.
    pub expect: Option<String>,
    /// How to undo it, in words.
    pub rollback: Option<String>,
    /// The rollback's command, rendered.
    pub rollback_command: Option<String>,
    /// A gate check.
    pub gate: bool,
}

impl UnitView {
    /// How the menu and the transcript say the unit went well: a check (a gate or not)
    /// `passed`, anything else is `done`.
    pub(crate) fn success_word(&self) -> &'static str {
        if self.gate || self.kind == "check" {
            "passed"
        } else {
            "done"
        }
    }
}

/// What happened to a unit, as the operator reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// It worked (or the check passed).
    Done,
    /// It failed, with what went wrong.
    Failed(String),
    /// Skipped, with why.
    Skip(String),
    /// A note to record; the question is asked again.
    Note(String),
    /// What the command printed, pasted; kept with the unit, and the question is asked again.
    Output(String),
}

/// After a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recovery {
    /// Try the unit again.
    Retry,
    /// Skip it, with why.
    Skip(String),
    /// Override a gate, with why (only offered for gates).
    Override(String),
    /// Stop the run.
    Abort,
}

/// A question.
#[derive(Debug, Clone)]
pub(crate) enum Question<'a> {
    /// A parameter value (checked by the engine; asked again on a bad value).
    Param {
        /// The parameter.
        param: &'a Param,
        /// Why the previous answer was refused.
        error: Option<String>,
    },
    /// What happened to this unit?
    Outcome(&'a UnitView),
    /// The unit failed: what now?
    AfterFailure {
        /// The unit.
        view: &'a UnitView,
        /// Whether overriding is allowed (gates).
        gate: bool,
        /// Whether skipping is allowed (not for a gate, nor a capture whose value later steps
        /// need).
        skip: bool,
    },
    /// Before a destructive unit is run: run it (yes, then its target is typed), skip it or add a
    /// note. The rollback can be read first.
    Destructive(&'a UnitView),
    /// Type the target to confirm a destructive unit; an empty answer goes back to
    /// [`Question::Destructive`].
    ConfirmTarget {
        /// The unit.
        view: &'a UnitView,
        /// What must be typed.
        expected: &'a str,
    },
    /// A value to capture.
    Capture {
        /// The unit.
        view: &'a UnitView,
        /// The variable.
        variable: &'a str,
        /// Its type.
        value_type: &'a ValueType,
        /// An example.
        example: String,
        /// Under `--exec`: the value read from the command's output.
        proposed: Option<String>,
        /// Why the previous answer was refused.
        error: Option<String>,
    },
    /// A decision.
    Decision {
        /// The unit.
        view: &'a UnitView,
        /// The question.
        question: &'a str,
        /// The choices.
        choices: &'a [Choice],
        /// Whether the choice decides if a destructive step runs (no answer is pre-selected).
        guards: bool,
    },
    /// Who approves?
    Approval {
        /// The unit.
        view: &'a UnitView,
        /// Who must approve.
        approver: &'a str,
    },
    /// Is the awaited condition met?
    Wait {
        /// The unit.
        view: &'a UnitView,
        /// Suggested interval.
        interval_secs: u64,
        /// Under `--exec`: no (after the interval) polls the command again.
        poll: bool,
    },
    /// Under `--exec`: run this unit's command now? (No: the operator runs it by hand.)
    Run {
        /// The unit.
        view: &'a UnitView,
        /// Why it is asked again (the shell was restarted), if it is.
        note: Option<String>,
    },
    /// Under `--exec`: the engine's verdict; accept it (yes) or overrule it (a reason).
    Verdict {
        /// The unit.
        view: &'a UnitView,
        /// The verdict.
        verdict: &'a Verdict,
    },
    /// The record was last written on another host or at another path (a plain copy, whose
    /// original may still be in use): go on with this copy?
    Moved {
        /// Who wrote it last.
        by: &'a str,
        /// Where: host and path.
        host: &'a str,
        /// The path there.
        path: &'a str,
    },
    /// Which parameter to change (from a menu's "change a parameter")? A choice of its name,
    /// or no (change nothing).
    ChangeWhich {
        /// Each parameter: name and value as shown (a secret's never).
        params: &'a [(String, String)],
    },
    /// The new value of `param`; an empty answer keeps the current one.
    NewValue {
        /// The parameter.
        param: &'a Param,
        /// Its value as shown.
        current: &'a str,
        /// Why the previous answer was refused.
        error: Option<String>,
    },
    /// The plan was shown: start step 1 (yes) once the operator has read it.
    Begin {
        /// Step 1's title.
        first: &'a str,
    },
    /// The run crashed while this unit was shown: did it complete?
    CompletedBeforeCrash {
        /// The unit.
        view: &'a UnitView,
        /// Who started it, when.
        started: String,
    },
}

impl<'a> Question<'a> {
    /// The unit the question is about, if any.
    pub(crate) fn view(&self) -> Option<&'a UnitView> {
        match self {
            Question::Param { .. }
            | Question::Moved { .. }
            | Question::ChangeWhich { .. }
            | Question::NewValue { .. }
            | Question::Begin { .. } => None,
            Question::Outcome(v)
            | Question::Destructive(v)
            | Question::AfterFailure { view: v, .. }
            | Question::ConfirmTarget { view: v, .. }
            | Question::Capture { view: v, .. }
            | Question::Decision { view: v, .. }
            | Question::Approval { view: v, .. }
            | Question::Wait { view: v, .. }
            | Question::Run { view: v, .. }
            | Question::Verdict { view: v, .. }
            | Question::CompletedBeforeCrash { view: v, .. } => Some(v),
        }
    }
}

/// What `--exec` concluded from a command's exit status and output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Whether it passed.
    pub passed: bool,
    /// Why: "exit status 0; output matched `Enabled\s+True`".
    pub reason: String,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Text: a parameter, capture, approver name or typed confirmation.
    Text(String),
    /// An outcome.
    Outcome(Outcome),
    /// A recovery.
    Recovery(Recovery),
    /// A decision's choice id.
    Choice(String),
    /// Yes / no (wait done, completed before crash).
    Yes(bool),
}

/// Something the operator should see.
#[derive(Debug, Clone)]
pub enum Notice {
    /// Before the first step.
    Plan {
        /// Runbook title.
        title: String,
        /// The change ticket (`run --ticket`).
        ticket: Option<String>,
        /// Each step: title, id, kind and impact.
        steps: Vec<PlanStep>,
        /// Each parameter: name, value as shown (a secret's never), and where it came from
        /// (`given`, `default`, `example`, `asked`).
        params: Vec<(String, String, &'static str)>,
        /// Read, change, destructive counts.
        counts: [usize; 3],
        /// The state file.
        state_path: String,
    },
    /// What happened so far: on resume, and when the operator asks for it.
    History(History),
    /// A unit is about to be asked about.
    Unit(UnitView),
    /// A unit skipped by its condition.
    SkippedByCondition {
        /// The unit.
        unit: String,
        /// The condition.
        condition: String,
    },
    /// Under `--exec`: one line of a command's output, as it arrives (secrets masked).
    Output(String),
    /// An answer the engine checked and took, as it is kept (normalised: a thumbprint
    /// upper-cased, a domain lower-cased).
    Taken {
        /// What was asked: the prompt or the variable.
        what: String,
        /// The value as kept (a secret's never).
        value: String,
    },
    /// Plain information (runbook changed, captured value, ...).
    Info(String),
    /// A warning.
    Warning(String),
    /// The run ended: completed, or aborted (the state saved). What needs attention comes
    /// first, as the report's closing summary has it.
    Closing {
        /// Whether the run reached its end.
        complete: bool,
        /// How many units ended how, in words.
        counts: String,
        /// What needs attention: a label and its description (unit, who, when, why).
        attention: Vec<(String, String)>,
        /// The command that writes the record for the change ticket.
        report: String,
    },
}

/// One step of the plan.
#[derive(Debug, Clone)]
pub struct PlanStep {
    /// Title.
    pub title: String,
    /// Id (instructions and `status` name steps by id).
    pub id: String,
    /// Kind name.
    pub kind: &'static str,
    /// Impact.
    pub impact: Impact,
    /// A gate check.
    pub gate: bool,
    /// For a `for_each` step: the item variable, the list, and its items when known (a list
    /// captured by an earlier step is known when the run gets there).
    pub for_each: Option<(String, String, Option<Vec<String>>)>,
}

/// What happened in a run so far, for the operator who takes it over.
#[derive(Debug, Clone)]
pub struct History {
    /// Shown because the run was just taken up (else: on request).
    pub resuming: bool,
    /// Units done, overridden, skipped and failed so far.
    pub counts: [usize; 4],
    /// What the next operator must know (failures, notes, skips, overrides, decisions,
    /// approvals, captured values, stops), oldest first.
    pub events: Vec<HistoryLine>,
    /// How many older events `events` leaves out (status and report show them all).
    pub left_out: usize,
    /// The unit the run goes on with.
    pub next: Option<String>,
}

/// One event of a [`History`].
#[derive(Debug, Clone)]
pub struct HistoryLine {
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who recorded it.
    pub by: String,
    /// The unit it concerns, if any.
    pub unit: Option<String>,
    /// What happened: the event's name.
    pub what: &'static str,
    /// Its details (a reason, a note, a value), if any.
    pub detail: Option<String>,
}

/// The person running the runbook.
pub(crate) trait Operator {
    /// Asks a question.
    fn ask(&mut self, question: Question<'_>) -> Result<Reply, Stop>;
    /// Shows something.
    fn notify(&mut self, notice: Notice);

    /// The secrets' values known so far (told again when one is added): whatever this operator
    /// keeps beyond the screen must not contain them.
    fn secrets(&mut self, values: &[String]) {
        let _ = values;
    }

    /// Whether questions about `unit` can be answered at all; when not, the run stops before
    /// the unit is shown or recorded as started.
    fn can_answer(&self, unit: &str) -> bool {
        let _ = unit;
        true
    }
}
