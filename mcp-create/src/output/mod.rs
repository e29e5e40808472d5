//! Everything a command shows besides its plain-text report: `--json` documents and errors,
//! progress on stderr, colour, and the `--quiet`/`--verbose` level. Every command goes through here.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod colour;
pub mod completions;
pub mod json;
pub mod man;
pub mod progress;

pub use progress::Progress;

/// The global output flags, as parsed from the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settings {
    /// `--json`: stdout carries exactly one JSON document.
    pub json: bool,
    /// `--quiet`: no progress and no notes on stderr.
    pub quiet: bool,
    /// `--verbose`: progress as plain lines on stderr even when it is not a terminal.
    pub verbose: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();
static JSON_WRITTEN: AtomicBool = AtomicBool::new(false);

/// Sets the flags for this process (the first call wins: one command line per process).
pub fn init(settings: Settings) {
    let _ = SETTINGS.set(settings);
}

/// The flags of this process (all off when [`init`] was not called).
pub fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// Whether `--json` was given.
pub fn json() -> bool {
    settings().json
}

/// Writes a note for the user on stderr, unless `--quiet`.
pub fn note(line: impl std::fmt::Display) {
    if !settings().quiet {
        eprintln!("{line}");
    }
}

/// Records that the command wrote its JSON document (an error after it is not printed again).
pub(crate) fn mark_json_written() {
    JSON_WRITTEN.store(true, Ordering::SeqCst);
}

/// Whether the command already wrote its JSON document.
pub fn json_written() -> bool {
    JSON_WRITTEN.load(Ordering::SeqCst)
}
