//! The state file reader (format 2, a hash-chained journal) from arbitrary bytes. Whatever it
//! accepts must fold into a run and show in `runbook status` / `runbook report` without a
//! panic (those are what an operator runs on a hand-edited or damaged file), and its events,
//! written again by this build's writer, must read back intact and unchanged.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use runbook::testing::{Writer, header_line, read_journal};
use runbook::{Record, State};

fuzz_target!(|data: &[u8]| {
    let (header, entries, _) = match read_journal(data) {
        Ok(j) => j,
        Err(e) => {
            let _ = runbook::testing::not_a_state(Path::new("s.json"), e).to_string();
            return;
        }
    };
    // The events written again by this build's writer read back intact and unchanged.
    let line = header_line(&header);
    let mut writer = Writer::after_header(&line);
    for e in &entries {
        writer.entry(e.at.clone(), e.operator.clone(), e.event.clone());
    }
    let again = format!("{line}\n{}", writer.take_pending());
    let (_, back, reread) = read_journal(again.as_bytes()).expect("this build's journal reads back");
    assert!(
        reread.torn.is_none() && reread.broken.is_none(),
        "{}",
        reread.integrity()
    );
    let events: Vec<_> = entries.into_iter().map(|e| e.event).collect();
    let back: Vec<_> = back.into_iter().map(|e| e.event).collect();
    assert_eq!(back, events, "the events changed on a write and read");

    // The fold (which may refuse an event that does not fit) and every view of it.
    let (state, journal) = State::read(data, true).expect("read once already");
    let record = Record {
        state,
        integrity: journal.integrity(),
        intact: false,
    };
    let _ = runbook::status_text(&record);
    let _ = runbook::status_json(&record);
    let _ = runbook::report_markdown(&record);
    let _ = runbook::report_json(&record);
});
