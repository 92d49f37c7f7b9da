//! Durations as runbooks and answers files write them (`30s`, `5m`, `1h`: one number, one unit),
//! and seconds shown back to the operator (`1m30s`).

/// `30s`, `5m`, `1h` -> seconds; `None` for anything else, zero, or an overflow.
pub(crate) fn parse_interval(text: &str) -> Option<u64> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = digits.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    (secs > 0).then_some(secs)
}

/// `90` -> `1m30s`, `900` -> `15m`, `3600` -> `1h`.
pub(crate) fn duration_text(secs: u64) -> String {
    let parts = [(secs / 3600, "h"), (secs / 60 % 60, "m"), (secs % 60, "s")];
    let text: String = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| n.to_string() + unit)
        .collect();
    if text.is_empty() { "0s".into() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(0), "0s");
        assert_eq!(duration_text(90), "1m30s");
        assert_eq!(duration_text(900), "15m");
        assert_eq!(duration_text(3661), "1h1m1s");
    }

    #[test]
    fn intervals_parse_and_print_back() {
        assert_eq!(parse_interval("30s"), Some(30));
        assert_eq!(parse_interval(" 5m "), Some(300));
        assert_eq!(parse_interval("1h"), Some(3600));
        for bad in [
            "0s",
            "4x",
            "5",
            "m",
            "5 minutes",
            "99999999999999999999h",
            "",
        ] {
            assert_eq!(parse_interval(bad), None, "{bad}");
        }
        // One unit only: `1m30s` reads back only when it is whole minutes or hours.
        assert_eq!(parse_interval(&duration_text(900)), Some(900));
        assert_eq!(parse_interval(&duration_text(90)), None);
    }
}
