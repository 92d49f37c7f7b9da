//! "Did you mean": the closest known name to a misspelt one, for every diagnostic that names an
//! unknown key, step, template, variable or parameter.

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = |c: &str| 2.max(c.len() / 4);
    let word_chars = word.chars().count();
    candidates
        .into_iter()
        // The length difference is a lower bound of the distance: skipping hopeless candidates
        // first keeps a 10 MB unknown key from costing seconds of edit-distance work.
        .filter(|c| word_chars.abs_diff(c.chars().count()) <= limit(c))
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= limit(c) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `"; did you mean `best`?"` to append to a message, or nothing when no candidate is close.
pub(crate) fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|best| format!("; did you mean `{best}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_unknown_key_is_not_compared_at_length() {
        let word = "x".repeat(1_000_000);
        let started = std::time::Instant::now();
        assert_eq!(did_you_mean(&word, ["steps", "title"]), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(did_you_mean("stpes", ["steps", "title"]), Some("steps"));
    }

    #[test]
    fn a_hint_is_empty_when_nothing_is_close() {
        assert_eq!(hint("stpes", ["steps"]), "; did you mean `steps`?");
        assert_eq!(hint("zzzzzz", ["steps"]), "");
    }
}
