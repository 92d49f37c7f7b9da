//! One module per shipped runbook beyond the rebuild: the rendered procedure holds its cmdlets in
//! the documented order and none of the forms the domain reference forbids.

mod adfs302;
mod adfs323;
mod kb2995731;
mod rollover;
mod triage;
