//! Hostile parameter values (issue 5): each is refused, with exit 1 and a line naming the
//! parameter and the expected form (or the character to retype), or rendered only inside one
//! literal, and the export still parses.
//!
//! The corpus is `tests/fixtures/hostile/values.txt` (format at its top), plus very long values
//! generated here. Each value is set on all eighteen parameters of a test runbook at once (one of
//! each type and a list of each), used by inline commands, a `template:` file from
//! `--templates`, a destructive step's confirmation, a `for_each` and a notify message. For each
//! parameter the value is either refused or accepted: then an export with the accepted
//! parameters succeeds, the script parses (tree-sitter-powershell), the marker `PWNED` never
//! appears in code outside literals and comments, and every single-quoted literal ends exactly
//! where PowerShell, which also takes U+2018..U+201B as quotes, would end it. Bidirectional
//! controls, zero-width characters and control characters are refused by every type.
//!
//! Then a few hand-picked payloads through the shipped rebuild's `--set`, and invalid UTF-8 in a
//! params file and in argv.

use std::process::Output;
use std::time::Duration;

use crate::support::powershell::{
    assert_parses, code_outside_literals_and_comments, string_literals,
};
use crate::support::{Test, Workspace, root};

const MARKER: &str = "pwned";

/// Every parameter, with what its refusal must say about the expected form.
const PARAMS: [(&str, &str); 18] = [
    ("s_string", "expected visible text"),
    ("s_bool", "expected `true` or `false`"),
    ("s_int", "expected a whole number"),
    ("s_enum", "expected one of `fast`, `safe`, `it's`"),
    ("s_domain", "expected a DNS name"),
    ("s_email", "expected an e-mail address"),
    ("s_thumbprint", "expected a certificate thumbprint"),
    ("s_uri", "expected an absolute URI"),
    ("s_path", "expected a file path"),
    ("l_string", "expected visible text"),
    ("l_bool", "expected `true` or `false`"),
    ("l_int", "expected a whole number"),
    ("l_enum", "expected one of `fast`, `safe`, `it's`"),
    ("l_domain", "expected a DNS name"),
    ("l_email", "expected an e-mail address"),
    ("l_thumbprint", "expected a certificate thumbprint"),
    ("l_uri", "expected an absolute URI"),
    ("l_path", "expected a file path"),
];

const RUNBOOK: &str = r#"id: hostile
title: Hostile values
version: 1.0.0
params:
  - {name: s_string, type: string, example: text}
  - {name: s_bool, type: bool, example: true}
  - {name: s_int, type: int, example: 42}
  - {name: s_enum, type: enum, values: [fast, safe, "it's"], example: fast}
  - {name: s_domain, type: domain, example: contoso.com}
  - {name: s_email, type: email, example: admin@contoso.com}
  - {name: s_thumbprint, type: thumbprint, example: AB12CD34EF567890ABCDEF1234567890ABCDEF12}
  - {name: s_uri, type: uri, example: "https://contoso.com/x"}
  - {name: s_path, type: path, example: 'C:\Temp\x.txt'}
  - {name: l_string, type: list, items: string, example: [a, b]}
  - {name: l_bool, type: list, items: bool, example: [true, false]}
  - {name: l_int, type: list, items: int, example: [1, 2]}
  - {name: l_enum, type: list, items: enum, values: [fast, safe, "it's"], example: [fast]}
  - {name: l_domain, type: list, items: domain, example: [contoso.com, fabrikam.com]}
  - {name: l_email, type: list, items: email, example: [admin@contoso.com]}
  - {name: l_thumbprint, type: list, items: thumbprint, example: [AB12CD34EF567890ABCDEF1234567890ABCDEF12]}
  - {name: l_uri, type: list, items: uri, example: ["https://contoso.com/x"]}
  - {name: l_path, type: list, items: path, example: ['C:\Temp\x.txt']}
steps:
  - id: scalars
    title: Every scalar
    kind: check
    command: |
      Test-Value -String {{ s_string }} -Bool {{ s_bool }} -Int {{ s_int }} -Enum {{ s_enum }}
      Test-Value -Domain {{ s_domain }} -Email {{ s_email }} -Thumbprint {{ s_thumbprint }}
      Test-Value -Uri {{ s_uri }} -Path {{ s_path }} -Joined {{ "prefix-" ~ s_string }}
  - id: lists
    title: Every list
    kind: check
    command: |
      Test-List {{ l_string | ps_array }} {{ l_bool | ps_array }} {{ l_int | ps_array }}
      Test-List {{ l_enum | ps_array }} {{ l_domain | ps_array }} {{ l_email | ps_array }}
      Test-List {{ l_thumbprint | ps_array }} {{ l_uri | ps_array }} {{ l_path | ps_array }}
  - id: from-file
    title: A template file from --templates
    kind: check
    template: hostile-values.ps1
  - id: per-item
    title: Each string item
    kind: command
    impact: destructive
    for_each: l_string
    instructions: Removes each item.
    rollback: {instructions: Put it back., command: "Restore-Item {{ item }}"}
    command: Remove-Item -LiteralPath {{ item }} -Domain {{ s_domain }}
  - id: confirmed
    title: Confirmed by the string
    kind: command
    impact: destructive
    instructions: Removes the string.
    rollback: {instructions: Put it back.}
    confirm: s_string
    command: Remove-Thing -Name {{ s_string }}
  - id: tell
    title: Tell someone
    kind: notify
    to: Partners
    subject: About the change
    message: |
      Plain text {{ s_string }} and {{ s_path }}.
      As a literal: Get-Thing {{ s_string | ps }} {{ s_uri | ps }}
"#;

const TEMPLATE: &str = "Get-Item -LiteralPath {{ s_path }} | Out-File {{ s_path }}\r\n\
     Invoke-WebRequest -Uri {{ s_uri }} -Headers @{ From = {{ s_email }} }\r\n";

/// Decodes one corpus line (escapes in the file's header).
fn decode(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('0') => out.push('\0'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('e') => {}
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                let code = u32::from_str_radix(&hex, 16).expect("\\xHH");
                out.push(char::from_u32(code).expect("a character"));
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "\\u{{...}} in {line:?}");
                let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let code = u32::from_str_radix(&hex, 16).expect("\\u{HEX}");
                out.push(char::from_u32(code).expect("a character"));
            }
            other => panic!("unknown escape \\{other:?} in {line:?}"),
        }
    }
    out
}

/// The corpus: the checked-in lines, then the generated long values.
fn corpus() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/hostile/values.txt"))
        .expect("tests/fixtures/hostile/values.txt");
    let mut values: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("#|"))
        .map(decode)
        .collect();
    let kb100 = 100 * 1000;
    let mb = 1024 * 1024;
    values.extend([
        format!(
            "{}';PWNED;'{}",
            "a".repeat(kb100 / 2),
            "b".repeat(kb100 / 2)
        ),
        "'".repeat(kb100),
        "`".repeat(kb100),
        "$(PWNED)".repeat(kb100 / 8),
        format!("{}'; PWNED; '{}", "x".repeat(mb / 2), "y".repeat(mb / 2)),
        "\u{2019}".repeat(mb / 3),
        format!("{}\u{202E}", "z".repeat(mb)),
        format!("{}\0", "n".repeat(mb)),
    ]);
    values
}

/// Bidirectional controls and zero-width characters (the issue's lists, kept apart from the
/// code under test), and control characters: refused by every type.
fn must_be_refused_everywhere(value: &str) -> bool {
    value.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
            || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
    })
}

/// A value that argv cannot carry (NUL), that we keep out of argv (other controls), or that is
/// longer than Linux allows one argument to be (128 KiB).
fn needs_params_file(value: &str) -> bool {
    value.chars().any(char::is_control) || value.len() > 100_000
}

/// `value` as a YAML double-quoted scalar, ASCII only.
fn yaml_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if u32::from(c) <= 0xFF => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The test runbook and its template file, in a workspace.
fn workspace() -> Workspace {
    Workspace::new()
        .file("hostile.yaml", RUNBOOK)
        .file("tpl/hostile-values.ps1", TEMPLATE)
}

/// Exports the test runbook with `value` set on `params` (the others from `--example`).
fn export(ws: &Workspace, value: &str, params: &[&str], format: &str) -> Output {
    let mut test = ws
        .test()
        .args([
            "--templates",
            "tpl",
            "export",
            "hostile.yaml",
            "--example",
            "--format",
            format,
            "--generated-at",
            "2026-11-23T08:00:00Z",
        ])
        .timeout(Duration::from_secs(60));
    if needs_params_file(value) {
        let mut text = String::new();
        for p in params {
            text.push_str(&format!("{p}: {}\n", yaml_quoted(value)));
        }
        ws.write("p.yaml", text);
        test = test.args(["--params", "p.yaml"]);
    } else {
        for p in params {
            test = test.set(p, value);
        }
    }
    test.go().output
}

fn short(value: &str) -> String {
    let head: String = value.chars().take(60).collect();
    if head.len() < value.len() {
        format!("{head:?}… ({} bytes)", value.len())
    } else {
        format!("{head:?}")
    }
}

/// PowerShell's reading of the verbatim literal at the start of `literal` (language spec
/// 2.3.5.2: any of U+0027, U+2018..U+201B opens and closes it, two in a row stand for one):
/// the byte length it spans, or `None` when it never closes.
fn verbatim_length(literal: &str) -> Option<usize> {
    let quote = |c: char| matches!(c, '\'' | '\u{2018}'..='\u{201B}');
    let mut chars = literal.char_indices().peekable();
    let (_, first) = chars.next()?;
    if !quote(first) {
        return None;
    }
    while let Some((i, c)) = chars.next() {
        if quote(c) {
            match chars.peek() {
                Some((_, d)) if quote(*d) => {
                    chars.next();
                }
                _ => return Some(i + c.len_utf8()),
            }
        }
    }
    None
}

/// Checks an accepted export: it parses, the marker stays in literals or comments, every
/// literal closes where PowerShell closes it.
fn check_script(what: &str, value: &str, script: &str) {
    assert_parses(what, script);
    let code = code_outside_literals_and_comments(script).to_lowercase();
    assert!(
        !code.contains(MARKER),
        "{what}: the marker escaped a literal:\n{code}"
    );
    if value.to_lowercase().contains(MARKER) {
        assert!(
            script.to_lowercase().contains(MARKER),
            "{what}: the value was accepted but is not in the script"
        );
    }
    for literal in string_literals(script) {
        if literal.starts_with('@') {
            continue;
        }
        assert_eq!(
            verbatim_length(&literal),
            Some(literal.len()),
            "{what}: PowerShell would end the literal {} elsewhere",
            short(&literal)
        );
    }
}

/// Which parameters `stderr` refuses, checking each refusal line.
fn refusals(what: &str, stderr: &str, params: &[(&str, &str)]) -> Vec<&'static str> {
    let mut refused = Vec::new();
    for &(name, form) in &PARAMS {
        if !params.iter().any(|(p, _)| *p == name) {
            continue;
        }
        let tag = format!("parameter `{name}`:");
        let Some(line) = stderr.lines().find(|l| l.contains(&tag)) else {
            continue;
        };
        let says_why = line.contains(form)
            || (line.contains("retype the value") && line.contains("U+"))
            || line.contains("is listed twice");
        assert!(
            says_why,
            "{what}: the refusal of `{name}` says neither the expected form ({form}) nor the character to retype:\n{line}"
        );
        assert!(line.len() < 2000, "{what}: a {} byte message", line.len());
        refused.push(name);
    }
    refused
}

#[test]
fn every_hostile_value_through_every_parameter_type_is_refused_or_stays_in_one_literal() {
    let values = corpus();
    assert!(values.len() >= 200, "only {} hostile values", values.len());
    let ws = workspace();
    let all: Vec<&str> = PARAMS.iter().map(|(p, _)| *p).collect();
    let mut accepted_per_param = vec![0usize; PARAMS.len()];
    let mut refused_per_param = vec![0usize; PARAMS.len()];
    for value in &values {
        let what = short(value);
        let out = export(&ws, value, &all, "ps1");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{what}: panic:\n{stderr}");
        let refused = match out.status.code() {
            Some(0) => Vec::new(),
            Some(1) => refusals(&what, &stderr, &PARAMS),
            other => panic!("{what}: exit {other:?}:\n{stderr}"),
        };
        if out.status.code() == Some(1) {
            assert!(
                !refused.is_empty(),
                "{what}: exit 1 without naming a parameter:\n{stderr}"
            );
        }
        if must_be_refused_everywhere(value) {
            assert_eq!(
                refused.len(),
                PARAMS.len(),
                "{what}: must be refused by every type; accepted by {:?}",
                all.iter()
                    .filter(|p| !refused.contains(p))
                    .collect::<Vec<_>>()
            );
        }
        let accepted: Vec<&str> = all
            .iter()
            .copied()
            .filter(|p| !refused.contains(p))
            .collect();
        for (i, (name, _)) in PARAMS.iter().enumerate() {
            if accepted.contains(name) {
                accepted_per_param[i] += 1;
            } else {
                refused_per_param[i] += 1;
            }
        }
        if accepted.is_empty() {
            continue;
        }
        let script = if refused.is_empty() {
            out.stdout
        } else {
            let again = export(&ws, value, &accepted, "ps1");
            assert_eq!(
                again.status.code(),
                Some(0),
                "{what}: accepted by {accepted:?} but their export fails:\n{}",
                String::from_utf8_lossy(&again.stderr)
            );
            again.stdout
        };
        let script = String::from_utf8(script).expect("the script is UTF-8");
        check_script(&format!("{what} in {accepted:?}"), value, &script);
        let plan = export(&ws, value, &accepted, "markdown");
        assert_eq!(
            plan.status.code(),
            Some(0),
            "{what}: the change plan fails:\n{}",
            String::from_utf8_lossy(&plan.stderr)
        );
    }
    // Every type saw every value, and the corpus is not all refusals for any of them.
    for (i, (name, _)) in PARAMS.iter().enumerate() {
        let cases = accepted_per_param[i] + refused_per_param[i];
        assert!(cases >= 200, "`{name}`: {cases} cases");
        assert!(
            accepted_per_param[i] > 0 && refused_per_param[i] > 0,
            "`{name}`: {} accepted, {} refused",
            accepted_per_param[i],
            refused_per_param[i]
        );
    }
}

#[test]
fn the_corpus_covers_what_issue_5_lists() {
    let values = corpus();
    let has = |pred: &dyn Fn(&str) -> bool| values.iter().filter(|v| pred(v)).count();
    for (what, count, at_least) in [
        ("' quote", has(&|v| v.contains('\'')), 5),
        ("\" quote", has(&|v| v.contains('"')), 3),
        ("backtick", has(&|v| v.contains('`')), 5),
        (
            "U+2018..U+201B",
            has(&|v| v.contains(['\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'])),
            4,
        ),
        (
            "U+201C..U+201F",
            has(&|v| v.contains(['\u{201C}', '\u{201D}', '\u{201E}', '\u{201F}'])),
            3,
        ),
        ("$(", has(&|v| v.contains("$(")), 5),
        ("${", has(&|v| v.contains("${")), 2),
        (";", has(&|v| v.contains(';')), 5),
        ("|", has(&|v| v.contains('|')), 4),
        ("&", has(&|v| v.contains('&')), 4),
        ("&&", has(&|v| v.contains("&&")), 2),
        ("||", has(&|v| v.contains("||")), 2),
        (">", has(&|v| v.contains('>')), 5),
        ("@'", has(&|v| v.contains("@'")), 2),
        ("'@", has(&|v| v.contains("'@")), 2),
        ("@\"", has(&|v| v.contains("@\"")), 2),
        ("#", has(&|v| v.starts_with('#')), 3),
        ("<#", has(&|v| v.contains("<#")), 2),
        ("#>", has(&|v| v.contains("#>")), 2),
        (
            "U+2013..U+2015",
            has(&|v| v.contains(['\u{2013}', '\u{2014}', '\u{2015}'])),
            4,
        ),
        (
            "zero-width",
            has(&|v| v.contains(['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'])),
            8,
        ),
        (
            "bidi U+202A..U+202E",
            has(&|v| v.contains(['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'])),
            5,
        ),
        (
            "bidi U+2066..U+2069",
            has(&|v| v.contains(['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'])),
            4,
        ),
        (
            "U+200E/F, U+061C",
            has(&|v| v.contains(['\u{200E}', '\u{200F}', '\u{061C}'])),
            3,
        ),
        ("NUL", has(&|v| v.contains('\0')), 3),
        (
            "C0 control",
            has(&|v| v.chars().any(|c| c < ' ' && c != '\0')),
            10,
        ),
        ("DEL", has(&|v| v.contains('\u{7F}')), 1),
        (
            "C1 control",
            has(&|v| v.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c))),
            3,
        ),
        ("100 KB", has(&|v| v.len() >= 100_000), 4),
        ("1 MB", has(&|v| v.len() >= 1_000_000), 3),
    ] {
        assert!(
            count >= at_least,
            "{count} values with {what}, want {at_least}"
        );
    }
}

/// Hand-picked payloads for the shipped rebuild.
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

/// `export` of the test runbook with the values in `p.yaml`.
const EXPORT_WITH_PARAMS: [&str; 7] = [
    "--templates",
    "tpl",
    "export",
    "hostile.yaml",
    "--example",
    "--params",
    "p.yaml",
];

/// Invalid UTF-8 cannot be in a Rust string, but it can be in a params file or in argv.
#[test]
fn invalid_utf8_in_a_params_file_or_an_argument_is_refused_clearly() {
    let ws = workspace();
    let cases: [(&str, &[u8]); 8] = [
        ("a lone byte", b"s_string: a\xffb\n"),
        ("an encoded surrogate", b"s_string: \xed\xa0\x80\n"),
        ("an overlong slash", b"s_path: C:\xc0\xafTemp\n"),
        ("a truncated sequence", b"s_string: \xe2\x80"),
        ("beyond U+10FFFF", b"s_string: \xf4\x90\x80\x80\n"),
        ("Latin-1 text", b"s_string: caf\xe9\n"),
        ("a list item", b"l_domain: [contoso.com, \xff.com]\n"),
        ("a UTF-16 byte order mark", b"s_string: \xff\xfe\n"),
    ];
    for (what, bytes) in cases {
        ws.write("p.yaml", bytes);
        let run = ws.cmd(EXPORT_WITH_PARAMS).failure(1);
        let stderr = run.stderr();
        assert!(
            stderr.contains("p.yaml: error: is not UTF-8 text (invalid byte at offset"),
            "{what}: {stderr}"
        );
        assert!(run.output.stdout.is_empty(), "{what}: no script");
    }
    // A lone surrogate written as a YAML escape is refused by the YAML reader, with a position.
    ws.write("p.yaml", "s_string: \"a\\uD800b\"\n");
    let stderr = ws.cmd(EXPORT_WITH_PARAMS).failure(1).stderr();
    assert!(stderr.contains("p.yaml:1:11: "), "{stderr}");
    assert!(stderr.contains("surrogate"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        let arg = std::ffi::OsString::from_vec(b"s_string=a\xffb".to_vec());
        let stderr = ws
            .test()
            .args(["--templates", "tpl", "export", "hostile.yaml", "--example"])
            .args([std::ffi::OsString::from("--set"), arg])
            .go()
            .failure(2)
            .stderr();
        assert!(stderr.contains("invalid UTF-8"), "a usage error: {stderr}");
    }
}

/// Windows file names are case-insensitive, so a template may be saved as `Check.PS1`. It is a
/// PowerShell template all the same: its values are quoted, never pasted in raw.
#[test]
fn a_template_named_in_capitals_is_quoted_like_any_ps1_template() {
    let runbook = "id: caps\ntitle: Caps\nversion: '1'\nparams:\n  - name: who\n    type: string\n    \
        example: x\nsteps:\n  - id: look\n    title: Look\n    kind: check\n    template: Check.PS1\n";
    let ws = Workspace::new()
        .file("caps.yaml", runbook)
        .file("tpl/Check.PS1", "Write-Output {{ who }}\n");
    let script = ws
        .test()
        .args(["--templates", "tpl", "export", "caps.yaml"])
        .args(["--set", "who=a'; Remove-Item C:\\ -Recurse; '"])
        .go()
        .success()
        .stdout();
    assert!(
        script.contains("Write-Output 'a''; Remove-Item C:\\ -Recurse; '''"),
        "{script}"
    );
}
