//! The tools a test needs: a missing one fails the test, saying what to install (never a skip).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub use super::common::require;

/// Fails unless `program --version` runs.
pub fn tool(program: &str, why: &str) {
    require(
        program,
        &["--version"],
        &format!("{why} needs {program}; install it (this test never skips)"),
    );
}

/// Fails unless python3 runs.
pub fn python3() {
    tool("python3", "this test");
}

/// The real python3 executable (not a shim that needs the shell's PATH). Fails loudly if absent.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let output = Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .expect("python3 is required by these tests: install it");
        assert!(output.status.success(), "python3 does not run");
        PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
    })
}
