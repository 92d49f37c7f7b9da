//! `runbook new`: a scaffold runbook and template that validate, export and graph as written,
//! in the current folder or `--dir`, for a kebab-case id only, never over an existing file.

use crate::graph::check_mermaid;
use crate::support::Test;

#[test]
fn new_writes_a_runbook_and_template_that_validate_export_and_graph() {
    let (run, dir) = Test::new()
        .args(["new", "adfs-token-signing-rollover", "--dir", "authoring"])
        .run();
    let run = run.success();
    let text = dir.read("authoring/adfs-token-signing-rollover.yaml");
    assert!(
        text.starts_with(
            "# yaml-language-server: $schema=https://raw.githubusercontent.com/runbook-dev/runbook/main/runbook.schema.json\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\nid: adfs-token-signing-rollover "),
        "{text}"
    );
    assert!(
        dir.read("authoring/templates/adfs-token-signing-rollover-check.ps1")
            .contains("{{ primary_domain }}")
    );
    insta::assert_snapshot!(run.stdout(), @"
    wrote authoring/adfs-token-signing-rollover.yaml
    wrote authoring/templates/adfs-token-signing-rollover-check.ps1
    next:
      runbook validate authoring/adfs-token-signing-rollover.yaml
      runbook graph authoring/adfs-token-signing-rollover.yaml
      runbook export authoring/adfs-token-signing-rollover.yaml --example --format markdown
    ");
    // No --templates: the loader finds templates/ beside the runbook.
    let path = "authoring/adfs-token-signing-rollover.yaml";
    let validate = dir.cmd(["validate", path]).success();
    assert_eq!(validate.stderr(), "", "the scaffold has no warnings");
    for format in ["ps1", "markdown"] {
        let text = dir
            .cmd(["export", path, "--example", "--format", format])
            .success()
            .stdout();
        assert!(text.contains("'contoso.com'"), "{format}: {text}");
        assert!(
            !text.contains("{#"),
            "the template's comment is not rendered"
        );
    }
    let export = dir.cmd(["export", path, "--example"]).success();
    crate::support::powershell::assert_parses(
        "scaffold",
        &String::from_utf8(export.output.stdout).expect("utf-8"),
    );
    let graph = dir.cmd(["graph", path]).success().stdout();
    check_mermaid("scaffold", &graph);
}

#[test]
fn new_defaults_to_the_current_folder() {
    let (run, dir) = Test::new().args(["new", "x1"]).run();
    run.success();
    assert!(dir.path().join("x1.yaml").is_file());
    assert!(dir.path().join("templates/x1-check.ps1").is_file());
}

#[test]
fn new_refuses_an_id_that_is_not_kebab_case() {
    for bad in [
        "Upper",
        "under_score",
        "-lead",
        "a b",
        "../escape",
        "a.yaml",
        "é",
    ] {
        let (run, dir) = Test::new().args(["new", "--", bad]).run();
        let run = run.failure(1);
        assert!(
            run.stderr()
                .contains(&format!("error: runbook id `{bad}` must be kebab-case")),
            "{bad}: {}",
            run.stderr()
        );
        assert!(dir.files().is_empty(), "{bad}: nothing is written");
    }
}

#[test]
fn new_never_overwrites_a_runbook_or_a_template() {
    let (run, dir) = Test::new()
        .file("keep.yaml", "mine\n")
        .args(["new", "keep"])
        .run();
    let run = run.failure(1);
    assert!(
        run.stderr().contains("keep.yaml: already exists"),
        "{}",
        run.stderr()
    );
    assert_eq!(dir.read("keep.yaml"), "mine\n");
    assert_eq!(dir.files(), ["keep.yaml"], "nothing else is written");

    // Only the template exists: still refused, and no runbook is left behind.
    let (run, dir) = Test::new()
        .file("templates/other-check.ps1", "mine\n")
        .args(["new", "other"])
        .run();
    let run = run.failure(1);
    assert!(
        run.stderr().contains("other-check.ps1: already exists"),
        "{}",
        run.stderr()
    );
    assert_eq!(dir.files(), ["templates"], "no runbook is left behind");
    assert_eq!(dir.read("templates/other-check.ps1"), "mine\n");

    // A second `new` of the same id.
    let (first, dir) = Test::new().args(["new", "twice"]).run();
    first.success();
    let before = dir.read("twice.yaml");
    dir.cmd(["new", "twice"]).failure(1);
    assert_eq!(dir.read("twice.yaml"), before);
}
