//! The one integration-test binary: one module per feature, sharing `support`.

mod answers;
mod cli;
mod crash;
mod errors;
mod exec;
mod exec_powershell;
mod export;
mod faults;
mod graph;
mod hostile;
mod journal;
mod library;
mod lint;
mod malformed;
mod matching;
mod new;
mod quote;
mod report;
mod run;
mod schema;
mod secrets;
mod standalone;
mod support;
mod terminal;
mod terminal_render;
mod warnings;
