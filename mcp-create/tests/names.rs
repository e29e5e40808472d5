//! Findings 4, 6 and 8 of issue 9 through the real binary: `mcp-create new NAME` refuses the names
//! that break a project of the chosen template (keywords, `all`, packages the template installs),
//! says why and which name would do, and writes nothing.

use std::process::Command;

#[test]
fn new_refuses_names_that_break_the_project_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("servers.json");
    let table = [
        ("python", "all", "`start all`"),
        ("python", "and", "Python keyword"),
        ("python", "lambda", "Python keyword"),
        ("python", "jsonschema", "installs"),
        ("python", "jwt", "installs"),
        ("python", "pydantic", "installs"),
        ("python", "starlette", "installs"),
        ("rust", "all", "`stop all`"),
        ("rust", "move", "Rust keyword"),
        ("rust", "gen", "Rust keyword"),
        ("rust", "box", "reserves"),
        ("rust", "tokio", "dependency graph"),
        ("rust", "serde", "dependency graph"),
        ("rust", "rmcp", "dependency graph"),
        ("typescript", "all", "`start all`"),
        ("typescript", "constructor", "Object.prototype"),
        ("typescript", "zod", "installs"),
        ("typescript", "hono", "installs"),
    ];
    for (template, name, why) in table {
        let output = Command::new(env!("CARGO_BIN_EXE_mcp-create"))
            .args(["new", name, "--template", template])
            .current_dir(dir.path())
            .env("MCP_SERVERS_CONFIG", &config)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{template} {name}: {stderr}");
        assert!(
            stderr.contains(why) && stderr.contains(&format!("\"{name}-server\"")),
            "{template} {name}: {stderr}"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{template} {name} wrote {left:?}");
    }
}
