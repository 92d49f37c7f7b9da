//! Hostile values: each is refused with a message naming the parameter, or rendered only inside
//! one literal, and the export still parses.

use crate::support::Test;
use crate::support::powershell::{assert_parses, code_outside_literals_and_comments};

const PAYLOADS: &[&str] = &[
    "'; Remove-Item C:\\ -Recurse; 'PWNED",
    "$(PWNED)",
    "`$PWNED`",
    "PWNED`n",
    "\u{2019}; PWNED; \u{2018}",
    "\u{201A}\u{201B}PWNED\u{201B}",
    "\"; PWNED; \"",
    "PWNED | Out-Null",
    "PWNED & calc",
    "@'\nPWNED",
    "\u{2013}PWNED \u{2014}Force \u{2015}x",
    "${PWNED}",
    "PWNED; exit",
    "#PWNED",
    "<#PWNED#>",
];

fn export_with(param: &str, value: &str) -> (i32, String, String) {
    let run = Test::new()
        .args(["export", "exchange-federation-trust-rebuild", "--example"])
        .set(param, value)
        .go();
    (run.code(), run.stdout(), run.stderr())
}

#[test]
fn string_values_stay_inside_literals() {
    for payload in PAYLOADS {
        let (code, out, err) = export_with("change_ticket", payload);
        assert!(!err.contains("panicked"), "{err}");
        if code == 0 {
            assert_parses(payload, &out);
            let code_only = code_outside_literals_and_comments(&out);
            assert!(
                !code_only.contains("PWNED"),
                "{payload:?} escaped a literal"
            );
        } else {
            assert_eq!(code, 1, "{err}");
            assert!(
                err.contains("parameter `change_ticket`"),
                "{payload:?}: {err}"
            );
        }
    }
}

#[test]
fn typed_values_refuse_hostile_text() {
    for param in [
        "primary_domain",
        "dc_fqdn",
        "user_smtp",
        "additional_domains",
    ] {
        for payload in PAYLOADS {
            let (code, _, err) = export_with(param, payload);
            assert_eq!(code, 1, "{param}={payload:?} was accepted");
            assert!(err.contains(&format!("parameter `{param}`")), "{err}");
        }
    }
}

#[test]
fn newlines_and_controls_are_refused_with_the_parameter_named() {
    for value in ["a\nb", "a\rb", "a\u{1b}[31mb", "a\u{85}b"] {
        let (code, _, err) = export_with("change_ticket", value);
        assert_eq!(code, 1);
        assert!(
            err.contains("parameter `change_ticket`") && err.contains("control character"),
            "{err}"
        );
    }
}

#[test]
fn a_nul_in_a_params_file_is_refused() {
    // NUL cannot travel in argv, so it comes through a params file (YAML escape).
    let (run, _d) = Test::new()
        .file("p.yaml", "change_ticket: \"CHG\\0001\"\n")
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "--params",
            "p.yaml",
        ])
        .run();
    let err = run.failure(1).stderr();
    assert!(
        err.contains("parameter `change_ticket`") && err.contains("U+0000"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_in_a_params_file_is_refused() {
    let (run, _d) = Test::new()
        .file("p.yaml", b"change_ticket: \xff\xfe\n".as_slice())
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "--params",
            "p.yaml",
        ])
        .run();
    let err = run.failure(1).stderr();
    assert!(err.contains("p.yaml: is not UTF-8"), "{err}");
}

#[test]
fn invisible_and_bidirectional_characters_are_refused() {
    for value in [
        "a\u{202E}b",
        "a\u{2066}b",
        "a\u{200B}b",
        "\u{FEFF}a",
        "a\u{200E}",
    ] {
        let (code, _, err) = export_with("change_ticket", value);
        assert_eq!(code, 1, "{value:?} accepted");
        assert!(err.contains("parameter `change_ticket`"), "{err}");
    }
}
