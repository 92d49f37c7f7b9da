//! The long-lived shell that runs commands in `--exec` mode: one process per run, each command
//! sent on its standard input with a unique end marker, so its output and exit status are
//! delimited without starting a new process (and a new Exchange session) per command.
//!
//! Scripts travel on standard input only, never on a command line, so a secret in a rendered
//! command is not visible in the process list.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How commands are wrapped for the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Dialect {
    /// Windows PowerShell 5.1 or PowerShell 7 (`-Command -`).
    Powershell,
    /// A POSIX shell (`sh`); used by the tests, where no PowerShell exists.
    Posix,
}

/// Which shell to start, and what to run in it first.
#[derive(Debug, Clone)]
pub(crate) struct HostConfig {
    /// Program and arguments.
    pub command: Vec<String>,
    /// How commands are wrapped.
    pub dialect: Dialect,
    /// The runbook's `preamble`, run once per started shell.
    pub preamble: Option<String>,
}

impl HostConfig {
    /// `powershell.exe -NoProfile -NonInteractive -Command -` on Windows, `pwsh ...` elsewhere.
    pub(crate) fn default_command() -> Vec<String> {
        let program = if cfg!(windows) {
            "powershell.exe"
        } else {
            "pwsh"
        };
        [program, "-NoProfile", "-NonInteractive", "-Command", "-"]
            .map(str::to_owned)
            .to_vec()
    }
}

/// The first command of every PowerShell host, before the preamble.
///
/// - `[Console]::OutputEncoding`: Windows PowerShell writes redirected output in it, and it is
///   the OEM code page by default (852 on a Czech server); the host reads UTF-8, so localized
///   text (Czech AD FS events) would reach `pass_if` garbled (domain reference §7.3). A
///   `UTF8Encoding` without a byte order mark, so none is written before the first line.
/// - `$OutputEncoding`: what PowerShell sends to a native command's standard input; UTF-8 too.
/// - `[Console]::InputEncoding` is left alone: every line sent is ASCII (the script travels in
///   base64 and is decoded as UTF-8 by the wrapper), and changing it would replace the reader
///   PowerShell is reading commands from.
/// - `$ErrorActionPreference = 'Stop'`: non-terminating cmdlet errors become failures, as in
///   the exported script.
pub const POWERSHELL_SETUP: &str = "[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false; \
    $OutputEncoding = [Console]::OutputEncoding; $ErrorActionPreference = 'Stop'; \
    $ProgressPreference = 'SilentlyContinue'";

/// What one command did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Completed {
    /// Standard output and error, interleaved as the shell wrote them.
    pub output: String,
    /// The exit status; `None` when it timed out or the shell died.
    pub exit_status: Option<i32>,
    /// The command ran past its timeout (the shell was stopped).
    pub timed_out: bool,
    /// The shell exited while the command ran.
    pub host_died: bool,
    /// Wall time.
    pub duration: Duration,
}

enum Line {
    Text(String),
    Closed,
}

/// A running shell.
pub(crate) struct Host {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Line>,
    dialect: Dialect,
    counter: u64,
    salt: u64,
}

fn reader(stream: impl Read + Send + 'static, tx: mpsc::Sender<Line>) {
    std::thread::spawn(move || {
        let mut r = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let text = String::from_utf8_lossy(&buf);
                    // A byte order mark is never part of the output: a .NET writer may put one
                    // before its first line when the encoding changes.
                    let line = text
                        .trim_start_matches('\u{feff}')
                        .trim_end_matches(['\n', '\r'])
                        .to_owned();
                    if tx.send(Line::Text(line)).is_err() {
                        return;
                    }
                }
            }
        }
        let _ = tx.send(Line::Closed);
    });
}

/// A hard-to-guess number for end markers, so a command's output cannot fake one.
fn salt() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    h.finish()
}

impl Host {
    /// Starts the shell and runs the preamble; the preamble's failure is an error.
    pub(crate) fn start(config: &HostConfig, timeout: Duration) -> Result<Host, String> {
        let (program, args) = config
            .command
            .split_first()
            .ok_or_else(|| "the shell command is empty".to_owned())?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the shell `{}`: {e}", config.command.join(" ")))?;
        let (tx, rx) = mpsc::channel();
        if let Some(out) = child.stdout.take() {
            reader(out, tx.clone());
        }
        if let Some(err) = child.stderr.take() {
            reader(err, tx);
        }
        let mut host = Host {
            stdin: child.stdin.take(),
            child,
            lines: rx,
            dialect: config.dialect,
            counter: 0,
            salt: salt(),
        };
        if config.dialect == Dialect::Powershell {
            let done = host.run(POWERSHELL_SETUP, timeout, &mut |_| {});
            if done.exit_status != Some(0) {
                return Err(format!(
                    "the shell's setup failed ({}), so its output could not be read as UTF-8:\n{}",
                    describe_status(&done),
                    done.output.trim_end()
                ));
            }
        }
        if let Some(preamble) = &config.preamble {
            let done = host.run(preamble, timeout, &mut |_| {});
            if done.exit_status != Some(0) {
                return Err(format!(
                    "the preamble failed ({}):\n{}",
                    describe_status(&done),
                    done.output.trim_end()
                ));
            }
        }
        Ok(host)
    }

    fn wrap(&self, script: &str, marker: &str) -> String {
        match self.dialect {
            Dialect::Posix => {
                let quoted = script.replace('\'', r"'\''");
                // stdin from /dev/null: a command that reads input must not eat the next one.
                format!("eval '{quoted}' </dev/null 2>&1; printf '%s %s\\n' '{marker}' \"$?\"\n")
            }
            Dialect::Powershell => {
                use base64::Engine as _;
                let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
                // One line: `-Command -` runs each complete line, and a script in base64 cannot
                // break out of the wrapper whatever it contains.
                format!(
                    "$global:LASTEXITCODE = 0; $__rbOk = $true; try {{ Invoke-Expression \
                     ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('{}'))) 2>&1 \
                     | Out-String -Stream -Width 4096 }} catch {{ $__rbOk = $false; ($_ | Out-String \
                     -Width 4096).TrimEnd() }}; $__rbCode = if (-not $__rbOk) {{ 1 }} elseif \
                     ($LASTEXITCODE) {{ $LASTEXITCODE }} else {{ 0 }}; [Console]::Out.WriteLine(''); \
                     [Console]::Out.WriteLine('{marker} ' + $__rbCode); [Console]::Out.Flush()\n",
                    b64(script.as_bytes())
                )
            }
        }
    }

    /// Runs `script`, passing each output line to `on_line` as it arrives.
    pub(crate) fn run(
        &mut self,
        script: &str,
        timeout: Duration,
        on_line: &mut dyn FnMut(&str),
    ) -> Completed {
        self.counter += 1;
        let marker = format!("__RUNBOOK_END_{:016x}_{}__", self.salt, self.counter);
        let started = Instant::now();
        let mut done = Completed::default();
        let wrapped = self.wrap(script, &marker);
        let sent = self
            .stdin
            .as_mut()
            .map(|s| s.write_all(wrapped.as_bytes()).and_then(|()| s.flush()));
        if !matches!(sent, Some(Ok(()))) {
            done.host_died = true;
            done.duration = started.elapsed();
            return done;
        }
        let deadline = started + timeout;
        let mut out: Vec<String> = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(Line::Text(line)) => {
                    if let Some(at) = line.find(&marker) {
                        let before = &line[..at];
                        if !before.is_empty() {
                            on_line(before);
                            out.push(before.to_owned());
                        }
                        let code = line[at + marker.len()..].trim();
                        done.exit_status = Some(code.parse().unwrap_or(1));
                        break;
                    }
                    on_line(&line);
                    out.push(line);
                }
                Ok(Line::Closed) | Err(RecvTimeoutError::Disconnected) => {
                    // Both streams close when the shell exits; wait for the second only briefly.
                    if self.child.try_wait().ok().flatten().is_some() || self.exited() {
                        done.host_died = true;
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    done.timed_out = true;
                    self.kill();
                    break;
                }
            }
        }
        if self.dialect == Dialect::Powershell && out.last().is_some_and(String::is_empty) {
            // The wrapper writes an empty line before the marker.
            out.pop();
        }
        done.output = out.join("\n");
        done.duration = started.elapsed();
        done
    }

    fn exited(&mut self) -> bool {
        std::thread::sleep(Duration::from_millis(50));
        self.child.try_wait().ok().flatten().is_some()
    }

    /// The shell's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the shell is still there.
    pub(crate) fn alive(&mut self) -> bool {
        self.stdin.is_some() && self.child.try_wait().ok().flatten().is_none()
    }

    /// Stops the shell.
    pub(crate) fn kill(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        // Closing stdin ends a shell reading commands; kill in case it is stuck in one.
        self.stdin = None;
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// "exit status 3", "timed out", "the shell exited".
pub(crate) fn describe_status(e: &Completed) -> String {
    match (e.exit_status, e.timed_out, e.host_died) {
        (_, true, _) => format!("timed out after {}s", e.duration.as_secs()),
        (_, _, true) => "the shell exited while it ran".into(),
        (Some(code), _, _) => format!("exit status {code}"),
        (None, _, _) => "no exit status".into(),
    }
}
