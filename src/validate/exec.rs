//! The keys `--exec` reads: timeouts, `pass_if`, `exit_status` and a capture's `from_output`.

use regex::Regex;

use super::Validator;
use crate::raw::{RawStep, Span, StepKindName};
use crate::runbook::{Expectation, StepExec};

/// A command's timeout when neither the runbook nor the step sets one.
pub(super) const DEFAULT_TIMEOUT_SECS: u64 = 600;

impl Validator<'_> {
    /// A `timeout:` in seconds.
    pub(super) fn timeout(&mut self, t: Option<&Span<String>>) -> Option<u64> {
        let t = t?;
        let secs = crate::duration::parse_interval(&t.value);
        if secs.is_none() {
            self.at(
                t,
                format!(
                    "timeout `{}` is not a duration such as `30s`, `5m` or `1h`",
                    t.value
                ),
            );
        }
        secs
    }

    fn regex(&mut self, key: &str, p: &Span<String>) -> Option<Regex> {
        // Multi-line: `^FOUND:` means a line that starts with it, wherever it is in the output
        // (the exported script tests the same pattern with `(?m)`).
        match regex::RegexBuilder::new(&p.value).multi_line(true).build() {
            Ok(re) => Some(re),
            Err(e) => {
                let first = e.to_string().lines().last().unwrap_or_default().to_owned();
                self.at(p, format!("invalid `{key}`: {first}"));
                None
            }
        }
    }

    pub(super) fn expectation(
        &mut self,
        pass_if: Option<&Span<String>>,
        exit_status: Option<i32>,
    ) -> Expectation {
        Expectation {
            pass_if: pass_if.and_then(|p| self.regex("pass_if", p)),
            exit_status,
        }
    }

    pub(super) fn step_exec(&mut self, s: &RawStep) -> StepExec {
        let from_output = s.from_output.as_ref().and_then(|p| {
            let re = self.regex("from_output", p)?;
            let variable = s.variable.as_ref().map(|v| v.value.as_str());
            let named = |n: &str| re.capture_names().flatten().any(|g| g == n);
            let ok = s.kind.value != StepKindName::Capture
                || variable.is_some_and(named)
                || named("value");
            if !ok {
                self.at(
                    p,
                    format!(
                        "`from_output` needs a named group `(?P<{}>...)` or `(?P<value>...)`",
                        variable.unwrap_or("value")
                    ),
                );
                return None;
            }
            Some(re)
        });
        StepExec {
            expect: self.expectation(s.pass_if.as_ref(), s.exit_status),
            timeout_secs: self.timeout(s.timeout.as_ref()),
            from_output,
        }
    }
}
