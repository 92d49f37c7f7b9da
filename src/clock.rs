//! Clocks of the machines that share a run: a resume on a machine whose clock is behind the
//! last recorded event would put events out of order, so it is noticed before anything is saved.

use chrono::{DateTime, Utc};

/// Behind by more than this (Kerberos' default tolerance, and where the shipped time check
/// fails), a resume stops unless the operator accepts the skew.
pub(crate) const TOLERANCE_SECS: i64 = 300;

/// How far `now` is behind the newest event recorded in `state`, if it is behind at all.
pub(crate) struct Behind {
    /// Whole seconds behind.
    pub secs: i64,
    /// That event's time, as stored.
    pub at: String,
    /// Who recorded it.
    pub operator: String,
}

/// Compares `now` with the newest event's time (as parsed, as stored, and who recorded it).
pub(crate) fn behind(
    newest: Option<&(DateTime<Utc>, String, String)>,
    now: DateTime<Utc>,
) -> Option<Behind> {
    let (time, at, operator) = newest?;
    let secs = (*time - now).num_seconds();
    (secs > 0).then(|| Behind {
        secs,
        at: at.clone(),
        operator: operator.clone(),
    })
}

impl Behind {
    /// "7m12s behind the last recorded event (2026-11-23T10:00:00Z, by alice)".
    pub(crate) fn describe(&self) -> String {
        let (h, m, s) = (self.secs / 3600, self.secs / 60 % 60, self.secs % 60);
        let amount = match (h, m) {
            (0, 0) => format!("{s}s"),
            (0, _) => format!("{m}m{s:02}s"),
            _ => format!("{h}h{m:02}m{s:02}s"),
        };
        format!(
            "this machine's clock is {amount} behind the newest recorded event ({}, by {})",
            self.at, self.operator
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn newest(t: &str) -> (DateTime<Utc>, String, String) {
        let time = DateTime::parse_from_rfc3339(t)
            .expect("time")
            .with_timezone(&Utc);
        (time, t.to_owned(), "alice".to_owned())
    }

    #[test]
    fn a_clock_behind_the_newest_event_is_measured() {
        let state = newest("2026-11-23T10:00:00Z");
        let now = DateTime::parse_from_rfc3339("2026-11-23T09:52:48Z")
            .expect("time")
            .with_timezone(&Utc);
        let b = behind(Some(&state), now).expect("behind");
        assert_eq!(b.secs, 432);
        assert!(
            b.describe()
                .starts_with("this machine's clock is 7m12s behind")
        );
        let later = now + chrono::Duration::hours(1);
        assert!(behind(Some(&state), later).is_none());
        assert!(behind(None, now).is_none());
    }
}
