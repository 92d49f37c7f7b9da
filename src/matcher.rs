//! `runbook match`: which runbook fits the error in front of the operator. Pasted text is scored
//! against each runbook's `matches:` (anchors, error texts, event ids, error codes, context),
//! best first, with the reason for each hit.
//!
//! Operators paste what the console shows them in its own language: a SCOM knowledge article
//! has its title, summary, causes and resolution translated, while the rule id, the element
//! properties (`Event_ID323`) and the rule's XML (`EventDisplayNumber` ... `323`) stay in
//! English (domain reference §7.5, issue 11 §5). So the weights favour those language-independent
//! names: an anchor outweighs any English sentence, and words shared by sibling runbooks
//! (`context`) only break ties against unrelated runbooks.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::runbook::Runbook;

/// One runbook that fits, with why.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fit {
    /// Runbook id.
    pub id: String,
    /// Runbook title.
    pub title: String,
    /// Higher is better.
    pub score: u32,
    /// One line per hit.
    pub reasons: Vec<String>,
}

/// A language-independent name of exactly this situation (a rule id, a property name): it
/// survives translation, so it must outweigh any English error text that a localized paste
/// lacks, or that a sibling's article happens to quote.
const ANCHOR: u32 = 20;
/// An error text pattern names the situation, in English.
const ERROR_TEXT: u32 = 10;
/// An event id in the pasted text.
const EVENT_ID: u32 = 8;
/// The event's log is mentioned too.
const EVENT_LOG: u32 = 2;
/// An error code as a whole word.
const CODE: u32 = 4;
/// A word of the runbook's area that sibling runbooks share (the publisher `AD FS`,
/// `Set-AdfsRelyingPartyTrust`): enough to rank above unrelated runbooks, never enough to
/// choose between siblings.
const CONTEXT: u32 = 2;

fn event_ids(text: &str) -> Vec<u32> {
    static PROSE: OnceLock<Regex> = OnceLock::new();
    static SCOM: OnceLock<Regex> = OnceLock::new();
    // Constant patterns: they cannot fail to compile (the unit tests below exercise them).
    let prose = PROSE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:event(?:\s*id)?|id\s+události|ereignis-?id|id)\s*[:=#]?\s*(\d{2,5})\b",
        )
        .expect("a constant pattern")
    });
    // The SCOM knowledge article: the element property `Event_ID` (copied from the table as
    // `Event_ID323` or `Event_ID 323`, possibly glued to the next row's label, hence no word
    // boundaries) and the rule's XML, where `EventDisplayNumber` is compared with
    // `<Value Type="UnsignedInteger">323</Value>` a few elements later.
    let scom = SCOM.get_or_init(|| {
        Regex::new(
            r"(?i)(?:event_id|eventdisplaynumber(?:\s*</xpathquery>[\s\S]{0,200}?<value\b[^>]*>)?)\s*(?:[:=]|==|-eq)?\s*(\d{2,5})(?:\D|$)",
        )
        .expect("a constant pattern")
    });
    let mut ids: Vec<u32> = [prose, scom]
        .iter()
        .flat_map(|re| re.captures_iter(text))
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `word` with no ASCII letter or digit right before or after it. Only ASCII counts as part of
/// a word: codes are ASCII, and Japanese or Chinese text runs straight into them
/// (`MSIS5009が`) without a space.
fn has_word(text: &str, word: &str) -> bool {
    let lower = text.to_lowercase();
    let word = word.to_lowercase();
    lower.match_indices(&word).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// The patterns of `sources` that match `text`, each once.
fn matching<'a>(sources: &'a [String], text: &'a str) -> impl Iterator<Item = &'a String> + 'a {
    sources.iter().filter(move |source| {
        regex::RegexBuilder::new(source)
            .case_insensitive(true)
            .build()
            .is_ok_and(|re| re.is_match(text))
    })
}

/// Scores every runbook against `text`; only runbooks with at least one hit, best first.
pub(crate) fn rank(runbooks: &[Runbook], text: &str) -> Vec<Fit> {
    let ids = event_ids(text);
    let mut fits: Vec<Fit> = runbooks
        .iter()
        .filter_map(|rb| {
            let mut score = 0;
            let mut reasons = Vec::new();
            for source in matching(&rb.matches.anchors, text) {
                score += ANCHOR;
                reasons.push(format!("names /{source}/"));
            }
            for source in matching(&rb.matches.errors, text) {
                score += ERROR_TEXT;
                reasons.push(format!("error text matches /{source}/"));
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
            for source in matching(&rb.matches.context, text) {
                score += CONTEXT;
                reasons.push(format!("context /{source}/"));
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
    fn event_ids_in_a_scom_knowledge_article() {
        assert_eq!(
            event_ids("CategoryConfigurationHealth\nEvent_ID323\n"),
            vec![323]
        );
        assert_eq!(
            event_ids("EnabledTrueEvent_ID 302Event SourceAD FS"),
            vec![302]
        );
        let xml = r#"<XPathQuery Type="UnsignedInteger">EventDisplayNumber</XPathQuery>
            </ValueExpression><Operator>Equal</Operator><ValueExpression>
            <Value Type="UnsignedInteger">323</Value>"#;
        assert_eq!(event_ids(xml), vec![323]);
        // The suppression value names the field but carries no number.
        assert!(
            event_ids("<SuppressionValue>$Data/EventDisplayNumber$</SuppressionValue>").is_empty()
        );
    }

    #[test]
    fn codes_are_whole_words() {
        assert!(has_word("failed: 1007 AccessDenied", "1007"));
        assert!(!has_word("error 10070", "1007"));
        assert!(has_word("MSIS5009: The impersonation", "msis5009"));
        assert!(has_word("例外MSIS5009が記録される", "msis5009"));
    }
}
