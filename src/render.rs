//! Tera 2 set up so that PowerShell quoting is the default, not something to remember.
//!
//! Every template whose name ends in `.ps1`, in any case, is auto-escaped with
//! [`crate::quote::quote`]: each `{{ value }}` becomes one single-quoted literal. Typed values
//! that are not text (bools, ints) are inserted pre-rendered as `$true` / digits. Message
//! templates (`.txt`, `.md`) are plain text and quote only through the explicit `ps` filter.
//!
//! For the exported script, captured values are not known yet: they are bound to placeholders
//! that render as the PowerShell variable holding the value (`$trust_name`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;

use tera::{Context, Kwargs, State, Tera};

use crate::error::Error;
use crate::param::Value;
use crate::quote::quote;
use crate::runbook::Template;

/// Brackets a captured variable's name inside a placeholder. Private-use characters, which
/// `param::check_visible` refuses in every value, so no real value can forge one.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// What a template variable is bound to.
#[derive(Debug, Clone)]
pub enum Binding {
    /// A known, checked value.
    Value(Value),
    /// A secret: rendered as a masked literal.
    Masked,
    /// A value the exported script obtains at run time, held in `$name`.
    Deferred,
}

/// The variables visible to one render.
pub(crate) type Bindings = BTreeMap<String, Binding>;

/// A template that did not render: which one (its origin, for messages) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{template}: {message}")]
pub struct RenderError {
    /// Which template (step and field).
    pub template: String,
    /// Why.
    pub message: String,
}

// Here rather than in `error.rs`: the crate's error knows nothing of the renderer's.
impl From<RenderError> for Error {
    fn from(e: RenderError) -> Error {
        Error::Render {
            template: e.template,
            message: e.message,
        }
    }
}

/// The compiled templates of one runbook.
pub struct Renderer {
    tera: Tera,
}

thread_local! {
    /// Why the escape function refused a value; Tera only carries an `io::Error` kind through.
    static REFUSAL: RefCell<Option<String>> = const { RefCell::new(None) };
}

impl Renderer {
    /// Compiles `templates` (name, text). Errors name the template and position.
    pub fn new<'a>(
        templates: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Renderer, (String, String)> {
        let mut tera = Tera::new();
        // Every casing `is_powershell` accepts: Tera matches suffixes case-sensitively, and a
        // PowerShell template it did not escape would take values in unquoted.
        tera.autoescape_on([".ps1", ".pS1", ".Ps1", ".PS1"]);
        tera.set_escape_fn(escape_powershell);
        tera.register_filter("ps_array", ps_array);
        tera.register_filter("ps", ps_filter);
        tera.register_filter("safe", refuse_safe);
        let templates: Vec<(&str, &str)> = templates.into_iter().collect();
        // One batch: Tera re-links every template after each single add, which made adding
        // them one by one quadratic (a quarter of validating the rebuild runbook).
        if tera.add_raw_templates(templates.iter().copied()).is_err() {
            // Only on failure: add one by one to name the template at fault.
            for (name, text) in templates {
                tera.add_raw_template(name, text)
                    .map_err(|e| (name.to_owned(), describe(&e)))?;
            }
        }
        Ok(Renderer { tera })
    }

    /// The top-level variables a template reads (best effort: loop variables excluded).
    pub fn variables(&self, name: &str) -> Vec<String> {
        let mut vars: Vec<String> = self
            .tera
            .get_template_variables(name)
            .map(|set| set.into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        vars.sort();
        vars
    }

    /// Builds the Tera context for `bindings`; reuse it across renders of one step.
    pub fn context(bindings: &Bindings) -> Context {
        let mut ctx = Context::new();
        for (name, binding) in bindings {
            ctx.insert_value(name.clone(), to_tera(name, binding));
        }
        ctx
    }

    /// Renders `template` with `ctx`.
    pub fn render(&self, template: &Template, ctx: &Context) -> Result<String, RenderError> {
        Ok(resolve_placeholders(&self.render_deferred(template, ctx)?))
    }

    /// Renders `template` with `ctx`, keeping each deferred (captured) value as a marker that
    /// [`captured_parts`] splits out: the export prints a notify message with the value read at
    /// run time, and the change plan shows `<captured: name>` instead of a bare `$name`.
    pub fn render_deferred(
        &self,
        template: &Template,
        ctx: &Context,
    ) -> Result<String, RenderError> {
        REFUSAL.with(|r| r.borrow_mut().take());
        self.tera.render(&template.name, ctx).map_err(|e| {
            let message = REFUSAL
                .with(|r| r.borrow_mut().take())
                .unwrap_or_else(|| describe(&e));
            RenderError {
                template: template.origin.clone(),
                message,
            }
        })
    }
}

/// A piece of text rendered by [`Renderer::render_deferred`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    /// Text known when the script was made.
    Text(&'a str),
    /// The name of a value captured at run time.
    Captured(&'a str),
}

/// Splits `text` (from [`Renderer::render_deferred`]) into known text and captured values.
pub(crate) fn captured_parts(text: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        let after = &rest[open + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else {
            break;
        };
        if open > 0 {
            parts.push(Part::Text(&rest[..open]));
        }
        parts.push(Part::Captured(&after[..close]));
        rest = &after[close + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    parts
}

/// `text` from [`Renderer::render_deferred`] with each captured value written by `show`.
pub(crate) fn show_captured(
    text: &str,
    show: impl Fn(&str) -> String,
) -> std::borrow::Cow<'_, str> {
    if !text.contains(OPEN) {
        // Most units hold no captured value: no copy (the export writes megabytes of them).
        return std::borrow::Cow::Borrowed(text);
    }
    captured_parts(text)
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => t.to_owned(),
            Part::Captured(name) => show(name),
        })
        .collect::<String>()
        .into()
}

/// Binds one variable as Tera sees it.
pub(crate) fn to_tera(name: &str, binding: &Binding) -> tera::Value {
    match binding {
        Binding::Value(v) => value_to_tera(v),
        Binding::Masked => tera::Value::safe_string("'********' <# secret: supply at run time #>"),
        Binding::Deferred => tera::Value::from(format!("{OPEN}{name}{CLOSE}")),
    }
}

fn value_to_tera(value: &Value) -> tera::Value {
    match value {
        Value::Text(s) => tera::Value::from(s.as_str()),
        Value::Bool(true) => tera::Value::safe_string("$true"),
        Value::Bool(false) => tera::Value::safe_string("$false"),
        Value::Int(i) => tera::Value::from(*i),
        Value::List(items) => {
            tera::Value::from(items.iter().map(value_to_tera).collect::<Vec<_>>())
        }
    }
}

/// Whether the template `name` is PowerShell, so auto-escaped and linted: `.ps1` in any case,
/// as a Windows author may name the file.
pub(crate) fn is_powershell(name: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("ps1"))
}

/// The autoescape function for `.ps1` templates.
fn escape_powershell(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let literal = literal_or_variable(input).map_err(|why| {
        REFUSAL.with(|r| *r.borrow_mut() = Some(why));
        std::io::Error::other("refused")
    })?;
    out.write_all(literal.as_bytes())
}

/// One PowerShell literal for `input`, or the `$variable` a placeholder stands for.
fn literal_or_variable(input: &str) -> Result<String, String> {
    if placeholder(input).is_some() {
        // Kept as a marker: `render` turns it into `$name`, `render_deferred` leaves it for
        // the caller to show.
        return Ok(input.to_owned());
    }
    if input.contains(OPEN) {
        return Err(format!(
            "the captured value in {:?} is combined with other text; in the exported script it is a \
             PowerShell variable, so write the combination in PowerShell instead of with `~`",
            resolve_placeholders(input)
        ));
    }
    if input.is_empty() {
        // An empty -Identity on a Get- cmdlet returns every object (domain reference 4.4).
        return Err("refusing to render an empty value".into());
    }
    quote(input).map_err(|e| format!("refusing to render a value that {e}"))
}

fn placeholder(input: &str) -> Option<&str> {
    input
        .strip_prefix(OPEN)?
        .strip_suffix(CLOSE)
        .filter(|n| !n.contains(OPEN))
}

fn resolve_placeholders(text: &str) -> String {
    if !text.contains(OPEN) {
        return text.to_owned();
    }
    text.replace(OPEN, "$").replace(CLOSE, "")
}

/// `{{ list | ps_array }}`: `@('a', 'b')`, built by the engine, so marked safe.
fn ps_array(value: &tera::Value, _: Kwargs, _: &State) -> tera::TeraResult<tera::Value> {
    if let Some(name) = value.as_str().and_then(placeholder) {
        return Ok(tera::Value::safe_string(&format!("@(${name})")));
    }
    let items = value
        .as_array()
        .ok_or_else(|| tera::Error::message("`ps_array` needs a list"))?;
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        // Bools are the engine's own `$true`/`$false` (the only safe strings: `| safe` is
        // refused) and ints are digits: quoting them would make `'$false'`, which is true.
        let part = match (item.is_safe(), item.as_str(), item.as_i64()) {
            (true, Some(s), _) => s.to_owned(),
            (_, None, Some(n)) => n.to_string(),
            (_, Some(s), _) => literal_or_variable(s).map_err(tera::Error::message)?,
            _ => literal_or_variable(&item.to_string()).map_err(tera::Error::message)?,
        };
        parts.push(part);
    }
    Ok(tera::Value::safe_string(&format!(
        "@({})",
        parts.join(", ")
    )))
}

/// `{{ value | ps }}`: one literal, for PowerShell lines inside a message template.
fn ps_filter(value: &tera::Value, _: Kwargs, _: &State) -> tera::TeraResult<tera::Value> {
    if value.is_safe() {
        return Ok(value.clone());
    }
    let text = match value.as_str() {
        Some(s) => s.to_owned(),
        None => value.to_string(),
    };
    literal_or_variable(&text)
        .map(|l| tera::Value::safe_string(&l))
        .map_err(tera::Error::message)
}

fn refuse_safe(_: &tera::Value, _: Kwargs, _: &State) -> tera::TeraResult<tera::Value> {
    Err(tera::Error::message(
        "the `safe` filter is not allowed in runbook templates: every value must be quoted",
    ))
}

/// Tera's error as one line: its message, then where in the template (`name:line:col`).
fn describe(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    let mut message = String::new();
    let mut location = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(at) = line.strip_prefix("--> ") {
            location = Some(at.to_owned());
        } else if message.is_empty() && !line.is_empty() {
            line.strip_prefix("error: ")
                .unwrap_or(line)
                .clone_into(&mut message);
        }
    }
    match location {
        Some(at) => format!("{message} (at {at})"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(tpl: &str, bindings: &[(&str, Binding)]) -> Result<String, Error> {
        let r = Renderer::new([("t.ps1", tpl)]).map_err(|(_, m)| Error::Message(m))?;
        let b: Bindings = bindings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let t = Template {
            name: "t.ps1".into(),
            origin: "t.ps1".into(),
            inline_at: None,
        };
        Ok(r.render(&t, &Renderer::context(&b))?)
    }

    fn text(s: &str) -> Binding {
        Binding::Value(Value::Text(s.into()))
    }

    #[test]
    fn values_render_as_literals_by_default() {
        let out = render(
            "Get-X -Identity {{ n }} -Flag {{ f }} -Count {{ c }}",
            &[
                ("n", text("it's $(calc)")),
                ("f", Binding::Value(Value::Bool(false))),
                ("c", Binding::Value(Value::Int(3))),
            ],
        )
        .unwrap();
        assert_eq!(out, "Get-X -Identity 'it''s $(calc)' -Flag $false -Count 3");
    }

    #[test]
    fn deferred_values_render_as_variables() {
        let out = render("Remove-X -Identity {{ t }}", &[("t", Binding::Deferred)]).unwrap();
        assert_eq!(out, "Remove-X -Identity $t");
        let err = render("X {{ 'a' ~ t }}", &[("t", Binding::Deferred)]).unwrap_err();
        assert!(
            err.to_string().contains("combined with other text"),
            "{err}"
        );
    }

    #[test]
    fn safe_filter_is_refused() {
        let err = render("X {{ n | safe }}", &[("n", text("a"))]).unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{err}");
    }

    #[test]
    fn empty_and_control_values_are_refused() {
        assert!(render("X {{ n }}", &[("n", text(""))]).is_err());
        let err = render("X {{ n }}", &[("n", text("a\nb"))]).unwrap_err();
        assert!(err.to_string().contains("U+000A"), "{err}");
    }

    #[test]
    fn ps_array_keeps_bools_and_ints_unquoted() {
        let bools = Binding::Value(Value::List(vec![Value::Bool(true), Value::Bool(false)]));
        let ints = Binding::Value(Value::List(vec![Value::Int(1), Value::Int(-2)]));
        assert_eq!(
            render(
                "{{ b | ps_array }} {{ i | ps_array }}",
                &[("b", bools), ("i", ints)]
            )
            .unwrap(),
            "@($true, $false) @(1, -2)"
        );
    }

    #[test]
    fn ps_array_quotes_each_item() {
        let list = Binding::Value(Value::List(vec![
            Value::Text("a'b".into()),
            Value::Text("c".into()),
        ]));
        assert_eq!(
            render("{{ l | ps_array }}", &[("l", list)]).unwrap(),
            "@('a''b', 'c')"
        );
    }
}
