//! Runbook loading and validation from arbitrary bytes: parse, validate, compile templates.
//! Errors are expected; a panic is a bug, and so is a panic while formatting an error. An error
//! is printed to a terminal, so it must carry no control character of the file (an escape
//! sequence would drive the terminal): only the newlines and tabs of its own layout.

#![no_main]

use libfuzzer_sys::fuzz_target;
use runbook::load_source;
use runbook::Templates;
use runbook::Source;

fuzz_target!(|data: &[u8]| {
    // `loader::read_source` refuses invalid UTF-8 before anything else sees the bytes.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        name: "fuzz.yaml".into(),
        text: text.to_owned(),
    };
    // Shipped templates only: `dir: None` keeps the target away from the file system.
    let templates = Templates {
        dir: None,
        pinned: None,
    };
    if let Err(e) = load_source(&source, &templates) {
        let shown = e.to_string();
        assert!(!shown.is_empty(), "an error displays as empty text: {e:?}");
        assert!(
            !shown.contains(|c: char| c.is_control() && c != '\n' && c != '\t'),
            "an error shows a control character: {shown:?}"
        );
    }
});
