//! Runbooks and runs that several feature files start from.

use super::Workspace;

/// Three instruction steps: `one`, `two`, `three`.
pub(crate) const TINY: &str = "id: tiny\ntitle: Three steps\nversion: '1'\nsteps:\n  \
    - id: one\n    title: One\n    kind: instruction\n  \
    - id: two\n    title: Two\n    kind: instruction\n  \
    - id: three\n    title: Three\n    kind: instruction\n";

/// `tiny.yaml` run with an answer for its first step only: stopped (exit 3) and recorded in
/// `s.json`, with `a.yaml` (`default: done`) ready to answer the rest.
pub(crate) fn stopped_after_the_first_step() -> Workspace {
    let ws = Workspace::new()
        .file("tiny.yaml", TINY)
        .file("first.yaml", "steps:\n  one: done\n")
        .file("a.yaml", "default: done\n");
    ws.cmd([
        "run",
        "tiny.yaml",
        "--answers",
        "first.yaml",
        "--state",
        "s.json",
    ])
    .failure(3);
    ws
}

/// A runbook with a line of every kind that `show`, `status` and `report` print: a gate, a
/// capture, an approval, a decision, a destructive `for_each`, a `when`, a secret and an
/// optional parameter, references.
pub(crate) const ROTATE: &str = r"id: rotate
title: Rotate the partner token
version: 2.1.0
description: |
  Replaces the token a partner uses, after a look at the trust and the change manager's
  approval.
references:
  - https://learn.microsoft.com/exchange/federation
params:
  - name: domain
    type: domain
    example: contoso.com
    help: The federated domain.
  - name: partners
    type: list
    items: domain
    example: [fabrikam.com, tailspin.com]
    help: Every partner organisation.
  - name: token
    type: string
    secret: true
    example: example-token
    help: The new token, from the vault.
  - name: tell_partners
    type: bool
    default: true
    example: true
    help: Whether the partners are told at the end.
steps:
  - id: look
    title: Look at the trust
    instructions: The trust must exist before anything changes.
    kind: check
    gate: true
    command: Get-FederationTrust -Domain {{ domain }}
  - id: read-name
    title: Read the trust's name
    instructions: Copy the Name the previous step printed.
    kind: capture
    variable: trust_name
    type: string
    example: Microsoft Federation Gateway
  - id: approve
    title: Get the change manager's approval
    instructions: Partners lose free/busy until the last step.
    kind: approval
    approver: the change manager
  - id: how
    title: Rotate now or later?
    instructions: Later leaves the old token in place.
    kind: decision
    question: Rotate the token now?
    choices:
      - id: now
        label: Now
      - id: later
        label: Later
        goto: done
  - id: rotate
    title: Rotate the token
    instructions: Replaces the token for each partner.
    kind: command
    impact: destructive
    for_each: partners
    as: partner
    confirm: domain
    command: Set-PartnerToken -Partner {{ partner }} -Token {{ token }}
    verify:
      command: Test-PartnerToken -Partner {{ partner }}
    rollback:
      instructions: Put the old token back from the vault.
  - id: done
    title: Tell the partners
    instructions: Send the message.
    kind: notify
    when: tell_partners
    to: Partners
    subject: Token rotated
    message: The token of {{ trust_name }} was rotated.
";
