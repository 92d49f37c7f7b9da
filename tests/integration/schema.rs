//! The published schemas: `runbook.schema.json` is what `runbook schema` prints, and every
//! shipped runbook validates against it (so editors that read it agree with the validator);
//! `report.schema.json` is what `runbook schema --report` prints, generated from the types the
//! report is built from, and every report JSON the tests produce validates against it
//! (`Workspace::record`).

use crate::support::fixtures::stopped_after_the_first_step;
use crate::support::{Test, report_schema_errors, root, shipped_ids};

#[test]
fn the_committed_schema_is_what_runbook_schema_prints() {
    let printed = Test::new().args(["schema"]).go().success().stdout();
    let committed =
        std::fs::read_to_string(root().join("runbook.schema.json")).expect("runbook.schema.json");
    assert!(
        printed == committed,
        "runbook.schema.json is stale: run `cargo run -- schema > runbook.schema.json`"
    );
}

#[test]
fn every_shipped_runbook_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("runbook.schema.json")).expect("schema"),
    )
    .expect("json");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for id in shipped_ids() {
        let text =
            std::fs::read_to_string(root().join(format!("runbooks/{id}.yaml"))).expect("runbook");
        let doc: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml as json");
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{}: {e}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
    }
    // And the schema is not vacuous: an unknown key is refused.
    let bad: serde_json::Value =
        serde_saphyr::from_str("id: x\ntitle: X\nversion: '1'\nsteps: []\nstpes: []\n")
            .expect("yaml");
    assert!(
        !validator.is_valid(&bad),
        "an unknown top-level key must fail"
    );
}

#[test]
fn the_committed_report_schema_is_what_runbook_schema_report_prints() {
    let printed = Test::new()
        .args(["schema", "--report"])
        .go()
        .success()
        .stdout();
    let committed =
        std::fs::read_to_string(root().join("report.schema.json")).expect("report.schema.json");
    assert!(
        printed == committed,
        "report.schema.json is stale: run `cargo run -- schema --report > report.schema.json`"
    );
}

/// A way to break a report.
type Break = fn(&mut serde_json::Value);

#[test]
fn a_report_that_breaks_its_schema_is_refused() {
    let ws = stopped_after_the_first_step();
    let good = ws.record("s.json");
    assert!(report_schema_errors(&good).is_empty());
    let broken: [(&str, Break); 6] = [
        ("a field missing", |r| {
            r.as_object_mut().expect("object").remove("ticket");
        }),
        ("an unknown field", |r| {
            r["tickets"] = "CHG0042".into();
        }),
        ("a status not in the list", |r| {
            r["status"] = "finished".into();
        }),
        ("a count that is text", |r| {
            r["summary"]["counts"]["done"] = "1".into();
        }),
        ("a unit without its attempts", |r| {
            r["units"][0]
                .as_object_mut()
                .expect("unit")
                .remove("attempts");
        }),
        ("an event without its name", |r| {
            r["events"][0]
                .as_object_mut()
                .expect("event")
                .remove("event");
        }),
    ];
    for (what, breaks) in broken {
        let mut r = good.clone();
        breaks(&mut r);
        assert!(
            !report_schema_errors(&r).is_empty(),
            "{what} passed the schema"
        );
    }
}
