//! Reading the JSON of `status` and `report --format json` ([`super::Workspace::status`],
//! [`super::Workspace::record`]).

use serde_json::Value;

/// The unit `id` (a step id, or `step[item]` for an item of a `for_each`); panics naming it.
pub(crate) fn unit<'a>(st: &'a Value, id: &str) -> &'a Value {
    st["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["id"] == id)
        .unwrap_or_else(|| panic!("no unit {id}"))
}

/// Every event of `kind` (`approved`, `gate-overridden`, ...), in the record's order.
pub(crate) fn events<'a>(st: &'a Value, kind: &str) -> Vec<&'a Value> {
    st["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["event"] == kind)
        .collect()
}
