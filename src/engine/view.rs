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

impl Engine<'_, '_> {
    pub(super) fn render(&self, pos: &Position) -> Result<Rendered> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let values = self.session.values();
        let captured = Captures::Known(&self.session.state().captured);
        let items = self.session.items(step).map_err(Error::Message)?;
        let count = items.map_or(1, <[_]>::len);
        let item = items.and_then(|i| i.get(pos.item)).cloned();
        let context = |secrets| {
            let mut b = scope::bindings(rb, &values, captured, secrets, pos.step);
            if let (Some(f), Some(v)) = (&step.for_each, &item) {
                b.insert(f.item.clone(), crate::render::Binding::Value(v.clone()));
            }
            Renderer::context(&b)
        };
        let shown = context(Secrets::Reveal);
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
        let shown_command = command.map(|t| render(t, &shown)).transpose()?;
        let has_secret = rb.params.iter().any(|p| p.secret);
        let recorded_command = match (command, has_secret) {
            (Some(t), true) => Some(render(t, &context(Secrets::Mask))?),
            _ => shown_command.clone(),
        };
        let rollback = match &step.rollback {
            Some(r) => {
                let mut text = r.instructions.clone().unwrap_or_default();
                if let Some(c) = &r.command {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(&render(c, &shown)?);
                }
                Some(text)
            }
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
            verify: verify.map(|t| render(t, &shown)).transpose()?,
            expect,
            rollback,
            gate,
        };
        Ok(Rendered {
            view,
            recorded_command,
        })
    }
}
