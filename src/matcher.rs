//! `runbook match`: which runbook fits the error in front of the operator. Pasted text is scored
//! against each runbook's `matches:` (error texts, event ids, error codes), best first, with the
//! reason for each hit. Event ids work whatever language the event text is in.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::runbook::Runbook;

/// One runbook that fits, with why.
#[derive(Debug, Clone, Serialize)]
pub struct Fit {
    /// Runbook id.
    pub id: String,
    /// Runbook title.
    pub title: String,
    /// Higher is better.
    pub score: u32,
    /// One line per hit.
    pub reasons: Vec<String>,
}

/// An error text pattern is the strongest sign: it names the situation.
const ERROR_TEXT: u32 = 10;
/// An event id in the pasted text.
const EVENT_ID: u32 = 8;
/// The event's log is mentioned too.
const EVENT_LOG: u32 = 2;
/// An error code as a whole word.
const CODE: u32 = 4;

fn event_ids(text: &str) -> Vec<u32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    // A constant pattern: it cannot fail to compile (the unit tests below exercise it).
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:event(?:\s*id)?|id\s+události|ereignis-?id|id)\s*[:=#]?\s*(\d{2,5})\b",
        )
        .expect("a constant pattern")
    });
    let mut ids: Vec<u32> = re
        .captures_iter(text)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn has_word(text: &str, word: &str) -> bool {
    let lower = text.to_lowercase();
    let word = word.to_lowercase();
    lower.match_indices(&word).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Scores every runbook against `text`; only runbooks with at least one hit, best first.
pub fn rank(runbooks: &[Runbook], text: &str) -> Vec<Fit> {
    let ids = event_ids(text);
    let mut fits: Vec<Fit> = runbooks
        .iter()
        .filter_map(|rb| {
            let mut score = 0;
            let mut reasons = Vec::new();
            for source in &rb.matches.errors {
                let re = regex::RegexBuilder::new(source)
                    .case_insensitive(true)
                    .build();
                if re.is_ok_and(|re| re.is_match(text)) {
                    score += ERROR_TEXT;
                    reasons.push(format!("error text matches /{source}/"));
                }
            }
            for (id, log) in &rb.matches.events {
                if ids.contains(id) {
                    score += EVENT_ID;
                    let mut why = format!("event {id}");
                    if text.to_lowercase().contains(&log.to_lowercase()) {
                        score += EVENT_LOG;
                        why.push_str(&format!(" in the {log} log"));
                    } else {
                        why.push_str(&format!(" (written to the {log} log)"));
                    }
                    reasons.push(why);
                }
            }
            for code in &rb.matches.codes {
                if has_word(text, code) {
                    score += CODE;
                    reasons.push(format!("error code {code}"));
                }
            }
            (score > 0).then(|| Fit {
                id: rb.id.clone(),
                title: rb.title.clone(),
                score,
                reasons,
            })
        })
        .collect();
    fits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_in_several_spellings() {
        assert_eq!(event_ids("Event ID: 323\nEventID 501"), vec![323, 501]);
        assert_eq!(event_ids("Id = 302, Level Error"), vec![302]);
        assert_eq!(event_ids("ID události: 323"), vec![323]);
    }

    #[test]
    fn codes_are_whole_words() {
        assert!(has_word("failed: 1007 AccessDenied", "1007"));
        assert!(!has_word("error 10070", "1007"));
        assert!(has_word("MSIS5009: The impersonation", "msis5009"));
    }
}
