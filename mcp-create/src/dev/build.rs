//! The rebuild before a reload, as each template builds: Rust `cargo build --release` (its `run`
//! is `target/release/NAME`), TypeScript `npm run build` (`node dist/index.js`), Python nothing.

use std::path::Path;

use crate::new::manifest::Language;

/// The build command of a project in `language`, if it needs one.
pub fn command(language: Option<Language>) -> Option<&'static [&'static str]> {
    match language? {
        Language::Rust => Some(&["cargo", "build", "--release"]),
        Language::Typescript => Some(&["npm", "run", "build"]),
        Language::Python => None,
    }
}

/// Runs `words` in `dir`; on failure, what it printed (the compiler's output).
pub async fn run(words: &[&str], dir: &Path) -> Result<(), String> {
    let output = tokio::process::Command::new(words[0])
        .args(&words[1..])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| format!("`{}` did not start: {e}", words.join(" ")))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "`{}` failed ({}):\n{}{}",
        words.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}
