//! The `runbook` binary: everything lives in the library; this only exits with its code.

fn main() {
    std::process::exit(runbook::run(std::env::args_os()));
}
