//! The file tools through a real MCP client, in-process, over a temporary directory; and the
//! binary, which takes its root from the command line beside the SDK's flags.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
};

use mcp_sdk::{serde_json::json, testing::TestClient};

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/guide.md"), "# Guide\n").unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[package]\n").unwrap();
    dir
}

#[mcp_sdk::test]
async fn files_are_listed_read_and_found_inside_the_root_only() -> mcp_sdk::Result<()> {
    let dir = tree();
    let client = TestClient::start(files::server(&dir.path().join("docs/.."))?).await?;

    let entries: Vec<String> = client.call_typed("list_dir", json!({})).await?;
    assert_eq!(entries, ["Cargo.toml", "docs/"]);
    let text: String = client
        .call_typed("read_file", json!({"path": "docs/guide.md"}))
        .await?;
    assert_eq!(text, "# Guide\n");
    let found: Vec<String> = client
        .call_typed("find_files", json!({"name_contains": ".md"}))
        .await?;
    assert_eq!(found, ["docs/guide.md"]);

    for (path, expected) in [
        ("../", "`../` is outside the root"),
        ("nope.txt", "`nope.txt` does not exist under the root"),
        ("docs", "`docs` is a directory; list it with list_dir"),
    ] {
        let result = client.call("read_file", json!({"path": path})).await?;
        let text = mcp_sdk::testing::result_text(&result);
        assert!(text.starts_with(expected), "{path}: {text}");
    }
    Ok(())
}

#[test]
fn the_binary_takes_its_root_beside_the_sdk_flags_and_explains_a_bad_one() {
    let dir = tree();
    let mut server = Command::new(env!("CARGO_BIN_EXE_files"))
        .args(["--transport", "stdio"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"}}});
    let mut stdin = server.stdin.take().unwrap();
    writeln!(stdin, "{initialize}").unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let reply: mcp_sdk::serde_json::Value = mcp_sdk::serde_json::from_str(&line).unwrap();
    assert_eq!(reply["result"]["serverInfo"]["name"], "files", "{line}");
    drop(stdin);
    assert!(server.wait().unwrap().success());

    let missing = dir.path().join("missing");
    let output = Command::new(env!("CARGO_BIN_EXE_files"))
        .arg(&missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("is not a directory"), "{stderr}");
    let output = Command::new(env!("CARGO_BIN_EXE_files")).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("<ROOT>"), "clap's usage: {stderr}");
}
