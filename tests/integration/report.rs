//! What `status` and `report` show of a run's record (issue 14: a run record that goes on the
//! change ticket as it is): the fixture runbook [`ROTATE`] run by alice up to its decision, then
//! finished by bob with a skip, as whole outputs; a shipped rebuild with one outcome of each
//! kind, handed over and finished by another operator; operator text that tries to be Markdown
//! or HTML; pasted and `--exec` output. Every report JSON here is checked against `report.schema.json`
//! (`Workspace::record`).

use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use crate::support::fixtures::ROTATE;
use crate::support::record::unit;
use crate::support::{Workspace, redact, scripted_run};

/// [`ROTATE`] run by alice on `ws01` until it stops at the decision `how` (exit 3); with the
/// stderr of that run.
fn stopped_at_the_decision() -> (Workspace, String) {
    let ws = Workspace::new()
        .file("rotate.yaml", ROTATE)
        .file(
            "a.yaml",
            "params:\n  token: Sup3r-Secret\nsteps:\n  look: {override: checked by hand}\n  \
             read-name: {value: Federation Trust}\n  approve: {approve: Carol}\n",
        )
        .file(
            "b.yaml",
            "params:\n  token: Sup3r-Secret\ndefault: done\nsteps:\n  how: {choice: now}\n  \
             done: {skip: told by phone}\n",
        );
    let err = ws
        .test()
        .host("ws01")
        .args(scripted_run("rotate.yaml", "a.yaml"))
        .args(["--operator", "alice"])
        .go()
        .failure(3)
        .stderr();
    (ws, err)
}

/// The run of [`stopped_at_the_decision`], resumed by bob on `ws01` to the end; with the stderr
/// of the resume.
fn finished() -> (Workspace, String) {
    let (ws, _) = stopped_at_the_decision();
    let err = ws
        .test()
        .host("ws01")
        .args([
            "resume",
            "s.json",
            "--answers",
            "b.yaml",
            "--operator",
            "bob",
        ])
        .go()
        .success()
        .stderr();
    (ws, err)
}

#[test]
fn a_scripted_run_says_the_state_file_the_plan_each_unit_and_where_it_stopped() {
    let (_, err) = stopped_at_the_decision();
    insta::assert_snapshot!(err, @"
    state file: s.json
    warning: --example: the parameters not given are the runbook's examples (such as contoso.com), not this organisation's values; the plan marks them
    plan: Rotate the partner token (6 steps)
    unit: look (Look at the trust)
    unit: read-name (Read the trust's name)
    unit: approve (Get the change manager's approval)
    waiting for operator input at how; resume with: runbook resume s.json --operator alice
    ");
}

#[test]
fn a_scripted_resume_says_what_was_finished_and_each_unit() {
    let (_, err) = finished();
    insta::assert_snapshot!(redact(&err), @"
    resumed: 2 done, 1 overridden, 0 skipped, 0 failed; next: how
    unit: how (Rotate now or later?)
    unit: rotate[fabrikam.com] (Rotate the token)
    unit: rotate[tailspin.com] (Rotate the token)
    unit: done (Tell the partners)
    complete: 5 done, 1 overridden, 1 skipped by an operator; report: runbook report s.json --output s.report.md
      attention: gate overridden: look (Look at the trust), by alice at <TIME>: checked by hand
      attention: skipped: done (Tell the partners), by bob at <TIME>: told by phone
    ");
}

#[test]
fn status_of_a_stopped_run_shows_the_counts_the_next_unit_and_every_unit() {
    let (ws, _) = stopped_at_the_decision();
    let shown = ws.cmd(["status", "s.json"]).success().stdout();
    insta::assert_snapshot!(redact(&shown), @"
    rotate 2.1.0 (263679eef33d): running
    record intact: 20 events, chain verified
    units: 2 done, 1 overridden, 0 skipped, 0 failed, 0 in progress, 4 pending
    next: how (pending)
      overridden  look  (alice, <TIME>)
      done        read-name  (alice, <TIME>)
      done        approve  (alice, <TIME>)
      pending     how
      pending     rotate[fabrikam.com]
      pending     rotate[tailspin.com]
      pending     done
    ");
}

#[test]
fn status_of_a_finished_run_shows_who_did_each_unit() {
    let (ws, _) = finished();
    let shown = ws.cmd(["status", "s.json"]).success().stdout();
    insta::assert_snapshot!(redact(&shown), @"
    rotate 2.1.0 (263679eef33d): complete
    record intact: 36 events, chain verified
    units: 5 done, 1 overridden, 1 skipped, 0 failed, 0 in progress, 0 pending
      overridden  look  (alice, <TIME>)
      done        read-name  (alice, <TIME>)
      done        approve  (alice, <TIME>)
      done        how  (bob, <TIME>)
      done        rotate[fabrikam.com]  (bob, <TIME>)
      done        rotate[tailspin.com]  (bob, <TIME>)
      skipped     done  (bob, <TIME>)
    ");
}

/// `text` as it is the same from one run to the next: times, the temporary folder and the
/// duration replaced.
fn stable(ws: &Workspace, text: &str) -> String {
    static DURATION: OnceLock<Regex> = OnceLock::new();
    let duration = DURATION.get_or_init(|| Regex::new(r"\*\*Duration:\*\* .*").expect("regex"));
    let folder = ws.path().display().to_string();
    let text = redact(text).replace(&folder, "<FOLDER>");
    duration
        .replace_all(&text, "**Duration:** <DURATION>")
        .into_owned()
}

/// The part of `text` from the line `from` up to (not including) the line `to`.
fn part<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = if text.starts_with(&format!("{from}\n")) {
        0
    } else {
        text.find(&format!("\n{from}\n"))
            .unwrap_or_else(|| panic!("no {from:?} in\n{text}"))
            + 1
    };
    let end = text[start..]
        .find(&format!("\n{to}"))
        .map_or(text.len(), |i| start + i + 1);
    &text[start..end]
}

#[test]
fn report_is_the_whole_record_for_the_change_ticket() {
    let (ws, _) = finished();
    let report = stable(&ws, &ws.report("s.json"));
    insta::assert_snapshot!(report, @r"
    # Run record: Rotate the partner token

    - **Runbook:** `rotate` version 2.1.0, sha256 `263679eef33d493bd8124b4aa24dfd924098b9d90577f02016d5917461b97a15`
    - **Change ticket:** none given (`run --ticket`)
    - **Started:** <TIME> by alice on ws01
    - **Finished:** <TIME>
    - **Duration:** <DURATION>
    - **Status:** **complete**
    - **Operators**, in the order they first acted: alice, bob
    - **Hand-overs:** none
    - **Record:** record intact: 36 events, chain verified

    ## Summary

    Needs attention:

    - **Gate overridden:** `look` (Look at the trust), by alice at <TIME>: checked by hand
    - **Skipped:** `done` (Tell the partners), by bob at <TIME>: told by phone

    Units: 5 done, 1 overridden, 1 skipped, 0 failed, 0 not run (a condition was false, or not on the path taken), 0 in progress, 0 not reached.

    ## Parameters

    | parameter | value |
    |---|---|
    | `domain` | contoso.com |
    | `partners` | fabrikam.com,tailspin.com |
    | `tell_partners` | true |
    | `token` | (secret, not recorded) |

    ## Steps

    | # | unit | title | kind | impact | outcome | by | finished |
    |---|---|---|---|---|---|---|---|
    | 1 | `look` | Look at the trust | check, **gate** | read | overridden | alice | <TIME> |
    | 2 | `read-name` | Read the trust's name | capture | read | done | alice | <TIME> |
    | 3 | `approve` | Get the change manager's approval | approval | read | done | alice | <TIME> |
    | 4 | `how` | Rotate now or later? | decision | read | done | bob | <TIME> |
    | 5 | `rotate[fabrikam.com]` | Rotate the token | command | **destructive** | done | bob | <TIME> |
    | 5 | `rotate[tailspin.com]` | Rotate the token | command | **destructive** | done | bob | <TIME> |
    | 6 | `done` | Tell the partners | notify | read | skipped | bob | <TIME> |

    ## Step details

    ### 1. Look at the trust

    `look` · check · read · **gate**

    **Outcome:** overridden, by alice at <TIME>

    **Gate overridden** by alice at <TIME>: checked by hand

    Attempts:

    1. started <TIME> by alice; failed <TIME>: checked by hand

    <details><summary>Command as shown</summary>

    ```powershell
    Get-FederationTrust -Domain 'contoso.com'
    ```

    </details>

    ### 2. Read the trust's name

    `read-name` · capture · read

    **Outcome:** done, by alice; started <TIME>, finished <TIME>

    **Captured** `trust_name` = Federation Trust, by alice at <TIME>

    ### 3. Get the change manager's approval

    `approve` · approval · read

    **Outcome:** done, by alice; started <TIME>, finished <TIME>

    **Approved**, approver as typed: Carol; recorded by alice at <TIME>; the runbook asks for the change manager

    ### 4. Rotate now or later?

    `how` · decision · read

    **Outcome:** done, by bob; started <TIME>, finished <TIME>

    **Chose** `now` (Now), by bob at <TIME>

    ### 5. Rotate the token: fabrikam.com

    `rotate[fabrikam.com]` · command · **destructive**

    **Outcome:** done, by bob; started <TIME>, finished <TIME>

    **Confirmed** by typing `contoso.com`: bob at <TIME>

    <details><summary>Command as shown</summary>

    ```powershell
    Set-PartnerToken -Partner 'fabrikam.com' -Token '********' <# secret: supply at run time #>
    ```

    </details>

    ### 5. Rotate the token: tailspin.com

    `rotate[tailspin.com]` · command · **destructive**

    **Outcome:** done, by bob; started <TIME>, finished <TIME>

    **Confirmed** by typing `contoso.com`: bob at <TIME>

    <details><summary>Command as shown</summary>

    ```powershell
    Set-PartnerToken -Partner 'tailspin.com' -Token '********' <# secret: supply at run time #>
    ```

    </details>

    ### 6. Tell the partners

    `done` · notify · read

    **Outcome:** skipped, by bob; started <TIME>, finished <TIME>

    **Skipped** by bob at <TIME>: told by phone

    <details><summary>Message as shown</summary>

    ```text
    The token of Federation Trust was rotated.
    ```

    </details>

    ## Approvals

    - `approve`: approver as typed: Carol; recorded by alice at <TIME>; the runbook asks for the change manager

    ## Decisions

    - `how`: Rotate the token now? chose `now` (Now), by bob at <TIME>

    ## Captured values

    - `read-name`: `trust_name` = Federation Trust, by alice at <TIME>

    ## Events

    - <TIME> alice run-started: on ws01 at <FOLDER>/s.json
    - <TIME> alice started `look`
    - <TIME> alice failed `look`: checked by hand
    - <TIME> alice gate-overridden `look`: checked by hand
    - <TIME> alice started `read-name`
    - <TIME> alice captured `read-name`: trust\_name = Federation Trust
    - <TIME> alice done `read-name`
    - <TIME> alice started `approve`
    - <TIME> alice approved `approve`: Carol
    - <TIME> alice done `approve`: approved by Carol
    - <TIME> bob resumed: on ws01 at <FOLDER>/s.json
    - <TIME> bob started `how`
    - <TIME> bob decision `how`: now: Now
    - <TIME> bob done `how`: chose \`now\`: Now
    - <TIME> bob started `rotate[fabrikam.com]`
    - <TIME> bob confirmed `rotate[fabrikam.com]`: contoso.com
    - <TIME> bob done `rotate[fabrikam.com]`
    - <TIME> bob started `rotate[tailspin.com]`
    - <TIME> bob confirmed `rotate[tailspin.com]`: contoso.com
    - <TIME> bob done `rotate[tailspin.com]`
    - <TIME> bob started `done`
    - <TIME> bob skipped `done`: told by phone
    - <TIME> bob completed
    ");
}

#[test]
fn status_shows_the_change_ticket_in_text_and_json() {
    let ws = Workspace::new().file("rotate.yaml", ROTATE).file(
        "a.yaml",
        "params:\n  token: Sup3r-Secret\nsteps:\n  look: done\n",
    );
    ws.test()
        .args(scripted_run("rotate.yaml", "a.yaml"))
        .args(["--ticket", "CHG0042"])
        .go()
        .failure(3);
    let text = ws.cmd(["status", "s.json"]).success().stdout();
    assert_eq!(
        text.lines().nth(1),
        Some("ticket: CHG0042"),
        "under the runbook line: {text}"
    );
    assert_eq!(ws.status("s.json")["ticket"], "CHG0042");
    assert_eq!(ws.record("s.json")["ticket"], "CHG0042");
    assert!(
        ws.report("s.json")
            .contains("- **Change ticket:** CHG0042\n")
    );
    // Without `--ticket`, JSON says so with null and the text has no ticket line.
    let (ws, _) = stopped_at_the_decision();
    assert_eq!(ws.status("s.json")["ticket"], Value::Null);
    let text = ws.cmd(["status", "s.json"]).success().stdout();
    assert!(!text.contains("ticket:"), "{text}");
}

const REBUILD: &str = "exchange-federation-trust-rebuild";

/// The shipped rebuild with an outcome of each kind: alice (on `ex01`, ticket CHG0042) overrides
/// the time gate with HTML and Markdown in her reason, and `save-configuration-record` fails, so
/// the run aborts; she hands it over to Bob Jones, who resumes the copy in `share/` on `ex02`
/// with `user_smtp` changed, runs the failed step again, records Carol's approval, takes the
/// `stale` branch, skips one domain's removal and the hardening, and finishes.
fn rebuild() -> Workspace {
    let ws = Workspace::new()
        .file(
            "a.yaml",
            "default: done\nsteps:\n  check-time-skew: {override: \"CAB accepted <b>the risk</b> | *now*\"}\n  \
             save-configuration-record: {fail: disk full}\n",
        )
        .file(
            "b.yaml",
            "default: done\nsteps:\n  approve-removal: {approve: Carol (change manager)}\n  \
             ad-attributes-clean: {choice: stale}\n  \
             remove-additional-domains[fabrikam.com]: {skip: removed by hand in EAC}\n  \
             harden-federation-trust: {skip: tracked in CHG0012399}\n",
        )
        .file("share/.keep", "");
    ws.test()
        .host("ex01")
        .args(scripted_run(REBUILD, "a.yaml"))
        .args(["--operator", "alice", "--ticket", "CHG0042"])
        .go()
        .failure(4);
    ws.test()
        .host("ex01")
        .args(["handover", "s.json", "share/s.json", "--to", "Bob Jones"])
        .args(["--operator", "alice"])
        .go()
        .success();
    ws.test()
        .host("ex02")
        .args(["resume", "share/s.json", "--answers", "b.yaml"])
        .args([
            "--operator",
            "Bob Jones",
            "--set",
            "user_smtp=ops@contoso.com",
        ])
        .go()
        .success();
    ws
}

#[test]
fn the_rebuild_record_opens_with_its_header_and_what_needs_attention_each_with_who_and_why() {
    let ws = rebuild();
    let md = stable(&ws, &ws.report("share/s.json"));
    insta::assert_snapshot!(part(&md, "# Run record: Rebuild the Exchange federation trust after the federation certificate expired", "## Parameters"), @r"
    # Run record: Rebuild the Exchange federation trust after the federation certificate expired

    - **Runbook:** `exchange-federation-trust-rebuild` version 1.1.0, sha256 `d2fff899b40cae6fe07f46877017c1e4ffc640c196ff34d69a11a2aa31b0e601`
    - **Change ticket:** CHG0042
    - **Started:** <TIME> by alice on ex01
    - **Finished:** <TIME>
    - **Duration:** <DURATION>
    - **Status:** **complete**
    - **Operators**, in the order they first acted: alice, Bob Jones
    - **Hand-overs:** alice to Bob Jones at <TIME>
    - **Record:** record intact: 203 events, chain verified

    ## Summary

    Needs attention:

    - **Gate overridden:** `check-time-skew` (Check the clock against the domain controller and an external NTP server), by alice at <TIME>: CAB accepted &lt;b&gt;the risk&lt;/b&gt; \| \*now\*
    - **Skipped:** `remove-additional-domains[fabrikam.com]` (Remove each additional federated domain), by Bob Jones at <TIME>: removed by hand in EAC
    - **Skipped:** `harden-federation-trust` (Prevent the next expiry (optional)), by Bob Jones at <TIME>: tracked in CHG0012399

    Units: 41 done, 1 overridden, 2 skipped, 0 failed, 5 not run (a condition was false, or not on the path taken), 0 in progress, 0 not reached.
    ");
    insta::assert_snapshot!(part(&md, "## Approvals", "## Events"), @"
    ## Approvals

    - `approve-removal`: approver as typed: Carol (change manager); recorded by Bob Jones at <TIME>; the runbook asks for the change manager or the Exchange service owner

    ## Decisions

    - `ad-attributes-clean`: Are the attributes clean? chose `stale` (Stale - the previous step printed RESULT STALE; run the cleanup), by Bob Jones at <TIME>
    - `organization-identifier-outcome`: What did set-organization-identifier end with? chose `set` (PASS or Already done - the account namespace is set), by Bob Jones at <TIME>

    ## Captured values

    - `capture-trust-name`: `trust_name` = Microsoft Federation Gateway, by alice at <TIME>
    - `capture-account-namespace`: `account_namespace` = FYDIBOHF25SPDLT.contoso.com, by alice at <TIME>
    - `create-federation-certificate`: `new_thumbprint` = 8A3F0C6D2E9B4F71A5C3D8E2B6F40917C2D5E8A1, by Bob Jones at <TIME>
    - `capture-application-uri`: `application_uri` = FYDIBOHF25SPDLT.contoso.com, by Bob Jones at <TIME>

    ## Parameter changes

    - `user_smtp`: admin@contoso.com → ops@contoso.com; by Bob Jones at <TIME>

    ## Hand-overs

    - <TIME>: alice handed the run over to Bob Jones; it goes on from `<FOLDER>/share/s.json`
    - <TIME>: the copy was made by alice on ex01 at `<FOLDER>/share/s.json`, from `<FOLDER>/s.json`
    ");
    // The original, closed by the hand-over, says where the run went.
    let original = stable(&ws, &ws.report("s.json"));
    insta::assert_snapshot!(part(&original, "## Summary", "Units:"), @r"
    ## Summary

    Needs attention:

    - **Run not finished:** next: `save-configuration-record`, by alice at <TIME>: handed over to Bob Jones: the run goes on from <FOLDER>/share/s.json
    - **Gate overridden:** `check-time-skew` (Check the clock against the domain controller and an external NTP server), by alice at <TIME>: CAB accepted &lt;b&gt;the risk&lt;/b&gt; \| \*now\*
    - **Failed:** `save-configuration-record` (Save the current federation configuration to files), by alice at <TIME>: disk full
    - **List item not completed:** `remove-additional-domains` (Remove each additional federated domain): 2 items not completed: fabrikam.com, sales.contoso.com
    - **List item not completed:** `show-proof-additional` (Get the domain proof for each additional domain): 2 items not completed: fabrikam.com, sales.contoso.com
    - **List item not completed:** `wait-txt-additional` (Wait until public DNS returns each additional domain's proof TXT record): 2 items not completed: fabrikam.com, sales.contoso.com
    - **List item not completed:** `add-additional-domains` (Add each additional domain back to the federation): 2 items not completed: fabrikam.com, sales.contoso.com
    ");
    assert!(
        original.contains(
            "- **Status:** **handed over** to Bob Jones at <TIME>: this file is closed, and the run goes on from `<FOLDER>/share/s.json`\n"
        ),
        "{original}"
    );
}

#[test]
fn each_unit_shows_its_title_impact_gate_attempts_outcome_and_command() {
    let ws = rebuild();
    let md = stable(&ws, &ws.report("share/s.json"));
    // A step that failed, then passed after the hand-over: each attempt with time, operator
    // and reason, and the command in a collapsible block.
    let failed_then_done = part(
        &md,
        "### 8. Save the current federation configuration to files",
        "<details>",
    );
    insta::assert_snapshot!(failed_then_done, @"
    ### 8. Save the current federation configuration to files

    `save-configuration-record` · command · read

    **Outcome:** done after 1 failed attempt, by Bob Jones at <TIME>

    Attempts:

    1. started <TIME> by alice; failed <TIME>: disk full
    2. started <TIME> by Bob Jones; done <TIME>
    ");
    let gate = part(
        &md,
        "### 1. Check the clock against the domain controller and an external NTP server",
        "<details>",
    );
    insta::assert_snapshot!(gate, @r"
    ### 1. Check the clock against the domain controller and an external NTP server

    `check-time-skew` · check · read · **gate**

    **Outcome:** overridden, by alice at <TIME>

    **Gate overridden** by alice at <TIME>: CAB accepted &lt;b&gt;the risk&lt;/b&gt; \| \*now\*

    Attempts:

    1. started <TIME> by alice; failed <TIME>: CAB accepted &lt;b&gt;the risk&lt;/b&gt; \| \*now\*
    ");
    let skipped = part(
        &md,
        "### 11. Remove each additional federated domain: fabrikam.com",
        "<details>",
    );
    insta::assert_snapshot!(skipped, @"
    ### 11. Remove each additional federated domain: fabrikam.com

    `remove-additional-domains[fabrikam.com]` · command · **destructive**

    **Outcome:** skipped, by Bob Jones; started <TIME>, finished <TIME>

    **Skipped** by Bob Jones at <TIME>: removed by hand in EAC
    ");
    let confirmed = part(
        &md,
        "### 11. Remove each additional federated domain: sales.contoso.com",
        "<details>",
    );
    insta::assert_snapshot!(confirmed, @"
    ### 11. Remove each additional federated domain: sales.contoso.com

    `remove-additional-domains[sales.contoso.com]` · command · **destructive**

    **Outcome:** done, by Bob Jones; started <TIME>, finished <TIME>

    **Confirmed** by typing `sales.contoso.com`: Bob Jones at <TIME>
    ");
    let not_run = part(
        &md,
        "### 31. Wait 24 hours, then set the organization identifier again",
        "### 32.",
    );
    insta::assert_snapshot!(not_run, @r"
    ### 31. Wait 24 hours, then set the organization identifier again

    `wait-maxuri-24h` · instruction · read

    **Outcome:** not run

    Not run: not on the path taken after \`organization-identifier-outcome\`
    ");
    // The command as shown, in a block of its own; a notify step's message as text.
    assert!(
        md.contains(
            "<details><summary>Command as shown</summary>\n\n```powershell\nGet-FederationTrust -DomainController 'dc01.contoso.com' | Format-List"
        ),
        "{md}"
    );
    assert!(
        md.contains("<details><summary>Message as shown</summary>\n\n```text\nHello,\n"),
        "{md}"
    );
    // The overview table marks gates and destructive steps.
    assert!(md.contains("| 1 | `check-time-skew` | Check the clock against the domain controller and an external NTP server | check, **gate** | read | overridden | alice | <TIME> |\n"), "{md}");
    assert!(md.contains("| 12 | `remove-primary-domain` | Remove the primary federated domain last | command | **destructive** | done | Bob Jones | <TIME> |\n"), "{md}");
}

#[test]
fn the_json_record_keeps_attempts_reasons_notes_approvals_and_changes_apart() {
    let ws = rebuild();
    let r = ws.record("share/s.json");
    assert_eq!(r["format"], 1);
    assert_eq!(r["ticket"], "CHG0042");
    assert_eq!(r["status"], "complete");
    assert_eq!(r["operators"], serde_json::json!(["alice", "Bob Jones"]));
    assert!(r["finished_at"].is_string() && r["duration_secs"].is_u64());
    let save = unit(&r, "save-configuration-record");
    assert_eq!(save["outcome"], "done after 1 failed attempt");
    assert_eq!(save["failed_attempts"], 1);
    let attempts: Vec<(String, String, String)> = save["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| {
            let t = |k: &str| a[k].as_str().unwrap_or("-").to_owned();
            (t("started_by"), t("result"), t("reason"))
        })
        .collect();
    assert_eq!(
        attempts,
        [
            ("alice".into(), "failed".into(), "disk full".into()),
            ("Bob Jones".into(), "done".into(), "-".into())
        ]
    );
    assert!(
        save["command"]
            .as_str()
            .expect("command")
            .contains("Get-FederationTrust")
    );
    let gate = unit(&r, "check-time-skew");
    assert_eq!(
        (gate["gate"].clone(), gate["outcome"].clone()),
        (true.into(), "overridden".into())
    );
    assert_eq!(
        gate["overridden"]["text"],
        "CAB accepted <b>the risk</b> | *now*"
    );
    assert_eq!(gate["overridden"]["operator"], "alice");
    let domain = unit(&r, "remove-additional-domains[fabrikam.com]");
    assert_eq!(domain["destructive"], true);
    assert_eq!(domain["skipped"]["reason"], "removed by hand in EAC");
    assert_eq!(domain["skipped"]["by_run"], false);
    assert_eq!(
        domain["notes"],
        serde_json::json!([]),
        "a skip reason is not a note"
    );
    let other = unit(&r, "remove-additional-domains[sales.contoso.com]");
    assert_eq!(other["confirmations"][0]["target"], "sales.contoso.com");
    assert_eq!(other["confirmations"][0]["operator"], "Bob Jones");
    assert_eq!(unit(&r, "wait-maxuri-24h")["skipped"]["by_run"], true);
    assert_eq!(unit(&r, "wait-maxuri-24h")["outcome"], "not run");
    let approval = &r["approvals"][0];
    assert_eq!(approval["approved_by"], "Carol (change manager)");
    assert_eq!(approval["recorded_by"], "Bob Jones");
    assert_eq!(approval["unit"], "approve-removal");
    let decision = &r["decisions"][0];
    assert_eq!(
        (decision["choice"].clone(), decision["unit"].clone()),
        ("stale".into(), "ad-attributes-clean".into())
    );
    assert!(
        decision["label"]
            .as_str()
            .expect("label")
            .starts_with("Stale")
    );
    let change = &r["param_changes"][0];
    assert_eq!(
        (
            change["name"].clone(),
            change["old"].clone(),
            change["new"].clone()
        ),
        (
            "user_smtp".into(),
            "admin@contoso.com".into(),
            "ops@contoso.com".into()
        )
    );
    let handovers: Vec<&str> = r["handovers"]
        .as_array()
        .expect("handovers")
        .iter()
        .map(|h| h["event"].as_str().expect("event"))
        .collect();
    // Bob took the copy handed to him up on another machine: that is what a hand-over is for,
    // not a moved copy.
    assert_eq!(handovers, ["handed-over", "received"]);
    assert_eq!(r["handovers"][0]["to"], "Bob Jones");
    let attention: Vec<(String, String)> = r["summary"]["attention"]
        .as_array()
        .expect("attention")
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().expect("kind").to_owned(),
                a["unit"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        attention,
        [
            ("gate-overridden".into(), "check-time-skew".into()),
            (
                "skipped".into(),
                "remove-additional-domains[fabrikam.com]".into()
            ),
            ("skipped".into(), "harden-federation-trust".into()),
        ]
    );
    assert_eq!(r["summary"]["counts"]["skipped"], 2);
}

/// Appends `events` to the record `state` in `ws` as the engine writes them (each chained to the
/// line before), recorded by `operator`: what a terminal records and answers files cannot
/// (notes, a refused approval).
fn append(ws: &Workspace, state: &str, operator: &str, events: Vec<runbook::testing::Event>) {
    let path = ws.path().join(state);
    let bytes = std::fs::read(&path).expect("record");
    let (_, _, journal) = runbook::testing::read_journal(&bytes).expect("reads");
    let mut w = runbook::testing::Writer::continuing(&journal);
    for e in events {
        w.entry(runbook::testing::now(), operator.into(), e);
    }
    let mut all = bytes;
    all.extend_from_slice(w.take_pending().as_bytes());
    std::fs::write(&path, all).expect("append");
}

/// Text an operator might type or paste into a note or a reason, meant (or not) as Markdown or
/// HTML: none of it may change what the record shows.
const HOSTILE: &str = "<script>alert(1)</script> <b>bold</b> | cell | **strong** _em_ [link](http://x) \
    ![img](http://x/i.png) `code` ```` fence\n# heading\n</details> &amp; $x$ ~~gone~~";

/// Output an operator pasted ("add output"), with a backtick run that would close a shorter
/// fence.
const PASTED: &str = "PS> Get-FederationTrust\n```` <i>x</i>";

#[test]
fn notes_and_a_refused_approval_are_kept_apart_from_reasons_and_escaped() {
    use runbook::testing::Event;
    let ws = Workspace::new()
        .file("rotate.yaml", ROTATE)
        .file(
            "a.yaml",
            "params:\n  token: Sup3r-Secret\nsteps:\n  look: {override: checked by hand}\n  read-name: done\n",
        );
    ws.test()
        .args(scripted_run("rotate.yaml", "a.yaml"))
        .args(["--operator", "alice"])
        .go()
        .failure(3);
    // As the terminal records them: a note on the gate, then at the approval a note and a
    // refusal (a failure "approval refused: ..." and the abort it causes: engine/step.rs).
    let refusal = format!("approval refused: Carol: {HOSTILE}");
    append(
        &ws,
        "s.json",
        "alice",
        vec![
            Event::Note {
                unit: "look".into(),
                text: HOSTILE.into(),
            },
            Event::OutputAdded {
                unit: "look".into(),
                text: PASTED.into(),
            },
            Event::Started {
                unit: "approve".into(),
                command: None,
            },
            Event::Note {
                unit: "approve".into(),
                text: "Carol is on the phone".into(),
            },
            Event::Failed {
                unit: "approve".into(),
                reason: refusal.clone(),
            },
            Event::Aborted {
                unit: "approve".into(),
                reason: refusal,
            },
        ],
    );
    let r = ws.record("s.json");
    assert_eq!(r["intact"], true, "{}", r["integrity"]);
    assert_eq!(r["status"], "aborted");
    let look = unit(&r, "look");
    assert_eq!(look["notes"][0]["text"], HOSTILE);
    assert_eq!(look["overridden"]["text"], "checked by hand");
    assert_eq!(look["executions"][0]["what"], "pasted");
    assert_eq!(look["executions"][0]["output"], PASTED);
    let approve = unit(&r, "approve");
    assert_eq!(approve["notes"][0]["text"], "Carol is on the phone");
    assert_eq!(approve["attempts"][0]["result"], "failed");
    let refused = r["summary"]["attention"]
        .as_array()
        .expect("attention")
        .iter()
        .find(|a| a["kind"] == "approval-refused")
        .expect("the refusal needs attention");
    assert_eq!(refused["unit"], "approve");
    assert_eq!(refused["operator"], "alice");
    assert_eq!(refused["reason"], format!("Carol: {HOSTILE}"));

    let md = stable(&ws, &ws.report("s.json"));
    insta::assert_snapshot!(part(&md, "## Summary", "## Parameters"), @r"
    ## Summary

    Needs attention:

    - **Run not finished:** next: `approve`, by alice at <TIME>: aborted after a failure; it can be resumed
    - **Gate overridden:** `look` (Look at the trust), by alice at <TIME>: checked by hand
    - **Approval refused:** `approve` (Get the change manager's approval), by alice at <TIME>: Carol: &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; \| cell \| \*\*strong\*\* \_em\_ \[link\](http://x) \!\[img\](http://x/i.png) \`code\` \`\`\`\` fence<br>\# heading<br>&lt;/details&gt; &amp;amp; \$x\$ \~\~gone\~\~
    - **List item not completed:** `rotate` (Rotate the token): 2 items not completed: fabrikam.com, tailspin.com

    Units: 1 done, 1 overridden, 0 skipped, 1 failed, 0 not run (a condition was false, or not on the path taken), 0 in progress, 4 not reached.
    ");
    insta::assert_snapshot!(part(&md, "### 3. Get the change manager's approval", "### 4."), @r"
    ### 3. Get the change manager's approval

    `approve` · approval · read

    **Outcome:** failed, by alice at <TIME>

    Attempts:

    1. started <TIME> by alice; failed <TIME>: approval refused: Carol: &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; \| cell \| \*\*strong\*\* \_em\_ \[link\](http://x) \!\[img\](http://x/i.png) \`code\` \`\`\`\` fence<br>\# heading<br>&lt;/details&gt; &amp;amp; \$x\$ \~\~gone\~\~

    Notes:

    - <TIME> by alice: Carol is on the phone
    ");
    // No tag of the operator's reaches the page, nothing of theirs closes a block of ours, and
    // what would be a link, a heading or a cell stays text.
    for raw in ["<script", "<b>", "\n# heading"] {
        assert!(!md.contains(raw), "{raw:?} in\n{md}");
    }
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count(),
        "every block of ours is closed once"
    );
    for shown in [
        // Pasted output is kept as it is, in a fence longer than its backtick run.
        "<details><summary>Output pasted by alice at <TIME></summary>\n\n`````text\nPS> Get-FederationTrust\n```` <i>x</i>\n`````\n\n</details>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "\\[link\\](http://x)",
        "\\| cell \\|",
        "<br>\\# heading<br>&lt;/details&gt; &amp;amp;",
    ] {
        assert!(md.contains(shown), "{shown:?} in\n{md}");
    }
}

#[test]
fn exec_output_is_kept_in_a_block_its_backticks_cannot_close() {
    let rb = "id: ex\ntitle: Exec\nversion: '1'\nsteps:\n  - id: look\n    title: Look\n    kind: check\n    \
              command: |-\n      printf '%s\\n' 'state: Enabled' '````' '<b>x</b>'\n";
    let ws = Workspace::new()
        .file("ex.yaml", rb)
        .file("a.yaml", "default: done\n");
    ws.cmd([
        "run",
        "ex.yaml",
        "--state",
        "s.json",
        "--answers",
        "a.yaml",
        "--exec",
        "--shell-dialect",
        "posix",
        "--auto-read",
        "--operator",
        "alice",
    ])
    .success();
    let r = ws.record("s.json");
    let e = &unit(&r, "look")["executions"][0];
    assert_eq!(e["output"], "state: Enabled\n````\n<b>x</b>");
    assert_eq!(e["exit_status"], 0);
    let md = stable(&ws, &ws.report("s.json"));
    let block = md
        .split("<details><summary>Output of the check run at ")
        .nth(1)
        .expect("the output block");
    let ms = Regex::new(r"\b\d+ ms\b").expect("regex");
    let block = block.split("</details>").next().unwrap_or(block);
    insta::assert_snapshot!(ms.replace_all(block, "<MS> ms"), @"
    <TIME>: exit 0, <MS> ms, verdict pass</summary>

    `````text
    state: Enabled
    ````
    <b>x</b>
    `````
    ");
}
