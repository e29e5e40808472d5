//! The docs pages as tests read them: their fenced code blocks, their `## ` sections, and a shell
//! that runs their `sh` blocks with this build's `mcp-create` first on `PATH`.

use std::ffi::OsString;
use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Sandbox, checkout, path_with};

/// The page at `path` in the checkout (e.g. `docs/manage.md`).
pub fn page(path: &str) -> String {
    std::fs::read_to_string(checkout().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One fenced block: its language (after the opening fence), its body (whole lines), and the
/// byte range of the body in the page.
pub struct Block {
    pub lang: String,
    pub body: String,
    pub range: Range<usize>,
}

/// The fenced blocks of `markdown`, in order.
pub fn fenced_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, usize)> = None;
    let mut at = 0;
    for line in markdown.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(fence) = line.trim_end().strip_prefix("```") else {
            continue;
        };
        match open.take() {
            None => open = Some((fence.trim().to_owned(), at)),
            Some((lang, body_start)) => blocks.push(Block {
                lang,
                body: markdown[body_start..start].to_owned(),
                range: body_start..start,
            }),
        }
    }
    assert!(open.is_none(), "an unclosed ``` block");
    blocks
}

/// The bodies of the ```sh blocks of `markdown`, in order.
pub fn sh_blocks(markdown: &str) -> Vec<String> {
    fenced_blocks(markdown)
        .into_iter()
        .filter(|block| block.lang == "sh")
        .map(|block| block.body)
        .collect()
}

/// The page cut at its `## ` headings: (heading, text), the text before the first heading under "".
pub fn sections(page: &str) -> Vec<(String, String)> {
    let mut sections = vec![(String::new(), String::new())];
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push((heading.trim().to_owned(), String::new()));
        }
        let text = &mut sections.last_mut().expect("one section at least").1;
        text.push_str(line);
        text.push('\n');
    }
    sections
}

/// `blocks` as one script that echoes `>>> <label> block N` before block N, so that a failure's
/// output says which block broke.
pub fn script(label: &str, blocks: &[String]) -> String {
    blocks
        .iter()
        .enumerate()
        .map(|(i, block)| format!("echo '>>> {label}block {}'\n{block}", i + 1))
        .collect()
}

/// `PATH` with the folder of this build's `mcp-create` first, as a reader who installed it has.
pub fn path_with_mcp_create() -> OsString {
    path_with(
        Path::new(env!("CARGO_BIN_EXE_mcp-create"))
            .parent()
            .expect("the binary is in a folder"),
    )
}

/// `shell flags script` with [`path_with_mcp_create`], `TMPDIR` in `scratch`, no stdin and no
/// Python bytecode written next to the checkout's fixtures.
pub fn shell(shell: &str, flags: &[&str], script: &str, scratch: &Path) -> Command {
    let mut command = Command::new(shell);
    command
        .args(flags)
        .arg(script)
        .env("PATH", path_with_mcp_create())
        .env("TMPDIR", scratch)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null());
    command
}

/// Runs every `sh` block of the page at `path` (at least `at_least`), in order, in one `sh -e` from
/// the checkout's root, with HOME and the XDG config folder in `sandbox` and the default registry
/// and runtime folder under that HOME; fails the test with the output unless every block
/// succeeds. Returns stdout, then stderr.
pub fn run_page(path: &str, at_least: usize, sandbox: &Sandbox) -> String {
    let blocks = sh_blocks(&page(path));
    assert!(
        blocks.len() >= at_least,
        "{path}: {} sh blocks",
        blocks.len()
    );
    let output = shell("sh", &["-ec"], &script("", &blocks), &sandbox.base)
        .current_dir(checkout())
        .env("HOME", &sandbox.home)
        .env("XDG_CONFIG_HOME", sandbox.base.join("xdg"))
        .env_remove("MCP_SERVERS_CONFIG")
        .env_remove("MCP_RUNTIME_DIR")
        .output()
        .unwrap();
    let out = format!(
        "{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{path} failed ({}):\n{out}",
        output.status
    );
    out
}
