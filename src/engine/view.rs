//! What the operator sees of a unit: its templates rendered with the values known so far
//! (secrets shown to the operator who typed them, masked in what the state records).

use super::Engine;
use crate::error::{Error, Result};
use crate::operator::UnitView;
use crate::render::Renderer;
use crate::runbook::{Runbook, StepKind};
use crate::scope::{self, Captures, Secrets};
use crate::session::Position;

pub(super) fn step_kind<'r>(rb: &'r Runbook, pos: &Position) -> &'r StepKind {
    &rb.steps[pos.step].kind
}

/// The rendered texts of a unit: what the operator sees, and what the state records.
pub(super) struct Rendered {
    pub(super) view: UnitView,
    pub(super) recorded_command: Option<String>,
}

/// The template contexts of one step (shown and masked), kept while the values they are made
/// of do not change: the units of a loop differ only in their item, and rebuilding a context
/// that holds a list of thousands of domains for each of them made a loop quadratic.
#[derive(Default)]
pub(super) struct Contexts {
    key: Option<(usize, u64)>,
    shown: tera::Context,
    masked: tera::Context,
}

impl Engine<'_, '_> {
    fn prepare_contexts(&mut self, pos: &Position) -> Result<()> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let key = (pos.step, self.session.state().values_version());
        if self.contexts.key != Some(key) {
            let values = self.session.values();
            let captured = Captures::Known(&self.session.state().captured);
            let context = |secrets| {
                Renderer::context(&scope::bindings(rb, &values, captured, secrets, pos.step))
            };
            self.contexts.shown = context(Secrets::Reveal);
            self.contexts.masked = context(Secrets::Mask);
            self.contexts.key = Some(key);
        }
        if let Some(f) = &step.for_each {
            let items = self.session.items(step).map_err(Error::Message)?;
            if let Some(v) = items.and_then(|i| i.get(pos.item)) {
                let binding = crate::render::Binding::Value(v.clone());
                let value = crate::render::to_tera(&f.item, &binding);
                self.contexts
                    .shown
                    .insert_value(f.item.clone(), value.clone());
                self.contexts.masked.insert_value(f.item.clone(), value);
            }
        }
        Ok(())
    }

    pub(super) fn render(&mut self, pos: &Position) -> Result<Rendered> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let items = self.session.items(step).map_err(Error::Message)?;
        let count = items.map_or(1, <[_]>::len);
        let item = items.and_then(|i| i.get(pos.item)).cloned();
        self.prepare_contexts(pos)?;
        let (shown, masked) = (&self.contexts.shown, &self.contexts.masked);
        let render =
            |t: &crate::runbook::Template, ctx: &tera::Context| self.renderer.render(t, ctx);
        let (command, verify, expect, gate) = match &step.kind {
            StepKind::Command {
                command, verify, ..
            } => (
                Some(command),
                verify.as_ref().map(|v| &v.command),
                verify.as_ref().and_then(|v| v.expect.clone()),
                false,
            ),
            StepKind::Check {
                command,
                expect,
                gate,
            } => (Some(command), None, expect.clone(), *gate),
            StepKind::Wait {
                command, expect, ..
            } => (Some(command), None, expect.clone(), false),
            StepKind::Capture { command, .. } => (command.as_ref(), None, None, false),
            StepKind::Notify { message, .. } => (Some(message), None, None, false),
            _ => (None, None, None, false),
        };
        let shown_command = command.map(|t| render(t, shown)).transpose()?;
        let has_secret = rb.params.iter().any(|p| p.secret);
        let recorded_command = match (command, has_secret) {
            (Some(t), true) => Some(render(t, masked)?),
            _ => shown_command.clone(),
        };
        let rollback = step.rollback.as_ref().and_then(|r| r.instructions.clone());
        let rollback_command = match step.rollback.as_ref().and_then(|r| r.command.as_ref()) {
            Some(c) => Some(render(c, shown)?),
            None => None,
        };
        let view = UnitView {
            unit: self.session.unit_id(pos.unit).to_owned(),
            step_number: pos.step + 1,
            step_count: rb.steps.len(),
            item: item.map(|v| (pos.item + 1, count, v.display())),
            title: step.title.clone(),
            kind: step.kind.name(),
            impact: step.impact,
            instructions: step.instructions.clone(),
            command: shown_command,
            verify: verify.map(|t| render(t, shown)).transpose()?,
            expect,
            rollback,
            rollback_command,
            gate,
        };
        Ok(Rendered {
            view,
            recorded_command,
        })
    }
}
