//! The export plan: every step rendered for every item, with captured values deferred to the
//! PowerShell variables that the script itself fills in.

use std::cell::RefCell;

use crate::condition::Condition;
use crate::error::Result;
use crate::loader::Loaded;
use crate::param::Value;
use crate::quote::quote;
use crate::render::{Binding, Renderer};
use crate::runbook::{Param, Runbook, Step, StepKind};
use crate::scope::{self, Captures, Secrets, Values};

/// A runbook rendered for export.
pub(crate) struct Plan<'a> {
    /// The runbook.
    pub runbook: &'a Runbook,
    /// Parameter values.
    pub values: &'a Values,
    /// The compiled templates.
    renderer: &'a Renderer,
    /// Steps in file order.
    pub steps: Vec<PlannedStep<'a>>,
}

/// One step rendered.
pub(crate) struct PlannedStep<'a> {
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
    /// One entry per unit: the item of a `for_each` step, or `None` for a plain step.
    pub items: Vec<Option<Item>>,
    /// A `for_each` over a captured list: the script loops over `$list` with `$item`.
    pub runtime_loop: Option<(String, String)>,
    /// The step's template context; the loop item is overwritten per unit, so no copy per item.
    ctx: RefCell<tera::Context>,
}

/// The item of a unit.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// A known value.
    Known(Value),
    /// The loop variable of a runtime loop.
    Deferred,
}

/// One rendered unit.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderedUnit {
    /// The item, for `for_each` steps.
    pub item: Option<Item>,
    /// The command (or message for notify), captured values as markers (`render::captured_parts`).
    pub command: Option<String>,
    /// The verification command.
    pub verify: Option<String>,
    /// The rollback command.
    pub rollback: Option<String>,
    /// For destructive steps: the PowerShell expression the operator must type.
    pub confirm: Option<String>,
}

impl<'a> Plan<'a> {
    /// Prepares every step of `loaded` with `values`; units are rendered on demand by
    /// [`Plan::unit`], so a large export never holds every rendered command at once.
    pub(crate) fn build(loaded: &'a Loaded, values: &'a Values) -> Plan<'a> {
        let rb = &loaded.runbook;
        let mut steps = Vec::with_capacity(rb.steps.len());
        // Grows as capture steps are passed: each capture is visible to the steps after it.
        let mut running = Renderer::context(&scope::bindings(
            rb,
            values,
            Captures::Deferred,
            Secrets::Mask,
            0,
        ));
        let mut deferred: Vec<&str> = Vec::new();
        for (index, step) in rb.steps.iter().enumerate() {
            let (included, runtime_condition) = match &step.when {
                Some(c) => match values.get(&c.variable) {
                    Some(v) if rb.param(&c.variable).is_some() => (c.holds(v), None),
                    _ => (true, Some(c)),
                },
                None => (true, None),
            };
            let mut uses_captures: Vec<String> = step
                .templates()
                .iter()
                .flat_map(|t| loaded.renderer.variables(&t.name))
                .filter(|v| deferred.contains(&v.as_str()))
                .collect();
            uses_captures.sort();
            uses_captures.dedup();
            let mut runtime_loop = None;
            let items: Vec<Option<Item>> = match &step.for_each {
                None => vec![None],
                Some(f) => {
                    if let Some(Value::List(items)) = values.get(&f.list) {
                        items
                            .iter()
                            .cloned()
                            .map(|v| Some(Item::Known(v)))
                            .collect()
                    } else {
                        runtime_loop = Some((f.list.clone(), f.item.clone()));
                        vec![Some(Item::Deferred)]
                    }
                }
            };
            steps.push(PlannedStep {
                number: index + 1,
                step,
                included,
                runtime_condition,
                uses_captures,
                items: if included { items } else { Vec::new() },
                runtime_loop,
                ctx: RefCell::new(running.clone()),
            });
            if let StepKind::Capture { variable, .. } = &step.kind {
                running.insert_value(
                    variable.clone(),
                    crate::render::to_tera(variable, &Binding::Deferred),
                );
                deferred.push(variable);
            }
        }
        Plan {
            runbook: rb,
            values,
            renderer: &loaded.renderer,
            steps,
        }
    }

    /// Renders one unit of `ps`.
    pub(crate) fn unit(&self, ps: &PlannedStep<'_>, item: Option<&Item>) -> Result<RenderedUnit> {
        let step = ps.step;
        let mut ctx = ps.ctx.borrow_mut();
        if let (Some(f), Some(it)) = (&step.for_each, item) {
            let binding = match it {
                Item::Known(v) => Binding::Value(v.clone()),
                Item::Deferred => Binding::Deferred,
            };
            // insert_value replaces the previous item in place; `extend` would rebuild the map.
            ctx.insert_value(f.item.clone(), crate::render::to_tera(&f.item, &binding));
        }
        // Captured values stay markers here: the script writes them as `$name`, the change plan as
        // `<captured: name>`, and a message to send joins them in at run time.
        let render = |t: &crate::runbook::Template| self.renderer.render_deferred(t, &ctx);
        let mut unit = RenderedUnit {
            item: item.cloned(),
            ..RenderedUnit::default()
        };
        match &step.kind {
            StepKind::Command {
                command,
                verify,
                confirm,
            } => {
                unit.command = Some(render(command)?);
                unit.verify = verify.as_ref().map(|v| render(&v.command)).transpose()?;
                unit.confirm = confirm
                    .as_ref()
                    .map(|name| self.confirm_expr(name, step, item));
            }
            StepKind::Check { command, .. } | StepKind::Wait { command, .. } => {
                unit.command = Some(render(command)?);
            }
            StepKind::Capture { command, .. } => {
                unit.command = command.as_ref().map(render).transpose()?;
            }
            StepKind::Notify { message, .. } => unit.command = Some(render(message)?),
            StepKind::Instruction | StepKind::Decision { .. } | StepKind::Approval { .. } => {}
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
    fn confirm_expr(&self, name: &str, step: &Step, item: Option<&Item>) -> String {
        if step.for_each.as_ref().is_some_and(|f| f.item == name) {
            return match item {
                Some(Item::Known(v)) => literal(v),
                _ => format!("${name}"),
            };
        }
        match (self.runbook.param(name), self.values.get(name)) {
            (Some(p), _) if p.secret => "'********'".into(),
            (Some(_), Some(v)) => literal(v),
            _ => format!("${name}"),
        }
    }

    /// A parameter's value as shown in headers: its PowerShell literal, or masked.
    pub(crate) fn shown_value(&self, p: &Param) -> String {
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
pub(super) fn literal(v: &Value) -> String {
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
