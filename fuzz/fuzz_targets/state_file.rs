//! The state file reader (format 2, a hash-chained journal) from arbitrary bytes. Whatever it
//! accepts must fold into a run and show in `runbook status` / `runbook report` without a
//! panic (those are what an operator runs on a hand-edited or damaged file), and its events,
//! written again by this build's writer, must read back intact and unchanged.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use runbook::journal::{self, Writer};
use runbook::report::{self, Record};
use runbook::state::State;

fuzz_target!(|data: &[u8]| {
    let journal = match runbook::store::parse(Path::new("s.json"), data) {
        Ok(j) => j,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let integrity = journal.integrity();
    let events: Vec<_> = journal.entries.iter().map(|e| e.event.clone()).collect();

    let line = journal::header_line(&journal.header);
    let mut writer = Writer::after_header(&line);
    for (e, event) in journal.entries.iter().zip(&events) {
        writer.entry(e.at.clone(), e.operator.clone(), event.clone());
    }
    let again = format!("{line}\n{}", writer.take_pending());
    let reread = journal::read(again.as_bytes()).expect("this build's journal reads back");
    assert!(reread.broken.is_none() && reread.torn.is_none(), "{}", reread.integrity());
    let back: Vec<_> = reread.entries.into_iter().map(|e| e.event).collect();
    assert_eq!(back, events, "the events changed on a write and read");

    let (state, _unfit) = State::fold(journal.header, journal.entries);
    let record = Record {
        state,
        integrity,
        intact: false,
    };
    let _ = report::status_text(&record);
    let _ = report::status_json(&record);
    let _ = report::report_markdown(&record);
    let _ = report::report_json(&record);
});
