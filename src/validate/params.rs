//! Parameters: their types, examples and defaults, patterns and bounds.

use regex::Regex;

use crate::condition::is_name;
use crate::param::{Scalar, Value, ValueType};
use crate::raw::{RawRunbook, RawValue, Span, TypeName};
use crate::runbook::Param;

use super::Validator;

impl Validator<'_> {
    pub(super) fn value_type(
        &mut self,
        type_: &Span<TypeName>,
        items: Option<&Span<TypeName>>,
        values: &[String],
        what: &str,
    ) -> Option<ValueType> {
        let scalar = |t: TypeName| -> Option<Scalar> {
            Some(match t {
                TypeName::String => Scalar::String,
                TypeName::Bool => Scalar::Bool,
                TypeName::Int => Scalar::Int,
                TypeName::Enum => Scalar::Enum(values.to_vec()),
                TypeName::Domain => Scalar::Domain,
                TypeName::Email => Scalar::Email,
                TypeName::Thumbprint => Scalar::Thumbprint,
                TypeName::Uri => Scalar::Uri,
                TypeName::Path => Scalar::Path,
                TypeName::List => return None,
            })
        };
        let uses_enum =
            type_.value == TypeName::Enum || items.is_some_and(|i| i.value == TypeName::Enum);
        if uses_enum && values.is_empty() {
            self.at(type_, format!("{what} is an `enum` without `values`"));
            return None;
        }
        if !uses_enum && !values.is_empty() {
            self.at(type_, format!("{what} has `values` but is not an `enum`"));
        }
        match (type_.value, items) {
            (TypeName::List, Some(i)) => {
                if let Some(s) = scalar(i.value) {
                    Some(ValueType::List(s))
                } else {
                    self.at(i, format!("{what}: a list of lists is not supported"));
                    None
                }
            }
            (TypeName::List, None) => {
                self.at(
                    type_,
                    format!("{what} is a `list` without `items` (the element type)"),
                );
                None
            }
            (t, Some(i)) => {
                self.at(i, format!("{what} has `items` but is not a `list`"));
                scalar(t).map(ValueType::Scalar)
            }
            (t, None) => scalar(t).map(ValueType::Scalar),
        }
    }

    pub(super) fn pattern(&mut self, pattern: Option<&Span<String>>) -> Option<Regex> {
        let p = pattern?;
        match Regex::new(&format!("^(?:{})$", p.value)) {
            Ok(re) => Some(re),
            Err(e) => {
                let first = e.to_string().lines().last().unwrap_or_default().to_owned();
                self.at(p, format!("invalid `pattern`: {first}"));
                None
            }
        }
    }

    /// `value` if it respects `max_length`, else a diagnostic at `raw`.
    pub(super) fn within<T>(
        &mut self,
        raw: &Span<T>,
        value: Value,
        max_length: Option<usize>,
        what: &str,
    ) -> Option<Value> {
        match crate::param::check_max_length(&value, max_length) {
            Ok(()) => Some(value),
            Err(e) => {
                self.at(raw, format!("{what} {e}"));
                None
            }
        }
    }

    pub(super) fn typed_value(
        &mut self,
        raw: &Span<RawValue>,
        ty: &ValueType,
        pattern: Option<&Regex>,
        what: &str,
    ) -> Option<Value> {
        let result = match &raw.value {
            RawValue::Scalar(s) => ty.parse_text(s, pattern),
            RawValue::List(items) => ty.parse_items(items, pattern),
        };
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.at(raw, format!("{what} {e}"));
                None
            }
        }
    }

    pub(super) fn params(&mut self, raw: &RawRunbook) -> Vec<Param> {
        let mut out: Vec<Param> = Vec::new();
        for p in &raw.params {
            let name = &p.name.value;
            if !is_name(name) {
                self.at(
                    &p.name,
                    format!("parameter name `{name}` must match [a-z][a-z0-9_]*"),
                );
            }
            if out.iter().any(|q| &q.name == name) {
                self.at(&p.name, format!("duplicate parameter `{name}`"));
            }
            let what = format!("parameter `{name}`");
            let Some(value_type) = self.value_type(&p.type_, p.items.as_ref(), &p.values, &what)
            else {
                continue;
            };
            let pattern = self.pattern(p.pattern.as_ref());
            let max_length = p.max_length.as_ref().and_then(|m| {
                if m.value == 0 {
                    self.at(m, format!("`max_length` of {what} must be at least 1"));
                }
                usize::try_from(m.value).ok().filter(|&n| n > 0)
            });
            let example = if let Some(e) = &p.example {
                self.typed_value(
                    e,
                    &value_type,
                    pattern.as_ref(),
                    &format!("the example of {what}:"),
                )
                .and_then(|v| self.within(e, v, max_length, &format!("the example of {what}")))
            } else {
                self.at(
                    &p.name,
                    format!("{what} has no `example` (every parameter needs one)"),
                );
                None
            };
            let default = p.default.as_ref().and_then(|d| {
                self.typed_value(
                    d,
                    &value_type,
                    pattern.as_ref(),
                    &format!("the default of {what}:"),
                )
                .and_then(|v| self.within(d, v, max_length, &format!("the default of {what}")))
            });
            if p.default.is_some() && default.is_none() {
                continue;
            }
            let Some(example) = example else { continue };
            out.push(Param {
                name: name.clone(),
                required: p.required.unwrap_or(true) && default.is_none(),
                value_type,
                default,
                example,
                prompt: p.prompt.clone(),
                help: p.help.clone(),
                pattern,
                max_length,
                secret: p.secret,
            });
        }
        out
    }
}
