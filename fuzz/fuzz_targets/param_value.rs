//! Parameter value parsing for every type, single and list, from arbitrary text. A value the
//! parser accepts must be renderable: every text in it must go through `quote::quote`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use regex::Regex;
use runbook::{Scalar, Value, ValueType, quote};

/// Every `Scalar` variant; an enum with values like a runbook's, one with a curly quote.
fn scalar(n: u8) -> Scalar {
    match n % 9 {
        0 => Scalar::String,
        1 => Scalar::Bool,
        2 => Scalar::Int,
        3 => Scalar::Enum(vec![
            "Enabled".into(),
            "Disabled".into(),
            "it\u{2019}s".into(),
            "two words".into(),
        ]),
        4 => Scalar::Domain,
        5 => Scalar::Email,
        6 => Scalar::Thumbprint,
        7 => Scalar::Uri,
        _ => Scalar::Path,
    }
}

fn check_quotable(value: &Value) {
    match value {
        Value::List(items) => items.iter().for_each(check_quotable),
        other => {
            let text = other.display();
            if let Err(e) = quote(&text) {
                panic!("accepted value {value:?} cannot be quoted: {e}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let scalar = scalar(selector);
    // A pattern as a runbook's `pattern:` would give one, on every fourth input.
    let pattern = (selector / 9 % 4 == 3).then(|| Regex::new(r"^[A-Za-z0-9.@\- ]*$").unwrap());
    let pattern = pattern.as_ref();
    let result = match selector / 9 % 3 {
        // One value as typed or given with `--set NAME=VALUE`.
        0 => ValueType::Scalar(scalar).parse_text(&text, pattern),
        // A list given as comma-separated text.
        1 => ValueType::List(scalar).parse_text(&text, pattern),
        // A list given as separate items (a YAML list in a params file), one per line.
        _ => {
            let items: Vec<String> = text.split('\n').map(str::to_owned).collect();
            ValueType::List(scalar).parse_items(&items, pattern)
        }
    };
    match result {
        Ok(value) => {
            check_quotable(&value);
            let _ = value.is_truthy();
        }
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an empty refusal");
            // A secret's refusal never quotes the item.
            if let Some((_, Some(item))) = &e.item {
                assert!(!e.message(true).contains(&runbook::testing::item_shown(item)) || item.is_empty());
            }
        }
    }
    // Refusing a list where one value is expected must not panic either.
    let _ = ValueType::Scalar(Scalar::String).parse_items(&[text.into_owned()], None);
});
