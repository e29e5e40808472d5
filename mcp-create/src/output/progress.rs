//! Progress on long work, on stderr only: a spinner when stderr is a terminal, a plain line with
//! `--verbose` otherwise, nothing with `--quiet` or in pipes. Never on stdout.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// One piece of long work being shown; cleared when dropped.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Shows `message` (e.g. "starting weather: waiting for its health check").
    pub fn start(message: impl Into<String>) -> Progress {
        let message = message.into();
        let settings = super::settings();
        if settings.quiet {
            return Progress { bar: None };
        }
        if !std::io::stderr().is_terminal() {
            if settings.verbose {
                eprintln!("{message}");
            }
            return Progress { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .expect("the template is valid"),
        );
        bar.set_message(message);
        bar.tick();
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress { bar: Some(bar) }
    }

    /// Runs `f` with the progress line hidden (for a line written to the same terminal).
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Changes the message shown.
    pub fn set(&self, message: impl Into<String>) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.into());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
