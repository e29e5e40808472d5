//! Findings 4, 6 and 8 of issue 9 through the real binary: `mcp-create new NAME` refuses the names
//! that break a project of the chosen template (keywords, `all`, packages the template installs),
//! says why and which name would do, and writes nothing.

use crate::support::Sandbox;

#[test]
fn new_refuses_names_that_break_the_project_and_writes_nothing() {
    let sandbox = Sandbox::new();
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
        // Exit 2, the reason, and not a file written anywhere in the sandbox.
        let stderr = sandbox.refuses(&["new", name, "--template", template], 2, why);
        assert!(
            stderr.contains(&format!("\"{name}-server\"")),
            "{template} {name}: {stderr}"
        );
    }
}
