//! The answers file (`--answers`) from arbitrary bytes: parse it, check it against a shipped
//! runbook, then build the scripted operator from it. Errors are expected; a panic is a bug, and
//! so is a control character of the file in a printed error (see `runbook_load`).

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use runbook::{AnswersFile, ScriptedOperator, check_answers};
use runbook::Runbook;
use runbook::{Diagnostic, Source};
use runbook::Templates;

/// The runbook the answers are checked against, loaded once.
fn runbook() -> &'static Runbook {
    static RUNBOOK: OnceLock<Runbook> = OnceLock::new();
    RUNBOOK.get_or_init(|| {
        runbook::load("exchange-federation-trust-rebuild", &Templates::default())
            .expect("a shipped runbook loads")
            .runbook
    })
}

fn assert_printable(diagnostic: &Diagnostic) {
    let shown = diagnostic.to_string();
    assert!(
        !shown.contains(|c: char| c.is_control() && c != '\n' && c != '\t'),
        "an error shows a control character: {shown:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        name: "answers.yaml".into(),
        text: text.to_owned(),
    };
    match AnswersFile::parse(&source) {
        Ok(file) => {
            check_answers(&file, runbook())
                .iter()
                .for_each(assert_printable);
            let _ = ScriptedOperator::new(Some(&file), "fuzz", false);
        }
        Err(diagnostic) => assert_printable(&diagnostic),
    }
});
