//! Checks across steps: cycles no decision breaks, variables each template may read, and a trial
//! render of every template with the examples.

use std::collections::HashSet;

use super::Validator;
use crate::param::Value;
use crate::raw::RawRunbook;
use crate::render::{Binding, RenderError, Renderer};
use crate::runbook::{Runbook, Step, StepKind, Target};
use crate::scope::{self, Captures, Secrets};
use crate::suggest;
use crate::yaml::position;

impl Validator<'_> {
    /// A cycle made only of `next` jumps and fall-through would loop forever without asking.
    ///
    /// Every step has at most one successor (a decision has none: it asks), so each walk
    /// either ends, joins an earlier walk, or closes a cycle: linear in the steps, where trying
    /// every start was quadratic (seconds for a 20,000-step file). The cycle reported is the
    /// one through the lowest step index, named from that step to the one jumping back to it.
    pub(super) fn check_cycles(&mut self, raw: &RawRunbook, steps: &[Step]) {
        let next = |i: usize| -> Option<usize> {
            if matches!(steps[i].kind, StepKind::Decision { .. }) {
                return None;
            }
            match &steps[i].next {
                Some(Target::Step(j)) => Some(*j),
                Some(Target::End) => None,
                None => (i + 1 < steps.len()).then_some(i + 1),
            }
        };
        // The walk that first reached each step (0: not reached yet).
        let mut walk = vec![0usize; steps.len()];
        let mut lowest: Option<usize> = None;
        for start in 0..steps.len() {
            if walk[start] != 0 {
                continue;
            }
            let mut i = start;
            loop {
                walk[i] = start + 1;
                match next(i) {
                    Some(j) if walk[j] == 0 => i = j,
                    Some(j) if walk[j] == start + 1 => {
                        // A new cycle through `j`: find its lowest step.
                        let mut low = j;
                        let mut k = next(j).unwrap_or(j);
                        while k != j {
                            low = low.min(k);
                            k = next(k).unwrap_or(j);
                        }
                        lowest = Some(lowest.map_or(low, |l| l.min(low)));
                        break;
                    }
                    _ => break,
                }
            }
        }
        let Some(start) = lowest else { return };
        let mut i = start;
        while let Some(j) = next(i).filter(|j| *j != start) {
            i = j;
        }
        let at = raw.steps[i]
            .next
            .as_ref()
            .map_or_else(|| position(&raw.steps[i].id), position);
        self.diag(
            at.0,
            at.1,
            format!(
                "steps `{}` .. `{}` form a cycle that no decision breaks: the run would never end",
                steps[start].id, steps[i].id
            ),
        );
    }

    pub(super) fn check_variables(&mut self, rb: &Runbook, renderer: &Renderer) {
        // Parameters and the captures of the steps before the current one, grown step by step
        // (rebuilt for every step, this was quadratic in the steps).
        let mut before: Vec<&str> = rb.params.iter().map(|p| p.name.as_str()).collect();
        let mut before_set: HashSet<&str> = before.iter().copied().collect();
        for (index, step) in rb.steps.iter().enumerate() {
            let item = step.for_each.as_ref().map(|f| f.item.as_str());
            for t in step.templates() {
                for var in renderer.variables(&t.name) {
                    if before_set.contains(var.as_str()) || item == Some(var.as_str()) {
                        continue;
                    }
                    let later = rb.steps[index..].iter().find(|s| matches!(&s.kind, StepKind::Capture { variable, .. } if *variable == var));
                    let message = if let Some(s) = later {
                        format!(
                            "{} uses the captured value `{var}` before step `{}` captures it",
                            t.origin, s.id
                        )
                    } else {
                        let known = before.iter().copied().chain(item);
                        let hint = suggest::hint(&var, known);
                        format!("{} uses the unknown variable `{var}`{hint}", t.origin)
                    };
                    let (l, c) = self.template_spans.get(&t.name).copied().unwrap_or((1, 1));
                    self.diag(l, c, message);
                }
            }
            if let StepKind::Capture { variable, .. } = &step.kind {
                before.push(variable);
                before_set.insert(variable);
            }
        }
    }

    /// Renders every template with the examples, both as a live run and as an export.
    pub(super) fn render_examples(&mut self, rb: &Runbook, renderer: &Renderer) {
        let params = scope::example_values(rb);
        let captured = scope::example_captures(rb);
        for (index, step) in rb.steps.iter().enumerate() {
            for captures in [Captures::Known(&captured), Captures::Deferred] {
                let mut b = scope::bindings(rb, &params, captures, Secrets::Mask, index);
                if let Some(f) = &step.for_each {
                    let item = match (
                        params.get(&f.list).or_else(|| captured.get(&f.list)),
                        captures,
                    ) {
                        (_, Captures::Deferred) if rb.param(&f.list).is_none() => Binding::Deferred,
                        (Some(Value::List(items)), _) if !items.is_empty() => {
                            Binding::Value(items[0].clone())
                        }
                        _ => Binding::Deferred,
                    };
                    b.insert(f.item.clone(), item);
                }
                let ctx = Renderer::context(&b);
                for t in step.templates() {
                    if let Err(RenderError { message, .. }) = renderer.render(t, &ctx) {
                        let (l, c) = self.template_spans.get(&t.name).copied().unwrap_or((1, 1));
                        self.diag(
                            l,
                            c,
                            format!("{} does not render with the examples: {message}", t.origin),
                        );
                        return;
                    }
                }
            }
        }
    }
}
