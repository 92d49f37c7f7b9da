//! What `status` and `report` show of a run's record, as whole outputs: the fixture runbook
//! [`ROTATE`] run by alice up to its decision, then finished by bob with a skip.

use crate::support::fixtures::ROTATE;
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
    insta::assert_snapshot!(err, @"
    resumed: 2 done, 1 overridden, 0 skipped, 0 failed; next: how
    unit: how (Rotate now or later?)
    unit: rotate[fabrikam.com] (Rotate the token)
    unit: rotate[tailspin.com] (Rotate the token)
    unit: done (Tell the partners)
    complete
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

#[test]
fn report_is_the_whole_record_for_the_change_ticket() {
    let (ws, _) = finished();
    // The record keeps where its file was: a temporary folder here.
    let folder = ws.path().display().to_string();
    let report = redact(&ws.report("s.json")).replace(&folder, "<FOLDER>");
    insta::assert_snapshot!(report, @"
    # Run record: rotate 2.1.0

    Runbook sha256 `263679eef33d493bd8124b4aa24dfd924098b9d90577f02016d5917461b97a15` · started <TIME> · status **complete**

    record intact: 36 events, chain verified

    Operators: alice, bob

    ## Parameters

    | parameter | value |
    |---|---|
    | `domain` | contoso.com |
    | `partners` | fabrikam.com,tailspin.com |
    | `tell_partners` | true |
    | `token` | (secret, not recorded) |

    ## Steps

    | unit | outcome | operator | started | finished | note |
    |---|---|---|---|---|---|
    | `look` | overridden | alice | <TIME> | <TIME> | checked by hand<br>checked by hand |
    | `read-name` | done | alice | <TIME> | <TIME> |  |
    | `approve` | done | alice | <TIME> | <TIME> | approved by Carol |
    | `how` | done | bob | <TIME> | <TIME> | chose `now`: Now |
    | `rotate[fabrikam.com]` | done | bob | <TIME> | <TIME> |  |
    | `rotate[tailspin.com]` | done | bob | <TIME> | <TIME> |  |
    | `done` | skipped | bob | <TIME> | <TIME> | told by phone |

    ## Approvals

    - <TIME> `approve` by alice: Carol

    ## Overrides

    - <TIME> `look` by alice: checked by hand

    ## Decisions

    - <TIME> `how` by bob: now: Now

    ## Captured values

    - <TIME> `read-name` by alice: trust_name = Federation Trust

    ## Skipped

    - `done`: told by phone

    ## Events

    - <TIME> alice run-started: on ws01 at <FOLDER>/s.json
    - <TIME> alice started `look`
    - <TIME> alice failed `look`: checked by hand
    - <TIME> alice gate-overridden `look`: checked by hand
    - <TIME> alice started `read-name`
    - <TIME> alice captured `read-name`: trust_name = Federation Trust
    - <TIME> alice done `read-name`
    - <TIME> alice started `approve`
    - <TIME> alice approved `approve`: Carol
    - <TIME> alice done `approve`: approved by Carol
    - <TIME> bob resumed: on ws01 at <FOLDER>/s.json
    - <TIME> bob started `how`
    - <TIME> bob decision `how`: now: Now
    - <TIME> bob done `how`: chose `now`: Now
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
