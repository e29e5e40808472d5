//! `mcp-create add tool|resource|prompt` on fresh projects of each template: the project's own
//! tests pass (with a new test for each), and the built server answers a real client reaching them.
//! Each template is generated, installed and tested once; python3, node, npm and cargo are
//! required (a missing one fails the test, saying so).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mcp_create::connect::{Connection, Endpoint, Launch, Protocol, block_on};
use mcp_create::{NewArgs, Plan, Templates, generate};
use rmcp::model::{CallToolRequestParams, GetPromptRequestParams, ReadResourceRequestParams};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A project generated from `template` into a temporary folder outside the checkout.
struct Project {
    _dir: TempDir,
    dest: PathBuf,
    key: String,
    install: String,
    test: String,
    /// The registered launcher and its arguments.
    command: (PathBuf, Vec<String>),
}

fn generate_project(template: &str, name: &str) -> Project {
    let dir = tempfile::Builder::new()
        .prefix("mcp-create-add-")
        .tempdir()
        .unwrap();
    let root = dir.path().canonicalize().unwrap();
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    assert!(
        !root.starts_with(checkout),
        "set TMPDIR outside the checkout"
    );
    let templates = Templates::embedded().unwrap();
    let config = root.join("servers.json");
    let args = NewArgs {
        template: template.into(),
        path: Some(root),
        ..NewArgs::new(name)
    };
    let plan = Plan::new(&args, &templates, Some(&config)).unwrap();
    let generated = generate(&plan).unwrap();
    let registry: Value = serde_json::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    let entry = &registry[&plan.names.project_name];
    let program = PathBuf::from(entry["command"].as_str().unwrap());
    let args = entry["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned());
    Project {
        dest: generated.dest,
        key: plan.names.project_name.clone(),
        install: plan.commands.install.clone(),
        test: plan.commands.test.clone(),
        command: (program, args.collect()),
        _dir: dir,
    }
}

/// HOME, XDG_CONFIG_HOME, APPDATA, CODEX_HOME and MCP_SERVERS_CONFIG inside `root`: `mcp-create`
/// never sees the real home.
fn sandbox_env(root: &Path) -> Vec<(&'static str, OsString)> {
    let vars = ["HOME", "XDG_CONFIG_HOME", "APPDATA", "CODEX_HOME"];
    let mut env: Vec<_> = vars.map(|var| (var, root.as_os_str().to_owned())).into();
    env.push(("MCP_SERVERS_CONFIG", root.join("servers.json").into()));
    env
}

/// Runs `mcp-create add <args> --project <dest>`.
fn add(project: &Project, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mcp-create"))
        .args(args)
        .arg("--project")
        .arg(&project.dest)
        .envs(sandbox_env(project._dir.path()))
        .output()
        .unwrap()
}

/// Runs `command` with `sh -c` in the project, failing with its output.
fn sh(project: &Project, command: &str, envs: &[(&str, OsString)]) {
    let started = Instant::now();
    let output = Command::new("sh")
        .args(["-c", command])
        .current_dir(&project.dest)
        .envs(envs.iter().map(|(k, v)| (*k, v)))
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    assert!(
        output.status.success(),
        "`{command}` failed in {}:\n{}\n{}",
        project.dest.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("`{command}` took {:.1?}", started.elapsed());
}

fn require(program: &str) {
    let ran = Command::new(program).arg("--version").output();
    assert!(
        ran.is_ok_and(|o| o.status.success()),
        "`{program}` is required by this test: install it"
    );
}

/// Adds a tool (twice: the second is refused), a resource and a prompt, runs the project's
/// install and test commands, then starts the server and reaches each through a real client.
fn add_all_then_test_and_call(project: &Project, envs: &[(&str, OsString)], program: PathBuf) {
    for (kind, name, snake) in [
        ("tool", "Word Count", "word_count"),
        ("resource", "word_list", "word_list"),
        ("prompt", "Word Story", "word_story"),
    ] {
        let added = add(project, &["add", kind, name]);
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
    let again = add(project, &["add", "tool", "word_count"]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a tool named \"word_count\" already exists"),
        "{stderr}"
    );
    let clash = add(project, &["add", "prompt", "word_list"]);
    assert_eq!(
        clash.status.code(),
        Some(2),
        "a prompt cannot reuse the resource's function name"
    );

    sh(project, &project.install, envs);
    sh(project, &project.test, envs);

    let launch = Launch {
        program,
        args: project.command.1.clone(),
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

#[test]
fn add_to_a_python_project() {
    require("python3");
    let project = generate_project("python", "Add Python Tools");
    let program = project.command.0.clone();
    add_all_then_test_and_call(&project, &[], program);
}

#[test]
fn add_to_a_typescript_project() {
    require("node");
    require("npm");
    let project = generate_project("typescript", "Add TypeScript Tools");
    let program = project.command.0.clone();
    add_all_then_test_and_call(&project, &[], program);
}

#[test]
fn add_to_a_rust_project() {
    require("cargo");
    let project = generate_project("rust", "Add Rust Tools");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_owned();
    let cargo_dir = std::env::var_os("CARGO").map(PathBuf::from);
    let mut path: Vec<PathBuf> = cargo_dir
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_owned)
        .into_iter()
        .collect();
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let envs = [
        ("CARGO_TARGET_DIR", OsString::from(&target)),
        ("PATH", std::env::join_paths(path).unwrap()),
        // One unoptimised release build of the dependencies for every test that builds a
        // generated project (see `RELEASE_OPT_LEVEL` in tests/support/lib.rs).
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", OsString::from("0")),
    ];
    let program = target.join("release").join(&project.key);
    add_all_then_test_and_call(&project, &envs, program);
}

/// docs/add.md: its ```sh block runs in a fresh project of each template, and every code block
/// in that language then appears, as is, in the project's server source.
#[test]
fn docs_add_md_is_what_the_code_does() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/add.md"))
        .unwrap();
    let blocks = fenced_blocks(&doc);
    let commands: Vec<&str> = blocks
        .iter()
        .filter(|(lang, _)| lang == "sh")
        .flat_map(|(_, body)| body.lines())
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    for (template, lang, source) in [
        ("rust", "rust", "src/lib.rs"),
        ("python", "python", "src/weather/server.py"),
        ("typescript", "ts", "src/server.ts"),
    ] {
        let project = generate_project(template, "weather");
        for command in &commands {
            let binary = env!("CARGO_BIN_EXE_mcp-create");
            let line = command.replacen("mcp-create", &format!("'{binary}'"), 1);
            sh(&project, &line, &sandbox_env(project._dir.path()));
        }
        let text = std::fs::read_to_string(project.dest.join(source)).unwrap();
        let shown: Vec<&String> = blocks
            .iter()
            .filter(|(l, _)| l == lang)
            .map(|(_, b)| b)
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

/// The fenced blocks of `markdown`: language and body.
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.split_inclusive('\n') {
        match (line.trim_end().strip_prefix("```"), open.as_mut()) {
            (Some(lang), None) => open = Some((lang.trim().to_owned(), String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (None, Some((_, body))) => body.push_str(line),
            (None, None) => {}
        }
    }
    blocks
}

/// Bad names, folders that are no project, and sources of an unexpected shape are refused, and
/// nothing is written.
#[test]
fn add_refuses_what_it_cannot_do_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], project: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_mcp-create"))
            .args(args)
            .arg("--project")
            .arg(project)
            .envs(sandbox_env(dir.path()))
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?} succeeded");
        String::from_utf8(output.stderr).unwrap()
    };
    let stderr = run(&["add", "tool", "word"], dir.path());
    assert!(stderr.contains("not a generated MCP project"), "{stderr}");

    let project = dir.path().join("handmade");
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
