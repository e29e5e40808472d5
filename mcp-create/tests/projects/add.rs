//! `mcp-create add tool|resource|prompt` on projects of each template: what it refuses, what it
//! sees, what a failed add leaves, docs/add.md. The template tests run [`add_all_then_test_and_call`]
//! on the project they installed: the project's own tests pass (with a new test for each), and the
//! built server answers a real client reaching them.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use mcp_create::connect::{Connection, Endpoint, Launch, Protocol, block_on};
use rmcp::model::{CallToolRequestParams, GetPromptRequestParams, ReadResourceRequestParams};
use serde_json::{Value, json};

use crate::support::Sandbox;
use crate::support::markdown::{fenced_blocks, page};
use crate::support::project::Project;

/// Adds a tool (twice: the second is refused), a resource and a prompt, runs `build` (if the
/// test command does not build what the server runs) and the project's test command, then starts the server (`program` and the registered arguments) and reaches each
/// through a real client. The template tests run it last on the project they installed.
pub(crate) fn add_all_then_test_and_call(
    project: &Project,
    build: Option<&str>,
    envs: &[(&str, OsString)],
    program: PathBuf,
) {
    for (kind, name, snake) in [
        ("tool", "Word Count", "word_count"),
        ("resource", "word_list", "word_list"),
        ("prompt", "Word Story", "word_story"),
    ] {
        let added = project.mcp_create(&["add", kind, name]);
        let stdout = String::from_utf8_lossy(&added.stdout);
        assert!(
            added.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&added.stderr)
        );
        assert!(
            stdout.contains(&format!("Added the {kind} `{snake}`")),
            "{stdout}"
        );
    }
    let again = project.mcp_create(&["add", "tool", "word_count"]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a tool named \"word_count\" already exists"),
        "{stderr}"
    );
    let clash = project.mcp_create(&["add", "prompt", "word_list"]);
    assert_eq!(
        clash.status.code(),
        Some(2),
        "a prompt cannot reuse the resource's function name"
    );

    if let Some(build) = build {
        project.sh(build, envs);
    }
    project.sh(&project.test, envs);

    let launch = Launch {
        program,
        args: project.registered_command().1,
        env: Default::default(),
        cwd: Some(project.dest.clone()),
    };
    let (tool, resource, prompt) = block_on(async {
        let endpoint = Endpoint::Stdio(launch);
        let timeout = Duration::from_secs(60);
        let connection = Connection::open(&endpoint, Protocol::Initialize2025, timeout)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let client = connection.client();
        let tools = client.list_all_tools().await.unwrap();
        let names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
        assert!(names.contains(&"word_count".to_owned()), "{names:?}");
        let arguments = json!({"text": "hello"}).as_object().unwrap().clone();
        let call = CallToolRequestParams::new("word_count").with_arguments(arguments.clone());
        let tool = client.call_tool(call).await.unwrap();
        let read = ReadResourceRequestParams::new("word-list://42");
        let resource = client.read_resource(read).await.unwrap();
        let get = GetPromptRequestParams::new("word_story").with_arguments(arguments);
        let prompt = client.get_prompt(get).await.unwrap();
        connection.close().await;
        let value = |v: Result<Value, _>| v.unwrap();
        (
            value(serde_json::to_value(tool)),
            value(serde_json::to_value(resource)),
            value(serde_json::to_value(prompt)),
        )
    });
    assert_ne!(tool["isError"], json!(true), "{tool}");
    assert_eq!(tool["content"][0]["text"], "word_count: hello", "{tool}");
    assert_eq!(
        resource["contents"][0]["text"], "word_list 42",
        "{resource}"
    );
    assert_eq!(
        prompt["messages"][0]["content"]["text"], "word_story: hello",
        "{prompt}"
    );
}

/// docs/add.md: its ```sh block runs in a fresh project of each template, and every code block
/// in that language then appears, as is, in the project's server source.
#[test]
fn docs_add_md_is_what_the_code_does() {
    let doc = page("docs/add.md");
    let blocks = fenced_blocks(&doc);
    let commands: Vec<&str> = blocks
        .iter()
        .filter(|block| block.lang == "sh")
        .flat_map(|block| block.body.lines())
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    for (template, lang, source) in [
        ("rust", "rust", "src/lib.rs"),
        ("python", "python", "src/weather/server.py"),
        ("typescript", "ts", "src/server.ts"),
    ] {
        let project = Project::generate(template, "weather");
        for command in &commands {
            let binary = env!("CARGO_BIN_EXE_mcp-create");
            let line = command.replacen("mcp-create", &format!("'{binary}'"), 1);
            project.sh(&line, &project.sandbox.envs());
        }
        let text = std::fs::read_to_string(project.dest.join(source)).unwrap();
        let shown: Vec<&String> = blocks
            .iter()
            .filter(|block| block.lang == lang)
            .map(|block| &block.body)
            .collect();
        assert!(shown.len() >= 3, "{lang}: {}", shown.len());
        for block in shown {
            assert!(
                text.contains(block.as_str()),
                "{template}: {source} lacks\n{block}\n--- it is\n{text}"
            );
        }
    }
}

/// Bad names, folders that are no project, and sources of an unexpected shape are refused, and
/// nothing is written.
#[test]
fn add_refuses_what_it_cannot_do_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let run = |args: &[&str], project: &Path| {
        let mut args = args.to_vec();
        args.extend(["--project", project.to_str().unwrap()]);
        sandbox.fails(&args)
    };
    let stderr = run(&["add", "tool", "word"], &sandbox.base);
    assert!(stderr.contains("not a generated MCP project"), "{stderr}");

    let project = sandbox.base.join("handmade");
    std::fs::create_dir_all(project.join("src/handmade")).unwrap();
    std::fs::write(
        project.join("pyproject.toml"),
        "[project]\nname = \"handmade\"\n",
    )
    .unwrap();
    let server = "from mcp.server.mcpserver import MCPServer\n\nmcp = MCPServer(\"handmade\")\n";
    std::fs::write(project.join("src/handmade/server.py"), server).unwrap();
    let stderr = run(&["add", "tool", "3d"], &project);
    assert!(stderr.contains("must start with a letter"), "{stderr}");
    let stderr = run(&["add", "tool", "match"], &project);
    assert!(stderr.contains("keyword"), "{stderr}");
    let stderr = run(&["add", "tool", "word"], &project);
    assert!(
        stderr.contains("server.py") && stderr.contains("by hand"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(project.join("src/handmade/server.py")).unwrap(),
        server
    );
    assert!(!project.join("tests").exists());
}

/// Every file under `dir`: its path, kind, mode and bytes (a symlink: its target).
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, (String, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let meta = entry.path().symlink_metadata().unwrap();
            let kind = format!("{:?} {:o}", meta.file_type(), meta.permissions().mode());
            let bytes = if meta.is_file() {
                std::fs::read(entry.path()).unwrap()
            } else if meta.is_symlink() {
                let target = std::fs::read_link(entry.path()).unwrap();
                target.to_string_lossy().as_bytes().to_vec()
            } else {
                Vec::new()
            };
            (entry.path().to_owned(), (kind, bytes))
        })
        .collect()
}

/// Runs `add <kind> <name>` in `project`, expecting a refusal (exit 2) whose message has each
/// of `needles`, and that nothing changed; returns the message.
fn refused(project: &Project, kind: &str, name: &str, needles: &[&str]) -> String {
    let before = snapshot(&project.dest);
    let output = project.mcp_create(&["add", kind, name]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "add {kind} {name}: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "add {kind} {name}: {stderr}");
    }
    assert!(
        before == snapshot(&project.dest),
        "add {kind} {name} changed files"
    );
    stderr
}

/// Finding 4, through the real binary: names that would break a project of each language are
/// refused, saying why and which name would do, and nothing is written.
#[test]
fn add_refuses_names_that_would_break_the_project() {
    let python = Project::generate("python", "names py");
    for name in ["and", "lambda", "elif", "nonlocal", "assert"] {
        refused(&python, "tool", name, &["Python keyword", "_tool\""]);
    }
    refused(
        &python,
        "prompt",
        "match",
        &["soft keyword", "match_prompt"],
    );
    refused(&python, "tool", "str", &["built-in type"]);
    refused(&python, "tool", "json", &["imported", "import json"]);
    refused(&python, "resource", "mcp", &["already uses"]);

    let rust = Project::generate("rust", "names rs");
    let rust_words = "move unsafe dyn gen box abstract become final macro override priv typeof \
                      unsized virtual yield try";
    for name in rust_words.split_whitespace() {
        refused(&rust, "tool", name, &["keyword", "_tool\""]);
    }

    let typescript = Project::generate("typescript", "names ts");
    refused(&typescript, "tool", "constructor", &["Object.prototype"]);
    refused(&typescript, "prompt", "valueOf", &["Object.prototype"]);
    refused(&typescript, "tool", "class", &["reserved word"]);
}

/// Inserts `block` before the first line of `file` (in `project`) that starts with `before`.
fn insert_before(project: &Project, file: &str, before: &str, block: &str) {
    let path = project.dest.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find(&format!("\n{before}"))
        .unwrap_or_else(|| panic!("{file} has no line starting with {before:?}"));
    let text = format!("{}\n{block}{}", &text[..at], &text[at + 1..]);
    std::fs::write(&path, text).unwrap();
}

/// Finding 4: a tool, resource or prompt named explicitly, on a function of another name, is seen,
/// so `add` refuses its name in each language.
#[test]
fn add_sees_explicitly_named_tools() {
    let python = Project::generate("python", "explicit py");
    let decorated = "@mcp.tool(\n    name=\"weather\",\n)\ndef get_weather(city: str) -> str:\n    \
                     \"\"\"Weather.\"\"\"\n    return city\n\n\n@mcp.prompt(name='poem')\ndef \
                     write_poem(text: str) -> str:\n    \"\"\"Poem.\"\"\"\n    return text\n\n\n";
    insert_before(
        &python,
        "src/explicit_py/server.py",
        "@mcp.tool()",
        decorated,
    );
    refused(
        &python,
        "tool",
        "weather",
        &["a tool named \"weather\" already exists"],
    );
    refused(
        &python,
        "prompt",
        "poem",
        &["a prompt named \"poem\" already exists"],
    );
    let positional = "@mcp.tool(\"rain\")\ndef get_rain(city: str) -> str:\n    \"\"\"Rain.\"\"\"\n    \
                      return city\n\n\n";
    insert_before(
        &python,
        "src/explicit_py/server.py",
        "@mcp.tool()",
        positional,
    );
    refused(
        &python,
        "tool",
        "rain",
        &["a tool named \"rain\" already exists"],
    );

    let rust = Project::generate("rust", "explicit rs");
    let item = "/// Weather.\n#[tool(read_only, name = \"weather\")]\npub async fn get_weather(city: \
                String) -> String {\n    city\n}\n\n";
    insert_before(&rust, "src/lib.rs", "/// Add two integers", item);
    insert_before(
        &rust,
        "src/lib.rs",
        "        .tool(echo)",
        "        .tool(get_weather)\n",
    );
    refused(
        &rust,
        "tool",
        "weather",
        &["a tool named \"weather\" already exists"],
    );

    let typescript = Project::generate("typescript", "explicit ts");
    let call = "  server.registerTool(\"weather\", { description: 'Weather.' }, async () => ({ \
                content: [] }));\n\n";
    insert_before(&typescript, "src/server.ts", "  server.registerTool(", call);
    refused(
        &typescript,
        "tool",
        "weather",
        &["a tool named \"weather\" already exists"],
    );
}

/// Finding 5: an `add` that cannot write its test file (a file where the `tests` folder must be:
/// this fails for root too) changes nothing, and the same command works once the cause is fixed.
#[test]
fn a_failed_add_changes_nothing_and_the_retry_works() {
    for (template, name, test_file) in [
        ("python", "retry py", "tests/test_forecast.py"),
        ("rust", "retry rs", "tests/forecast.rs"),
    ] {
        let project = Project::generate(template, name);
        let tests = project.dest.join("tests");
        let aside = project.dest.join("tests.aside");
        std::fs::rename(&tests, &aside).unwrap();
        std::fs::write(&tests, "not a folder").unwrap();
        let before = snapshot(&project.dest);
        let output = project.mcp_create(&["add", "tool", "forecast"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{template}: {stderr}");
        assert!(
            stderr.contains("nothing was changed") && stderr.contains("not a folder"),
            "{template}: {stderr}"
        );
        assert!(
            before == snapshot(&project.dest),
            "{template}: files changed"
        );

        std::fs::remove_file(&tests).unwrap();
        std::fs::rename(&aside, &tests).unwrap();
        let output = project.mcp_create(&["add", "tool", "forecast"]);
        assert!(
            output.status.success(),
            "{template}: the retry failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(project.dest.join(test_file).is_file(), "{template}");
    }
}
