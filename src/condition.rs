//! `when:` conditions: a deliberately tiny language (`name`, `not name`, `name == 'x'`,
//! `name != 'x'`) so that a reviewer can read every condition at a glance.

use crate::param::Value;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The param or capture it reads.
    pub variable: String,
    /// The test.
    pub test: Test,
}

/// What is tested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// True, non-empty, non-zero.
    Truthy,
    /// The opposite.
    Falsy,
    /// Equal to the text (compared with the value as typed).
    Equals(String),
    /// Not equal.
    NotEquals(String),
}

impl Condition {
    /// Parses the source text of a `when:`.
    pub fn parse(text: &str) -> Result<Condition, String> {
        let text = text.trim();
        let (variable, test) = if let Some(rest) = text.strip_prefix("not ") {
            (rest.trim(), Test::Falsy)
        } else if let Some((l, r)) = text.split_once("==") {
            (l.trim(), Test::Equals(literal(r)?))
        } else if let Some((l, r)) = text.split_once("!=") {
            (l.trim(), Test::NotEquals(literal(r)?))
        } else {
            (text, Test::Truthy)
        };
        if !is_name(variable) {
            return Err(format!(
                "condition `{text}` is not of the form `name`, `not name`, `name == 'value'` or `name != 'value'`"
            ));
        }
        Ok(Condition {
            variable: variable.to_owned(),
            test,
        })
    }

    /// Evaluates the condition against the variable's value.
    pub fn holds(&self, value: &Value) -> bool {
        match &self.test {
            Test::Truthy => value.is_truthy(),
            Test::Falsy => !value.is_truthy(),
            Test::Equals(v) => value.display().eq_ignore_ascii_case(v),
            Test::NotEquals(v) => !value.display().eq_ignore_ascii_case(v),
        }
    }
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.test {
            Test::Truthy => write!(f, "{}", self.variable),
            Test::Falsy => write!(f, "not {}", self.variable),
            Test::Equals(v) => write!(f, "{} == '{v}'", self.variable),
            Test::NotEquals(v) => write!(f, "{} != '{v}'", self.variable),
        }
    }
}

fn literal(text: &str) -> Result<String, String> {
    let t = text.trim();
    let unquoted = t
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| t.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
    match unquoted {
        Some(s) if !s.contains(['\'', '"']) => Ok(s.to_owned()),
        None if !t.is_empty() && t.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c)) => {
            Ok(t.to_owned())
        }
        _ => Err(format!(
            "`{t}` is not a value: write 'text', a number, true or false"
        )),
    }
}

/// Whether `s` is a valid variable name: `[a-z][a-z0-9_]*`.
pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(Condition::parse("hybrid").unwrap().test, Test::Truthy);
        assert_eq!(Condition::parse("not hybrid").unwrap().test, Test::Falsy);
        assert_eq!(
            Condition::parse("mode == 'full'").unwrap().test,
            Test::Equals("full".into())
        );
        assert_eq!(
            Condition::parse("n != 3").unwrap().test,
            Test::NotEquals("3".into())
        );
        assert!(Condition::parse("a and b").is_err());
        assert!(Condition::parse("Mode == 'x'").is_err());
    }

    #[test]
    fn evaluates() {
        let c = Condition::parse("flag == true").unwrap();
        assert!(c.holds(&Value::Bool(true)));
        assert!(!c.holds(&Value::Bool(false)));
        assert!(
            Condition::parse("not l")
                .unwrap()
                .holds(&Value::List(vec![]))
        );
    }
}
