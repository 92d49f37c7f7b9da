//! A stand-in for `powershell.exe -NoProfile -NonInteractive -Command -`, for the tests of
//! `--exec`'s PowerShell dialect (issue 11 §4): no PowerShell runs on the CI machines, so the
//! tests check the protocol `src/host.rs` speaks instead of a real shell's behaviour.
//!
//! It reads one line per command from standard input, checks that the line is exactly the
//! wrapper `host.rs` sends (the same text with only the base64 script and the end marker
//! varying), decodes the script, "runs" it by the few rules below, and answers the way the
//! wrapper's PowerShell would: the script's output lines, then an empty line, then
//! `<marker> <status>`, where the status is 1 when the `try` block's `catch` ran, else
//! `$LASTEXITCODE` when it is not 0, else 0. Every line it receives, the decoded script, its
//! own argument list and its environment are appended to the log (`--log FILE`, JSON lines), so
//! tests can check what reached the shell and how.
//!
//! The rules (one statement per `;` or line, outside quotes and braces):
//! - `Write-Output X`, `Write-Host X`, or a bare `'literal'`: print X (`'...'` with `''` for a
//!   quote, `"..."` taken literally, `$name` a variable, or a bare word).
//! - `Write-Error X`: a terminating error once `$ErrorActionPreference = 'Stop'` ran, else the
//!   error's text is printed (`2>&1`) and the command goes on.
//! - `throw X`: a terminating error (status 1, the error record printed by the `catch`).
//! - `exit N`: the whole process ends with N, as `exit` does in `-Command -` (no marker).
//! - `Stop-Process -Id $PID -Force`: the process dies on the spot.
//! - `Start-Sleep [-Seconds] N`, `Start-Sleep -Milliseconds N`.
//! - `cmd /c exit N` (a native command): `$LASTEXITCODE` becomes N; so does
//!   `$LASTEXITCODE = N`.
//! - `$name = VALUE` sets a variable; `[Console]::OutputEncoding = VALUE` switches the output
//!   encoding. VALUE is a literal, a number, `$true`/`$false`, `[Console]::OutputEncoding`, or
//!   one of the encodings `[System.Text.Encoding]::UTF8`, `[Text.Encoding]::UTF8`,
//!   `New-Object System.Text.UTF8Encoding $false` and `[Text.Encoding]::GetEncoding(852)`.
//! - `function Name { BODY }` defines a command that runs BODY (its arguments are ignored).
//!   Called as `Remove-*` without `-Confirm:$false` in a `-NonInteractive` shell it fails as
//!   Windows PowerShell does when a cmdlet would prompt (domain reference §7.3).
//! - Anything else fails as an unknown command does (`CommandNotFoundException`, caught).
//!
//! Output is written the way Windows PowerShell 5.1 writes redirected output on a Czech server:
//! in code page 852 (characters it lacks become `?`) until the script sets
//! `[Console]::OutputEncoding` to UTF-8, and with CRLF line ends.
//!
//! What it cannot tell: whether real PowerShell behaves as emulated here. README.md says so.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Duration;

use base64::Engine as _;

/// The wrapper `host.rs` sends, with `{B64}` and `{MARKER}` for the parts that vary. Kept here
/// as a copy on purpose: a change to the wrapper must be emulated here too, or the tests fail.
const WRAPPER: &str = "$global:LASTEXITCODE = 0; $__rbOk = $true; try { Invoke-Expression \
    ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('{B64}'))) 2>&1 \
    | Out-String -Stream -Width 4096 } catch { $__rbOk = $false; ($_ | Out-String \
    -Width 4096).TrimEnd() }; $__rbCode = if (-not $__rbOk) { 1 } elseif \
    ($LASTEXITCODE) { $LASTEXITCODE } else { 0 }; [Console]::Out.WriteLine(''); \
    [Console]::Out.WriteLine('{MARKER} ' + $__rbCode); [Console]::Out.Flush()";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// The OEM code page of a Czech Windows server.
    Cp852,
    Utf8,
}

/// Czech letters in code page 852 (the rest of its upper half is not needed here).
const CP852: &[(char, u8)] = &[
    ('á', 0xA0),
    ('Á', 0xB5),
    ('č', 0x9F),
    ('Č', 0xAC),
    ('ď', 0xD4),
    ('Ď', 0xD2),
    ('é', 0x82),
    ('É', 0x90),
    ('ě', 0xD8),
    ('Ě', 0xB7),
    ('í', 0xA1),
    ('Í', 0xD6),
    ('ň', 0xE5),
    ('Ň', 0xD5),
    ('ó', 0xA2),
    ('Ó', 0xE0),
    ('ř', 0xFD),
    ('Ř', 0xFC),
    ('š', 0xE7),
    ('Š', 0xE6),
    ('ť', 0x9C),
    ('Ť', 0x9B),
    ('ú', 0xA3),
    ('Ú', 0xE9),
    ('ů', 0x85),
    ('Ů', 0xDE),
    ('ý', 0xEC),
    ('Ý', 0xED),
    ('ž', 0xA7),
    ('Ž', 0xA6),
];

/// How a command ended early.
enum Stop {
    /// A terminating error: the `catch` prints this record.
    Error(String),
    /// `exit N`: the process ends.
    Exit(i32),
}

struct Shell {
    log: Option<std::fs::File>,
    encoding: Encoding,
    error_action_stop: bool,
    non_interactive: bool,
    last_exit_code: i64,
    vars: HashMap<String, String>,
    functions: HashMap<String, String>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let log_path = args
        .iter()
        .position(|a| a == "--log")
        .and_then(|i| args.get(i + 1).cloned());
    let log = log_path.map(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&p)
            .unwrap_or_else(|e| panic!("cannot open the log {p}: {e}"))
    });
    let mut shell = Shell {
        log,
        encoding: Encoding::Cp852,
        error_action_stop: false,
        non_interactive: args
            .iter()
            .any(|a| a.eq_ignore_ascii_case("-NonInteractive")),
        last_exit_code: 0,
        vars: HashMap::new(),
        functions: HashMap::new(),
    };
    shell.log(serde_json::json!({
        "event": "start",
        "argv": std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect::<Vec<_>>(),
        "env": std::env::vars_os()
            .map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned()))
            .collect::<HashMap<_, _>>(),
        "proc_cmdline": read_proc("cmdline"),
        "proc_environ": read_proc("environ"),
    }));
    let command_dash = args
        .windows(2)
        .any(|w| w[0].eq_ignore_ascii_case("-Command") && w[1] == "-");
    if !command_dash {
        eprintln!("fake_powershell: expected `-Command -` (commands on standard input)");
        std::process::exit(64);
    }
    let stdin = std::io::stdin();
    let mut line = Vec::new();
    let mut input = stdin.lock();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line)
            .trim_end_matches(['\n', '\r'])
            .to_owned();
        if text.trim().is_empty() {
            continue;
        }
        shell.command(&text);
    }
}

/// `/proc/self/<name>` with NULs as spaces (Linux only; empty elsewhere).
fn read_proc(name: &str) -> String {
    std::fs::read(format!("/proc/self/{name}"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// The base64 script and the marker of a wrapper line, when it is exactly the wrapper.
fn unwrap(line: &str) -> Option<(String, String)> {
    let (head, _) = WRAPPER.split_once("{B64}")?;
    let rest = line.strip_prefix(head)?;
    let b64: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    let (before_marker, _) = WRAPPER.split_once("{MARKER}")?;
    let with_b64 = before_marker.replace("{B64}", &b64);
    let rest = line.strip_prefix(&with_b64)?;
    let marker: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let expected = WRAPPER.replace("{B64}", &b64).replace("{MARKER}", &marker);
    (expected == line).then_some((b64, marker))
}

impl Shell {
    fn log(&mut self, entry: serde_json::Value) {
        if let Some(f) = &mut self.log {
            let mut entry = entry;
            entry["pid"] = std::process::id().into();
            let _ = writeln!(f, "{entry}");
            let _ = f.flush();
        }
    }

    /// Writes one line in the current output encoding, CRLF, flushed.
    fn print(&self, text: &str) {
        let mut bytes = Vec::new();
        match self.encoding {
            Encoding::Utf8 => bytes.extend_from_slice(text.as_bytes()),
            Encoding::Cp852 => {
                for c in text.chars() {
                    if c.is_ascii() {
                        bytes.push(c as u8);
                    } else {
                        let b = CP852
                            .iter()
                            .find(|(k, _)| *k == c)
                            .map_or(b'?', |(_, b)| *b);
                        bytes.push(b);
                    }
                }
            }
        }
        bytes.extend_from_slice(b"\r\n");
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&bytes);
        let _ = out.flush();
    }

    fn command(&mut self, line: &str) {
        let Some((b64, marker)) = unwrap(line) else {
            self.log(serde_json::json!({"event": "unexpected-line", "line": line}));
            eprintln!("fake_powershell: not the runbook wrapper: {line}");
            std::process::exit(70);
        };
        let script = base64::engine::general_purpose::STANDARD
            .decode(&b64)
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let Ok(script) = script else {
            self.log(serde_json::json!({"event": "bad-base64", "line": line}));
            std::process::exit(71);
        };
        self.log(serde_json::json!({
            "event": "command", "line": line, "script": script, "marker": marker
        }));
        // $global:LASTEXITCODE = 0; $__rbOk = $true; try { ... } catch { ... }
        self.last_exit_code = 0;
        let ok = match self.run(&script) {
            Ok(()) => true,
            Err(Stop::Exit(code)) => {
                self.log(serde_json::json!({"event": "exit", "code": code}));
                std::process::exit(code);
            }
            Err(Stop::Error(record)) => {
                for l in record.trim_end().lines() {
                    self.print(l);
                }
                false
            }
        };
        let code = if !ok {
            1
        } else if self.last_exit_code != 0 {
            self.last_exit_code
        } else {
            0
        };
        self.print("");
        self.print(&format!("{marker} {code}"));
    }

    fn run(&mut self, script: &str) -> Result<(), Stop> {
        for statement in statements(script) {
            self.statement(&statement)?;
        }
        Ok(())
    }

    fn statement(&mut self, s: &str) -> Result<(), Stop> {
        let (head, rest) = split_word(s);
        let lower = head.to_ascii_lowercase();
        if lower == "function" {
            let (name, body) = split_word(rest);
            let body = body.trim();
            let body = body
                .strip_prefix('{')
                .and_then(|b| b.strip_suffix('}'))
                .ok_or_else(|| {
                    Stop::Error(error_record(
                        s,
                        "the stand-in reads `function Name { body }`",
                    ))
                })?;
            self.functions
                .insert(name.to_ascii_lowercase(), body.to_owned());
            return Ok(());
        }
        if let Some((target, value)) = assignment(s) {
            return self.assign(s, &target, value);
        }
        if s.starts_with('\'') || s.starts_with('"') {
            let text = self.value(s);
            self.output(&text);
            return Ok(());
        }
        match lower.as_str() {
            "write-output" | "write-host" | "echo" => {
                let text = self.value(rest.trim());
                self.output(&text);
                Ok(())
            }
            "write-error" => {
                let text = self.value(rest.trim());
                if self.error_action_stop {
                    return Err(Stop::Error(error_record(s, &text)));
                }
                for l in error_record(s, &text).lines() {
                    self.print(l);
                }
                Ok(())
            }
            "throw" => {
                let text = self.value(rest.trim());
                Err(Stop::Error(error_record(s, &text)))
            }
            "exit" => Err(Stop::Exit(rest.trim().parse().unwrap_or(0))),
            "stop-process" if rest.contains("$PID") => {
                self.log(serde_json::json!({"event": "killed"}));
                std::process::exit(137);
            }
            "start-sleep" => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                let n = |w: Option<&&str>| w.and_then(|w| w.parse::<u64>().ok()).unwrap_or(0);
                let ms = match words.first().map(|w| w.to_ascii_lowercase()) {
                    Some(w) if w == "-milliseconds" => n(words.get(1)),
                    Some(w) if w == "-seconds" => n(words.get(1)) * 1000,
                    _ => n(words.first()) * 1000,
                };
                std::thread::sleep(Duration::from_millis(ms));
                Ok(())
            }
            "cmd" => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                match words.as_slice() {
                    [c, "exit", n] if c.eq_ignore_ascii_case("/c") => {
                        self.last_exit_code = n.parse().unwrap_or(1);
                        Ok(())
                    }
                    _ => Err(not_recognized(s, head)),
                }
            }
            _ => match self.functions.get(&lower).cloned() {
                Some(body) => {
                    if lower.starts_with("remove-")
                        && self.non_interactive
                        && !rest.to_ascii_lowercase().contains("-confirm:$false")
                    {
                        return Err(Stop::Error(error_record(
                            s,
                            "Windows PowerShell is in NonInteractive mode. Read and Prompt \
                             functionality is not available.",
                        )));
                    }
                    self.run(&body)
                }
                None => Err(not_recognized(s, head)),
            },
        }
    }

    /// Output goes through `Out-String -Stream`: one line per line.
    fn output(&self, text: &str) {
        for l in text.split('\n') {
            self.print(l.trim_end_matches('\r'));
        }
    }

    fn assign(&mut self, s: &str, target: &str, value: &str) -> Result<(), Stop> {
        let value = value.trim();
        let lower = target.to_ascii_lowercase();
        let encoding = match value.to_ascii_lowercase().as_str() {
            "[system.text.encoding]::utf8"
            | "[text.encoding]::utf8"
            | "new-object system.text.utf8encoding $false"
            | "new-object system.text.utf8encoding" => Some(Encoding::Utf8),
            "[text.encoding]::getencoding(852)" | "[system.text.encoding]::getencoding(852)" => {
                Some(Encoding::Cp852)
            }
            "[console]::outputencoding" => Some(self.encoding),
            _ => None,
        };
        match lower.as_str() {
            "[console]::outputencoding" => {
                self.encoding = encoding.ok_or_else(|| {
                    Stop::Error(error_record(
                        s,
                        "the stand-in knows no such encoding (see its rules)",
                    ))
                })?;
            }
            "$outputencoding" => {
                let name = match encoding {
                    Some(Encoding::Utf8) => "utf-8",
                    Some(Encoding::Cp852) => "cp852",
                    None => value,
                };
                self.vars.insert("outputencoding".into(), name.to_owned());
            }
            "$lastexitcode" | "$global:lastexitcode" => {
                self.last_exit_code = value.parse().unwrap_or(0);
            }
            "$erroractionpreference" => {
                self.error_action_stop = self.value(value).eq_ignore_ascii_case("stop");
            }
            _ => {
                let name = lower.trim_start_matches('$').trim_start_matches("global:");
                let v = self.value(value);
                self.vars.insert(name.to_owned(), v);
            }
        }
        Ok(())
    }

    /// The value of one argument: a quoted literal, a variable, or a bare word.
    fn value(&self, arg: &str) -> String {
        if let Some(inner) = arg.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')) {
            return inner.replace("''", "'");
        }
        if let Some(inner) = arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
            return inner.replace("\"\"", "\"");
        }
        if let Some(name) = arg.strip_prefix('$') {
            let name = name.to_ascii_lowercase();
            return self
                .vars
                .get(name.trim_start_matches("global:"))
                .cloned()
                .unwrap_or_default();
        }
        arg.to_owned()
    }
}

/// `$x = ...` or `[Console]::OutputEncoding = ...` (not `==` or `-eq`).
fn assignment(s: &str) -> Option<(String, &str)> {
    if !(s.starts_with('$') || s.starts_with('[')) {
        return None;
    }
    let (target, value) = s.split_once('=')?;
    let target = target.trim();
    (!target.contains(' ') && !value.starts_with('=')).then(|| (target.to_owned(), value))
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// The script's statements: split at `;` and line ends outside quotes and braces; `#` comments
/// dropped.
fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut depth = 0u32;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == q {
                    if chars.peek() == Some(&q) {
                        cur.push(q);
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '{' => {
                    depth += 1;
                    cur.push(c);
                }
                '}' => {
                    depth = depth.saturating_sub(1);
                    cur.push(c);
                }
                '#' if depth == 0 => {
                    while chars.peek().is_some_and(|&c| c != '\n') {
                        chars.next();
                    }
                }
                ';' | '\n' | '\r' if depth == 0 => {
                    if !cur.trim().is_empty() {
                        out.push(cur.trim().to_owned());
                    }
                    cur.clear();
                }
                _ => cur.push(c),
            },
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

/// Roughly what `$_ | Out-String` prints for an error record in Windows PowerShell 5.1.
fn error_record(statement: &str, message: &str) -> String {
    let underline = "~".repeat(statement.chars().count().max(1));
    format!(
        "{message}\nAt line:1 char:1\n+ {statement}\n+ {underline}\n    + CategoryInfo          : \
         OperationStopped: ({message}:String) [], RuntimeException\n    + FullyQualifiedErrorId : \
         {message}"
    )
}

fn not_recognized(statement: &str, name: &str) -> Stop {
    Stop::Error(error_record(
        statement,
        &format!(
            "{name} : The term '{name}' is not recognized as the name of a cmdlet, function, \
             script file, or operable program. Check the spelling of the name, or if a path was \
             included, verify that the path is correct and try again."
        ),
    ))
}
