//! The state file loader from arbitrary bytes. A state it accepts must survive being written
//! back (serde_json) and read again unchanged, and `runbook status` / `runbook report` must be
//! able to show it: those are what an operator runs on a hand-edited or damaged file.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use runbook::{report, store};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("s.json");
    let state = match store::parse(path, data) {
        Ok(state) => state,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    // `State` has no `PartialEq`: compare what it serialises to.
    let first = serde_json::to_value(&state).expect("an accepted state serialises");
    let bytes = serde_json::to_vec_pretty(&state).expect("an accepted state serialises");
    let again = match store::parse(path, &bytes) {
        Ok(again) => again,
        Err(e) => panic!(
            "a state written back does not parse: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        ),
    };
    let second = serde_json::to_value(&again).expect("a re-read state serialises");
    assert_eq!(first, second, "the state changed on a write and read");

    let _ = report::status_text(&state);
    let _ = report::status_json(&state);
    let _ = report::report_markdown(&state);
    let _ = report::report_json(&state);
});
