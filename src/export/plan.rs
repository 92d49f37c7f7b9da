//! The export plan: every step rendered for every item, with captured values deferred to the
//! PowerShell variables that the script itself fills in.

use crate::condition::Condition;
use crate::error::Result;
use crate::loader::Loaded;
use crate::param::Value;
use crate::quote::quote;
use crate::render::{Binding, Renderer};
use crate::runbook::{Param, Runbook, Step};
use crate::scope::{self, Captures, Secrets, Values};

/// A runbook rendered for export.
pub struct Plan<'a> {
    /// The runbook.
    pub runbook: &'a Runbook,
    /// Parameter values.
    pub values: &'a Values,
    /// Steps in file order.
    pub steps: Vec<PlannedStep<'a>>,
}

/// One step rendered.
pub struct PlannedStep<'a> {
    /// 1-based number.
    pub number: usize,
    /// The step.
    pub step: &'a Step,
    /// False when a condition on parameters already rules the step out.
    pub included: bool,
    /// A condition on captured values the script must test at run time.
    pub runtime_condition: Option<&'a Condition>,
    /// Captured variables the step's templates read (the script checks they are set).
    pub uses_captures: Vec<String>,
    /// One unit per item (one unit without item for plain steps).
    pub units: Vec<Unit>,
    /// A `for_each` over a captured list: the script loops over `$list` with `$item`.
    pub runtime_loop: Option<(String, String)>,
}

/// The item of a unit.
#[derive(Debug, Clone)]
pub enum Item {
    /// A known value.
    Known(Value),
    /// The loop variable of a runtime loop.
    Deferred(String),
}

/// One rendered unit.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    /// The item, for `for_each` steps.
    pub item: Option<Item>,
    /// The command (or message for notify).
    pub command: Option<String>,
    /// The verification command.
    pub verify: Option<String>,
    /// The rollback command.
    pub rollback: Option<String>,
    /// For destructive steps: the PowerShell expression the operator must type.
    pub confirm: Option<String>,
}

impl<'a> Plan<'a> {
    /// Renders every step of `loaded` with `values`.
    pub fn build(loaded: &'a Loaded, values: &'a Values) -> Result<Plan<'a>> {
        let rb = &loaded.runbook;
        let mut steps = Vec::with_capacity(rb.steps.len());
        for (index, step) in rb.steps.iter().enumerate() {
            let base = scope::bindings(rb, values, Captures::Deferred, Secrets::Mask, index);
            let (included, runtime_condition) = match &step.when {
                Some(c) => match values.get(&c.variable) {
                    Some(v) if rb.param(&c.variable).is_some() => (c.holds(v), None),
                    _ => (true, Some(c)),
                },
                None => (true, None),
            };
            let mut uses_captures: Vec<String> = crate::validate::step_templates(step)
                .iter()
                .flat_map(|t| loaded.renderer.variables(&t.name))
                .filter(|v| matches!(base.get(v), Some(Binding::Deferred)))
                .collect();
            uses_captures.sort();
            uses_captures.dedup();
            let mut runtime_loop = None;
            let items: Vec<Option<Item>> = match &step.for_each {
                None => vec![None],
                Some(f) => match values.get(&f.list) {
                    Some(Value::List(items)) => items
                        .iter()
                        .cloned()
                        .map(|v| Some(Item::Known(v)))
                        .collect(),
                    _ => {
                        runtime_loop = Some((f.list.clone(), f.item.clone()));
                        vec![Some(Item::Deferred(f.item.clone()))]
                    }
                },
            };
            let mut units = Vec::with_capacity(items.len());
            if included {
                let base_ctx = Renderer::context(&base);
                for item in items {
                    units.push(render_unit(loaded, step, &base, &base_ctx, item)?);
                }
            }
            steps.push(PlannedStep {
                number: index + 1,
                step,
                included,
                runtime_condition,
                uses_captures,
                units,
                runtime_loop,
            });
        }
        Ok(Plan {
            runbook: rb,
            values,
            steps,
        })
    }

    /// A parameter's value as shown in headers: its PowerShell literal, or masked.
    pub fn shown_value(&self, p: &Param) -> String {
        if p.secret {
            return "'********' (secret, masked)".into();
        }
        match self.values.get(&p.name) {
            Some(v) => literal(v),
            None => "(not set)".into(),
        }
    }
}

/// A value as PowerShell source.
pub fn literal(v: &Value) -> String {
    match v {
        Value::Text(s) => quote(s).unwrap_or_else(|_| "(unprintable)".into()),
        Value::Bool(b) => if *b { "$true" } else { "$false" }.into(),
        Value::Int(i) => i.to_string(),
        Value::List(items) => format!(
            "@({})",
            items.iter().map(literal).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn render_unit(
    loaded: &Loaded,
    step: &Step,
    base: &crate::render::Bindings,
    base_ctx: &tera::Context,
    item: Option<Item>,
) -> Result<Unit> {
    use crate::runbook::StepKind as K;
    let ctx = match (&step.for_each, &item) {
        (Some(f), Some(it)) => {
            let mut ctx = base_ctx.clone();
            let mut one = crate::render::Bindings::new();
            one.insert(
                f.item.clone(),
                match it {
                    Item::Known(v) => Binding::Value(v.clone()),
                    Item::Deferred(_) => Binding::Deferred,
                },
            );
            ctx.extend(Renderer::context(&one));
            ctx
        }
        _ => base_ctx.clone(),
    };
    let r = &loaded.renderer;
    let render = |t: &crate::runbook::Template| r.render(t, &ctx);
    let mut unit = Unit {
        item: item.clone(),
        ..Unit::default()
    };
    match &step.kind {
        K::Command {
            command,
            verify,
            confirm,
        } => {
            unit.command = Some(render(command)?);
            unit.verify = verify.as_ref().map(|v| render(&v.command)).transpose()?;
            unit.confirm = confirm
                .as_ref()
                .map(|name| confirm_expr(name, base, step, &item));
        }
        K::Check { command, .. } | K::Wait { command, .. } => unit.command = Some(render(command)?),
        K::Capture { command, .. } => unit.command = command.as_ref().map(render).transpose()?,
        K::Notify { message, .. } => unit.command = Some(render(message)?),
        K::Instruction | K::Decision { .. } | K::Approval { .. } => {}
    }
    unit.rollback = step
        .rollback
        .as_ref()
        .and_then(|rb| rb.command.as_ref())
        .map(render)
        .transpose()?;
    Ok(unit)
}

/// The PowerShell expression holding the value to type for a destructive confirmation.
fn confirm_expr(
    name: &str,
    base: &crate::render::Bindings,
    step: &Step,
    item: &Option<Item>,
) -> String {
    if step.for_each.as_ref().is_some_and(|f| f.item == name) {
        return match item {
            Some(Item::Known(v)) => literal(v),
            _ => format!("${name}"),
        };
    }
    match base.get(name) {
        Some(Binding::Value(v)) => literal(v),
        _ => format!("${name}"),
    }
}
