//! What changes from one run to the next, replaced before a whole output is compared with its
//! snapshot. Operators are given with `--operator` and hosts with [`super::Test::host`], so that
//! only the clock is left to replace.

use std::sync::OnceLock;

use regex::Regex;

/// `text` with every RFC 3339 time (`2026-11-29T10:50:06Z`, with or without fractions or an
/// offset) replaced by `<TIME>`.
pub(crate) fn redact(text: &str) -> String {
    static TIME: OnceLock<Regex> = OnceLock::new();
    let time = TIME.get_or_init(|| {
        Regex::new(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
            .expect("regex")
    });
    time.replace_all(text, "<TIME>").into_owned()
}

#[test]
fn times_are_redacted_and_nothing_else() {
    assert_eq!(
        redact("at 2026-11-29T10:50:06Z, 2026-11-29T10:50:06.123+01:00; v2026-11-29"),
        "at <TIME>, <TIME>; v2026-11-29"
    );
}
