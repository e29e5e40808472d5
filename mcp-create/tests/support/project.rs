//! The template tests' projects: generate a project through the mcp-create library into
//! a temporary folder outside the checkout, run the commands its README gives, and talk to the
//! server it builds over stdio (rmcp's client) and HTTP (`GET /health`).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mcp_create::{NewArgs, Plan, Templates, generate};
use rmcp::{
    ServiceExt,
    model::CallToolRequestParams,
    transport::{ConfigureCommandExt, TokioChildProcess},
};
use serde_json::{Map, Value, json};
use tempfile::TempDir;

use super::Sandbox;
use super::common::block_on;

pub use super::common::{
    RELEASE_OPT_LEVEL, cargo_envs, checkout, free_port, path_with, path_with_cargo, require,
    shared_target_dir,
};

/// The names acceptance point 2 asks every template to render for.
pub const ACCEPTANCE_NAMES: [&str; 3] = ["weather", "Weather API", "my_server2"];

/// How long a server may take to answer its first request.
const STARTUP: Duration = Duration::from_secs(60);

/// A temporary folder outside the checkout (the system's temp folder), canonical.
pub fn temp_dir() -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("mcp-create-e2e-")
        .tempdir()
        .expect("a temporary folder");
    let path = dir.path().canonicalize().unwrap();
    assert!(
        !path.starts_with(checkout()),
        "the temporary folder {} is inside the checkout; set TMPDIR elsewhere",
        path.display()
    );
    dir
}

/// A project generated from a real template into its own sandbox (the project folder under
/// `sandbox.base`, registered in `sandbox.config` on a free port), as `mcp-create new` would.
pub struct Project {
    /// The sandbox: registry, runtime directory and home of the `mcp-create` runs on the project.
    pub sandbox: Sandbox,
    /// The project folder.
    pub dest: PathBuf,
    /// The registry key: the project name in kebab case.
    pub key: String,
    /// The port it is registered on.
    pub port: u16,
    /// The template's commands, rendered.
    pub install: String,
    pub test: String,
    pub run: String,
}

impl Project {
    /// Generates `name` from `template` through the library into a new sandbox.
    pub fn generate(template: &str, name: &str) -> Project {
        let started = Instant::now();
        let sandbox = Sandbox::new();
        let templates = Templates::embedded().expect("the embedded templates load");
        let port = free_port();
        let args = NewArgs {
            template: template.to_owned(),
            path: Some(sandbox.base.clone()),
            port: Some(port),
            ..NewArgs::new(name)
        };
        let plan = Plan::new(&args, &templates, Some(&sandbox.config))
            .unwrap_or_else(|e| panic!("plan {template} {name:?}: {e}"));
        let generated =
            generate(&plan).unwrap_or_else(|e| panic!("generate {template} {name:?}: {e}"));
        assert!(
            generated.registered.is_some(),
            "the project is registered in {}",
            sandbox.config.display()
        );
        let project = Project {
            dest: generated.dest,
            key: plan.names.project_name.clone(),
            port,
            install: plan.commands.install.clone(),
            test: plan.commands.test.clone(),
            run: plan.commands.run.clone(),
            sandbox,
        };
        eprintln!(
            "[{template}] generated {} in {:.2?}",
            project.dest.display(),
            started.elapsed()
        );
        project
    }

    /// The project's README.md.
    pub fn readme(&self) -> String {
        std::fs::read_to_string(self.dest.join("README.md")).expect("the project has a README.md")
    }

    /// Asserts that the README gives the manifest's install and test commands.
    pub fn assert_readme_gives_commands(&self) {
        let readme = self.readme();
        for (what, command) in [("install", &self.install), ("test", &self.test)] {
            assert!(
                readme.contains(command.as_str()),
                "README.md does not give the {what} command `{command}`:\n{readme}"
            );
        }
    }

    /// Follows the README: checks that it gives the install and test commands, then runs both
    /// (`envs` added).
    pub fn install_and_test(&self, envs: &[(&str, OsString)]) {
        self.assert_readme_gives_commands();
        self.sh(&self.install, envs);
        self.sh(&self.test, envs);
    }

    /// Runs `mcp-create <args> --project <dest>` (e.g. `add tool NAME`) in the project's sandbox.
    pub fn mcp_create(&self, args: &[&str]) -> std::process::Output {
        self.sandbox
            .command(args)
            .arg("--project")
            .arg(&self.dest)
            .output()
            .unwrap()
    }

    /// Starts `command args` in the project and talks to it over stdio, then over HTTP.
    pub fn check_serves(&self, command: &Path, args: &[String]) {
        check_stdio(command, args, &self.dest);
        check_http_health(command, args, &self.dest, &self.key);
    }

    /// The project's entry in the temporary registry.
    pub fn registry_entry(&self) -> Map<String, Value> {
        let text = std::fs::read_to_string(&self.sandbox.config).expect("the registry was written");
        let registry: Value = serde_json::from_str(&text).expect("the registry is JSON");
        registry[&self.key]
            .as_object()
            .unwrap_or_else(|| panic!("no entry {:?} in {text}", self.key))
            .clone()
    }

    /// The registered command line, split as the other mcp-create commands split it: how they
    /// start the server.
    pub fn registered_command(&self) -> (PathBuf, Vec<String>) {
        let entry = Value::Object(self.registry_entry());
        let server = mcp_create::registry::Server::parse(&self.sandbox.config, &self.key, &entry)
            .unwrap_or_else(|e| panic!("{e}"));
        let words = server.command_line().unwrap_or_else(|e| panic!("{e}"));
        (PathBuf::from(&words[0]), words[1..].to_vec())
    }

    /// The environment of `mcp-create dev` on this project: its sandbox's registry and runtime
    /// folder (not its HOME: cargo, npm and pip keep their caches there), and `envs`.
    pub fn dev_envs(&self, envs: &[(&'static str, OsString)]) -> Vec<(&'static str, OsString)> {
        let mut all = vec![
            ("MCP_SERVERS_CONFIG", self.sandbox.config.clone().into()),
            ("MCP_RUNTIME_DIR", self.sandbox.runtime.clone().into()),
        ];
        all.extend(envs.iter().cloned());
        all
    }

    /// Runs `command` with `sh -c` in the project folder, as a user following the README would;
    /// fails the test with the command's output unless it succeeds.
    pub fn sh(&self, command: &str, envs: &[(&str, OsString)]) -> String {
        sh(&self.dest, command, envs)
    }
}

/// Runs `command` with `sh -c` in `dir`; fails the test with its output unless it succeeds.
/// Returns its stdout and stderr.
pub fn sh(dir: &Path, command: &str, envs: &[(&str, OsString)]) -> String {
    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot start `sh -c {command:?}`: {e}"));
    let log = format!(
        "--- stdout\n{}\n--- stderr\n{}",
        tail(&output.stdout),
        tail(&output.stderr)
    );
    assert!(
        output.status.success(),
        "`{command}` failed in {} ({}):\n{log}",
        dir.display(),
        output.status
    );
    eprintln!("`{command}` passed in {:.1?}", started.elapsed());
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The last 150 lines of a command's output.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(150)..].join("\n")
}

/// Starts `command args` over stdio with rmcp's client, lists its tools and calls `add(2, 3)`.
pub fn check_stdio(command: &Path, args: &[String], cwd: &Path) {
    let started = Instant::now();
    let log = ServerLog::new("stdio");
    let stderr = log.stdio();
    block_on(async {
        let child = tokio::process::Command::new(command).configure(|cmd| {
            cmd.args(args).current_dir(cwd).stderr(stderr);
        });
        let transport = TokioChildProcess::new(child)
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", command.display()));
        let client = tokio::time::timeout(STARTUP, ().serve(transport))
            .await
            .expect("the server answers initialize in time")
            .expect("the MCP handshake over stdio completes");

        let tools = client.list_all_tools().await.expect("tools/list");
        let mut names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
        names.sort_unstable();
        assert_eq!(names, ["add", "echo"], "the contract's tools");

        let arguments = json!({"a": 2, "b": 3}).as_object().cloned().unwrap();
        let call = CallToolRequestParams::new("add").with_arguments(arguments);
        let result = client.call_tool(call).await.expect("tools/call add");
        assert_ne!(result.is_error, Some(true), "{result:?}");
        let text = result.content[0]
            .as_text()
            .map(|t| t.text.as_str())
            .expect("add answers with text");
        assert_eq!(text, "5");
        assert_eq!(result.structured_content, Some(json!({"result": 5})));
        client.cancel().await.expect("the client closes");
    });
    eprintln!(
        "stdio: listed tools and called add(2, 3) in {:.2?}",
        started.elapsed()
    );
}

/// The server's stderr, kept in a file and shown if the test fails.
struct ServerLog {
    what: &'static str,
    file: tempfile::NamedTempFile,
}

impl ServerLog {
    fn new(what: &'static str) -> ServerLog {
        let file = tempfile::NamedTempFile::new().expect("a log file");
        ServerLog { what, file }
    }

    fn stdio(&self) -> Stdio {
        Stdio::from(self.file.reopen().expect("the log file reopens"))
    }
}

impl Drop for ServerLog {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.file.path()).unwrap_or_default();
            eprintln!(
                "--- the server's stderr ({})\n{}",
                self.what,
                tail(log.as_bytes())
            );
        }
    }
}

/// A child process killed (and reaped) when dropped, so a failing test leaves no server behind.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command args --transport http --port N` on a free port, polls `GET /health` until it
/// answers (or the deadline passes, or the server exits), checks the answer, and stops the server.
pub fn check_http_health(command: &Path, args: &[String], cwd: &Path, name: &str) {
    let started = Instant::now();
    let port = free_port();
    let log = ServerLog::new("http");
    let child = Command::new(command)
        .args(args)
        .args(["--transport", "http", "--port", &port.to_string()])
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log.stdio())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", command.display()));
    let mut server = KillOnDrop(child);
    let deadline = Instant::now() + STARTUP;
    let (status, body) = loop {
        if let Some(exit) = server.0.try_wait().unwrap() {
            panic!("the server exited ({exit}) before answering GET /health on port {port}");
        }
        match http_get(port, "/health") {
            Ok(answer) => break answer,
            Err(error) if Instant::now() > deadline => {
                panic!("GET /health on port {port} did not answer within {STARTUP:?}: {error}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    assert_eq!(status, 200, "GET /health: {body}");
    let health: Value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("GET /health is not JSON ({e}): {body}"));
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["name"], name, "{health}");
    assert!(health["uptime_seconds"].is_number(), "{health}");
    drop(server);
    eprintln!(
        "http: GET /health answered 200 in {:.2?}: {health}",
        started.elapsed()
    );
}

/// `GET path` on 127.0.0.1:port over HTTP/1.0 (no chunked encoding to decode): status and body.
pub fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response);
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, response.to_string());
    let (head, body) = response.split_once("\r\n\r\n").ok_or_else(bad)?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(bad)?;
    Ok((status, body.to_owned()))
}

/// Every file under `root` (paths relative to it), recursively, without following links.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else {
                files.push(entry.path().strip_prefix(root).unwrap().to_owned());
            }
        }
    }
    files.sort();
    files
}
