//! `runbook match`: pasting the error blocks of the domain reference's error table (section 1.3),
//! the AD FS events (section 3.1) and the SCOM knowledge articles of the AD FS rules in the
//! console's language (section 7.5, `tests/fixtures/scom/`) puts the right runbook first.

use crate::support::{Test, root};

fn first(text: &str) -> String {
    let out = Test::new()
        .args(["match", "--format", "json", text])
        .go()
        .success()
        .stdout();
    let fits: serde_json::Value = serde_json::from_str(&out).expect("json");
    fits[0]["id"].as_str().expect("a first runbook").to_owned()
}

const CASES: &[(&str, &str)] = &[
    (
        "exchange-federation-1007-triage",
        "Execution of the Set-FederatedOrganizationIdentifier cmdlet has thrown an exception. This may \
         indicate invalid parameters in your Hybrid Configuration settings. An unexpected result was \
         received from Windows Live. Detailed information: \"1007 AccessDenied: Access Denied.\"",
    ),
    (
        "exchange-federation-1007-triage",
        "Unable to federate your domain, your system time appears to be more than five minutes out of \
         sync. Please ensure your system time is correct.",
    ),
    (
        "exchange-federation-trust-rebuild",
        "Remove-FederatedDomain -DomainName contoso.com\nThe URI \"contoso.com\" for domain \"contoso.com\" \
         on application identifier \"0000000040123ABC\" couldn't be released. Detailed information: \
         \"1007 AccessDenied: Access Denied.\"",
    ),
    (
        "exchange-federation-trust-rebuild",
        "Federation certificate with the thumbprint \"8A7C...\" cannot be found. \
         FederationCertificateInvalidException",
    ),
    (
        "exchange-federation-trust-rebuild",
        "MaxUriReached: Same URI cannot be attached to different AppId on a single day",
    ),
    (
        "exchange-hybrid-kb2995731-repair",
        "Subtask Configure execution failed: Configure Organization Relationship\nExecution of the \
         Set-FederatedOrganizationIdentifier cmdlet has thrown an exception. Federation trust \
         \"contoso.com/Configuration/Deleted Objects/Microsoft Federation Gateway\nDEL:5d0f2a1c-...\" \
         wasn't found. HCW8006",
    ),
    (
        "adfs-event-323-impersonation",
        "Log Name: AD FS/Admin\nSource: AD FS\nEvent ID: 323\nThe Federation Service could not authorize \
         token issuance for the caller 'CONTOSO\\svc-sp' on behalf of the subject 'CONTOSO\\alice' to the \
         relying party 'urn:sharepoint:portal'. Please see event 501 with the same instance id for caller \
         identity.\nMicrosoft.IdentityServer.Service.IssuancePipeline.OnBehalfOfAuthorizationException: \
         MSIS5009: The impersonation authorization failed for caller identity",
    ),
    (
        "adfs-event-323-impersonation",
        "Chyba v zastoupení ověření\nProtokol: AD FS/Admin\nID události: 323",
    ),
    (
        "adfs-event-302-actas",
        "Log Name: AD FS/Admin\nEvent ID: 302\nAct As Authorization Error: the caller is not authorized \
         to act as the subject for the relying party. See event 501 and 503 with the same instance id.",
    ),
    // Single lines an operator copies from a SCOM alert's properties, in any console language.
    (
        "adfs-event-323-impersonation",
        "Microsoft.ActiveDirectoryFederationServices.2012.R2.TokenIssuanceOnBehalfOfAuthorizationErrorRule",
    ),
    (
        "adfs-event-302-actas",
        "Microsoft.ActiveDirectoryFederationServices.2016.TokenIssuanceActAsAuthorizationErrorRule",
    ),
    (
        "adfs-event-323-impersonation",
        "Event_ID323\nEvent SourceAD FS",
    ),
    ("adfs-event-302-actas", "Event_ID 302\nEvent Source\tAD FS"),
];

#[test]
fn each_error_block_puts_the_right_runbook_first() {
    let mut wrong = Vec::new();
    for (want, text) in CASES {
        let got = first(text);
        if got != *want {
            wrong.push(format!("{want} expected, {got} first for:\n{text}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn match_reads_a_pasted_block_from_stdin_and_gives_reasons() {
    let text = Test::new()
        .args(["match"])
        .stdin("Event ID: 323\nMSIS5009: The impersonation authorization failed\n")
        .go()
        .success()
        .stdout();
    assert!(
        text.starts_with("1. adfs-event-323-impersonation"),
        "{text}"
    );
    assert!(
        text.contains("event 323") && text.contains("error code MSIS5009"),
        "{text}"
    );
}

#[test]
fn match_ends_with_the_command_that_starts_its_first_hit() {
    let text = Test::new()
        .args(["match", CASES[0].1])
        .go()
        .success()
        .stdout();
    let first = text.lines().next().expect("a first hit");
    assert!(
        first.starts_with("1. exchange-federation-1007-triage "),
        "{text}"
    );
    assert!(text.contains("\n2. "), "a second hit to tell apart: {text}");
    let starts: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("start it with:"))
        .collect();
    assert_eq!(
        starts,
        ["start it with: runbook run exchange-federation-1007-triage"],
        "{text}"
    );
    assert!(text.ends_with("start it with: runbook run exchange-federation-1007-triage\n"));
}

#[test]
fn match_json_gives_each_hit_the_command_that_starts_it() {
    let fits = rank_stdin(CASES[0].1);
    assert!(fits.len() >= 2, "{fits:?}");
    assert_eq!(
        fits[0]["run"],
        "runbook run exchange-federation-1007-triage"
    );
    for fit in &fits {
        let id = fit["id"].as_str().expect("an id");
        assert_eq!(fit["run"], format!("runbook run {id}"), "{fit}");
    }
}

#[test]
fn unrelated_text_matches_nothing_and_says_so() {
    let run = Test::new()
        .args(["match", "The printer is out of paper"])
        .go()
        .failure(1);
    assert!(
        run.stdout().contains("no shipped runbook matches"),
        "{}",
        run.stdout()
    );
}

/// A SCOM knowledge article under `tests/fixtures/scom/`, named `adfs-<event>.<language>.txt`.
struct Article {
    name: String,
    text: String,
    /// The runbook it must rank first.
    want: &'static str,
    /// The sibling runbook it mentions the same words as (AD FS, 501, relying party trust) and
    /// must not rank first.
    sibling: &'static str,
}

fn scom_articles() -> Vec<Article> {
    let dir = root().join("tests/fixtures/scom");
    let mut articles: Vec<Article> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/scom exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            let (want, sibling) = if name.starts_with("adfs-323.") {
                ("adfs-event-323-impersonation", "adfs-event-302-actas")
            } else if name.starts_with("adfs-302.") {
                ("adfs-event-302-actas", "adfs-event-323-impersonation")
            } else {
                panic!("{name}: name a SCOM fixture adfs-323.LANG.txt or adfs-302.LANG.txt")
            };
            let text = std::fs::read_to_string(&p).expect("utf-8 fixture");
            Article {
                name,
                text,
                want,
                sibling,
            }
        })
        .collect();
    articles.sort_by(|a, b| a.name.cmp(&b.name));
    articles
}

/// `runbook match --format json`, the article piped in as an operator would.
fn rank_stdin(text: &str) -> Vec<serde_json::Value> {
    let out = Test::new()
        .args(["match", "--format", "json", "-"])
        .stdin(text)
        .go()
        .success();
    let fits: serde_json::Value = serde_json::from_slice(&out.output.stdout).expect("json");
    fits.as_array().expect("a list").clone()
}

fn reasons(fit: &serde_json::Value) -> Vec<String> {
    fit["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r.as_str().expect("a string").to_owned())
        .collect()
}

#[test]
fn scom_fixtures_cover_two_languages_besides_english_per_rule() {
    let names: Vec<String> = scom_articles().into_iter().map(|a| a.name).collect();
    for rule in ["adfs-323", "adfs-302"] {
        let english = format!("{rule}.en.txt");
        let others = names
            .iter()
            .filter(|n| n.starts_with(&format!("{rule}.")) && **n != english)
            .count();
        assert!(names.contains(&english), "{english} missing: {names:?}");
        assert!(
            others >= 2,
            "{rule}: {others} localized articles: {names:?}"
        );
    }
}

#[test]
fn each_scom_knowledge_article_in_any_language_puts_its_rule_runbook_first() {
    let mut wrong = Vec::new();
    for article in scom_articles() {
        let fits = rank_stdin(&article.text);
        let first = fits[0]["id"].as_str().unwrap_or_default();
        let score = |i: usize| fits.get(i).and_then(|f| f["score"].as_u64()).unwrap_or(0);
        if first != article.want {
            wrong.push(format!(
                "{}: {first} first, not {}",
                article.name, article.want
            ));
        } else if score(0) <= score(1) {
            // A tie would be broken by id, which puts 302 before 323 by accident.
            wrong.push(format!(
                "{}: first {} not above second {}",
                article.name,
                score(0),
                score(1)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The 323 and 302 articles share AD FS, the publisher, audit event 501, the relying party trust
/// cmdlets: the sibling may score on those, never on what names the other rule.
#[test]
fn a_scom_article_gives_its_sibling_only_shared_words() {
    for article in scom_articles() {
        let fits = rank_stdin(&article.text);
        assert_ne!(fits[0]["id"], article.sibling, "{}", article.name);
        let Some(sibling) = fits.iter().find(|f| f["id"] == article.sibling) else {
            continue;
        };
        let why = reasons(sibling);
        assert!(
            !why.iter()
                .any(|r| r.starts_with("names ") || r.starts_with("event ")),
            "{}: {} scored on {why:?}",
            article.name,
            article.sibling
        );
        let (first, other) = (fits[0]["score"].as_u64(), sibling["score"].as_u64());
        assert!(
            first >= other.map(|o| o * 2),
            "{}: {first:?} vs {other:?}",
            article.name
        );
    }
}

/// Translated summaries, causes and resolutions contribute nothing: the rule id, the rule XML's
/// `EventDisplayNumber` and the property the fix sets carry a localized article.
#[test]
fn a_localized_scom_article_is_found_by_its_rule_id_and_event_display_number() {
    for article in scom_articles()
        .iter()
        .filter(|a| !a.name.ends_with(".en.txt"))
    {
        let fits = rank_stdin(&article.text);
        let why = reasons(&fits[0]);
        let event = if article.want.contains("323") {
            323
        } else {
            302
        };
        let rule = if event == 323 { "OnBehalfOf" } else { "ActAs" };
        for expected in [
            format!("names /TokenIssuance{rule}AuthorizationError/"),
            format!("event {event} in the AD FS/Admin log"),
        ] {
            assert!(
                why.contains(&expected),
                "{}: {expected} not in {why:?}",
                article.name
            );
        }
        assert!(
            !why.iter().any(|r| r.starts_with("error text")),
            "{}: an English error text matched a translated article: {why:?}",
            article.name
        );
        // Without the element property `Event_ID`, the rule XML's EventDisplayNumber alone
        // still gives the event.
        let xml_only = rank_stdin(&article.text.replace("Event_ID", "Event_"));
        let expected = format!("event {event} in the AD FS/Admin log");
        assert!(
            reasons(&xml_only[0]).contains(&expected),
            "{}: {expected} not found from EventDisplayNumber",
            article.name
        );
    }
}

#[test]
fn exchange_errors_do_not_pick_up_adfs_context() {
    // The context words of the AD FS runbooks must not reach into the Exchange federation
    // runbooks' own errors: each of those texts keeps AD FS out of the list entirely.
    for (want, text) in CASES
        .iter()
        .filter(|(want, _)| want.starts_with("exchange-"))
    {
        let fits = rank_stdin(text);
        assert_eq!(fits[0]["id"], *want, "{text}");
        assert!(
            !fits
                .iter()
                .any(|f| f["id"].as_str().is_some_and(|id| id.starts_with("adfs-"))),
            "{text}: {fits:?}"
        );
    }
}
