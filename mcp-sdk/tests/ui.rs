//! Compile-fail cases of the macros: each error points at the offending token and says how to fix it.
//!
//! Each `tests/ui/fail/NAME.rs` is checked by rustc against the `mcp_sdk` this test was built with,
//! and what rustc prints must equal `NAME.stderr` (after normalizing line numbers outside the case).
//! Each `tests/ui/warn/NAME.rs` must compile, and its warnings must equal `NAME.stderr`.
//! Rustc reuses the dependency tree cargo already built, so no case rebuilds it. To accept new
//! messages after changing one on purpose, run with `MCP_CREATE_UPDATE_GOLDEN=1` and review the diff.
//! The forms that must compile are `tests/every_feature.rs`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn every_compile_fail_case_prints_its_expected_error() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir.parent().unwrap();
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let sdk = sdk_rlib(&deps);
    // Cases derive serde's and schemars' traits as a user would: with the builds the SDK uses.
    let sdk_bytes = fs::read(&sdk).unwrap();
    let externs: Vec<String> = ["serde", "schemars"]
        .iter()
        .map(|name| {
            format!(
                "{name}={}",
                dependency_rlib(&deps, &sdk_bytes, name).display()
            )
        })
        .collect();
    let out = tempfile_dir();
    let update = std::env::var_os("MCP_CREATE_UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let mut cases: Vec<_> = ["fail", "warn"]
        .iter()
        .flat_map(|dir| fs::read_dir(manifest_dir.join("tests/ui").join(dir)).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in tests/ui");
    for case in &cases {
        let must_fail = case.parent().unwrap().ends_with("fail");
        let relative = case.strip_prefix(manifest_dir).unwrap();
        // From the workspace root, where cargo compiled the SDK, so rustc finds its sources too.
        let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            .current_dir(workspace)
            // A bin unless the case says `#![crate_type = "lib"]`.
            .args(["--edition=2024", "--emit=metadata", "--color=never"])
            .arg("--out-dir")
            .arg(&out)
            .arg("-L")
            .arg(format!("dependency={}", deps.display()))
            .arg("--extern")
            .arg(format!("mcp_sdk={}", sdk.display()))
            .args(externs.iter().flat_map(|name| ["--extern", name]))
            .arg(case.strip_prefix(workspace).unwrap())
            .output()
            .expect("rustc runs");
        let name = relative.display();
        if output.status.success() == must_fail {
            let (did, must) = match must_fail {
                true => ("compiled", "fail"),
                false => ("failed", "compile"),
            };
            failures.push(format!(
                "{name} {did}, but it must {must}:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let actual = normalize(&String::from_utf8_lossy(&output.stderr));
        let expected_path = case.with_extension("stderr");
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                fs::write(&expected_path, &actual).unwrap();
            } else {
                failures.push(format!(
                    "{name}: rustc printed\n{actual}\nbut {} expects\n{expected}",
                    expected_path.display()
                ));
            }
        }
    }
    let _ = fs::remove_dir_all(&out);
    assert!(
        failures.is_empty(),
        "{}\n(accept intended changes with MCP_CREATE_UPDATE_GOLDEN=1)",
        failures.join("\n\n")
    );
}

/// The guide's "Common mistakes" are these cases: each `rust,ignore` example is a case file, and
/// the `text` block after it the start of that case's expected output.
#[test]
fn the_guides_common_mistakes_are_ui_cases() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = fs::read_to_string(manifest_dir.join("../docs/sdk.md")).unwrap();
    let section = guide
        .split_once("\n## Common mistakes\n")
        .expect("docs/sdk.md has a Common mistakes section")
        .1;
    let section = section.split("\n## ").next().unwrap();
    let cases: Vec<(PathBuf, String)> = ["fail", "warn"]
        .iter()
        .flat_map(|dir| fs::read_dir(manifest_dir.join("tests/ui").join(dir)).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    let mut blocks = section.split("```").skip(1).step_by(2).peekable();
    let mut shown = 0;
    while let Some(block) = blocks.next() {
        let Some(code) = block.strip_prefix("rust,ignore\n") else {
            continue;
        };
        let (path, _) = cases
            .iter()
            .find(|(_, text)| text == code)
            .unwrap_or_else(|| panic!("this example is no case in tests/ui:\n{code}"));
        let output = blocks.next().and_then(|b| b.strip_prefix("text\n"));
        let expected = fs::read_to_string(path.with_extension("stderr")).unwrap();
        assert!(
            output.is_some_and(|output| expected.starts_with(output)),
            "the text after {} is not the start of its .stderr:\n{expected}",
            path.display()
        );
        shown += 1;
    }
    assert!(shown >= 4, "only {shown} examples in Common mistakes");
}

/// The rlib of this checkout's `mcp_sdk` that cargo built last in `deps`: the one this test links
/// against. Its dep-info lists `mcp-sdk/src/lib.rs` first; the copies that generated projects
/// vendor (built into the same target folder by other tests) list `vendor/mcp-sdk/src/lib.rs`.
fn sdk_rlib(deps: &Path) -> PathBuf {
    fs::read_dir(deps)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            let Some(hash) = name
                .strip_prefix("libmcp_sdk-")
                .and_then(|rest| rest.strip_suffix(".rlib"))
            else {
                return false;
            };
            let dep_info = fs::read_to_string(deps.join(format!("mcp_sdk-{hash}.d")));
            dep_info.is_ok_and(|text| {
                text.split_once(".d: ")
                    .is_some_and(|(_, sources)| sources.starts_with("mcp-sdk/src/lib.rs "))
            })
        })
        .max_by_key(|path| fs::metadata(path).unwrap().modified().unwrap())
        .unwrap_or_else(|| {
            panic!(
                "no libmcp_sdk-*.rlib of this checkout in {}",
                deps.display()
            )
        })
}

/// The rlib of crate `name` that the SDK was built against, among the builds of it in `deps`: the
/// one whose file-name hash the SDK's metadata records.
fn dependency_rlib(deps: &Path, sdk: &[u8], name: &str) -> PathBuf {
    let prefix = format!("lib{name}-");
    fs::read_dir(deps)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            let file = path.file_name().unwrap().to_string_lossy();
            file.strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".rlib"))
                .is_some_and(|hash| {
                    let needle = format!("-{hash}");
                    sdk.windows(needle.len())
                        .any(|window| window == needle.as_bytes())
                })
        })
        .unwrap_or_else(|| panic!("no {name} rlib of the SDK's build in {}", deps.display()))
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mcp-sdk-ui-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Rustc's output without what changes when unrelated code moves: line numbers in files other than
/// the case, the gutter width they imply, the count of "other types", the path it picks for serde's
/// traits, and the closing summary lines.
fn normalize(stderr: &str) -> String {
    let mut lines = Vec::new();
    let mut outside_case = false;
    // Rustc indents a diagnostic by the width of its widest line number: undo that beyond one digit.
    let mut extra_indent = 0;
    for line in stderr.lines() {
        let line = &same_trait_path(line);
        if line.starts_with("error: aborting due to")
            || (line.starts_with("warning: ") && line.ends_with(" emitted"))
            || line.starts_with("For more information about")
            || line.starts_with("Some errors have detailed explanations")
        {
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(location) = trimmed.strip_prefix("--> ") {
            extra_indent = (line.len() - trimmed.len()).saturating_sub(1);
            let location = location.strip_prefix("mcp-sdk/").unwrap_or(location);
            outside_case = !location.starts_with("tests/ui/");
            let location = if outside_case {
                location.split(':').next().unwrap()
            } else {
                location
            };
            lines.push(format!(" --> {location}"));
            continue;
        }
        if trimmed.starts_with("= ") || trimmed == "..." {
            lines.push(format!("  {trimmed}"));
            continue;
        }
        if let Some((number, rest)) = gutter(trimmed) {
            let number = if outside_case { "" } else { number };
            lines.push(format!("{number:>1} {rest}").trim_end().to_string());
            continue;
        }
        if !line.starts_with(' ') {
            outside_case = false;
        }
        let indent = (line.len() - trimmed.len()).min(extra_indent);
        lines.push(others_count(&line[indent..]));
    }
    let mut text = lines.join("\n");
    while text.ends_with("\n\n") {
        text.pop();
    }
    text.trim_end().to_string() + "\n"
}

/// Splits a snippet line `12 | code` (or a `+`/`-`/`~` suggestion line) into its line number and the
/// rest from the marker on.
fn gutter(trimmed: &str) -> Option<(&str, &str)> {
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let (number, rest) = trimmed.split_at(digits);
    let rest = rest.trim_start();
    let marker = rest.chars().next()?;
    let is_marker = marker == '|' || (digits > 0 && matches!(marker, '+' | '-' | '~'));
    (is_marker && (rest.len() == 1 || rest[1..].starts_with(' '))).then_some((number, rest))
}

/// Rustc names serde's traits by whichever path it sees first, which depends on the features cargo
/// unified for this build (`cargo test -p mcp-sdk` or `--workspace`): one name for both.
fn same_trait_path(line: &str) -> String {
    line.replace("serde_core::ser::", "serde::")
        .replace("mcp_sdk::rmcp::serde::", "serde::")
}

fn others_count(line: &str) -> String {
    match line.trim_start().strip_prefix("and ") {
        Some(rest) if rest.ends_with(" others") => {
            let indent = &line[..line.len() - line.trim_start().len()];
            format!("{indent}and $N others")
        }
        _ => line.to_string(),
    }
}
