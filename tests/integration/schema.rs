//! The published schema: `runbook.schema.json` is what `runbook schema` prints, and every
//! shipped runbook validates against it (so editors that read it agree with the validator).

use crate::support::{Test, root, shipped_ids};

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
