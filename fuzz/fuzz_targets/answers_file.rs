//! The answers file (`--answers`) from arbitrary bytes: parse it, then build the scripted
//! operator from it. Errors are expected; a panic is a bug, and so is a control character of the
//! file in the printed error (see `runbook_load`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use runbook::answers::{AnswersFile, ScriptedOperator};
use runbook::source::Source;

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
            let _ = ScriptedOperator::new(Some(&file), "fuzz", false);
        }
        Err(diagnostic) => {
            let shown = diagnostic.to_string();
            assert!(
                !shown.contains(|c: char| c.is_control() && c != '\n' && c != '\t'),
                "an error shows a control character: {shown:?}"
            );
        }
    }
});
