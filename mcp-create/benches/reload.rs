//! Edit-to-available time of `mcp-create dev`, per template: an rmcp client connects through
//! `mcp-create dev NAME` to a freshly generated project, then, ROUNDS times, `mcp-create add tool
//! pingN` saves a new tool and the clock runs until the client has received
//! `notifications/tools/list_changed` and its first call of `pingN` has been answered.
//!
//! `cargo bench -p mcp-create --bench reload [-- TEMPLATE...]` (default: rust python typescript).
//! Each project is prepared once the way its README says (`cargo build --release`, a venv and
//! `pip install -e .`, `npm install` and `npm run build`) before the clock starts. Rust builds go
//! to this workspace's `target/`, as in the tests, with the `release` profile a user gets unless
//! `CARGO_PROFILE_RELEASE_OPT_LEVEL` says otherwise (the tests set it to 0).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rmcp::model::CallToolRequestParams;
use rmcp::service::{NotificationContext, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use tokio::sync::Notify;

const ROUNDS: usize = 5;
const MCP_CREATE: &str = env!("CARGO_BIN_EXE_mcp-create");

/// Wakes the bench when the front says the tool list changed.
#[derive(Clone, Default)]
struct Heard(Arc<Notify>);

impl ClientHandler for Heard {
    async fn on_tool_list_changed(&self, _: NotificationContext<RoleClient>) {
        self.0.notify_one();
    }
}

/// The scratch folder and the environment every command of the bench runs with.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn command(&self, program: &str, args: &[&str], cwd: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(cwd)
            .env("MCP_SERVERS_CONFIG", self.dir.path().join("servers.json"))
            .env("MCP_RUNTIME_DIR", self.dir.path().join("runtime"))
            .env("CARGO_TARGET_DIR", target_dir());
        command
    }

    fn run(&self, program: &str, args: &[&str], cwd: &Path) {
        let output = self.command(program, args, cwd).output().unwrap();
        assert!(
            output.status.success(),
            "{program} {args:?} in {} failed:\n{}{}",
            cwd.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
}

/// Generates `bench-TEMPLATE` and prepares it as its README says; returns its folder and name.
fn prepare(scratch: &Scratch, template: &str) -> (PathBuf, String) {
    let name = format!("bench-{template}");
    let base = scratch.dir.path();
    scratch.run(
        MCP_CREATE,
        &[
            &name,
            "--template",
            template,
            "--path",
            base.to_str().unwrap(),
        ],
        base,
    );
    let dir = base.join(&name);
    match template {
        "rust" => scratch.run("cargo", &["build", "--release", "--quiet"], &dir),
        "python" => {
            scratch.run("python3", &["-m", "venv", ".venv"], &dir);
            scratch.run(".venv/bin/pip", &["install", "-q", "-e", "."], &dir);
        }
        _ => {
            scratch.run("npm", &["install", "--silent"], &dir);
            scratch.run("npm", &["run", "build", "--silent"], &dir);
        }
    }
    (dir, name)
}

/// Times for each round: (edit to list_changed, edit to the new tool's first answer).
async fn measure(scratch: &Scratch, dir: &Path, name: &str) -> Vec<(Duration, Duration)> {
    let command = scratch.command(MCP_CREATE, &["dev", name], dir);
    let transport = TokioChildProcess::new(tokio::process::Command::from(command)).unwrap();
    let heard = Heard::default();
    let client: RunningService<RoleClient, Heard> = heard.clone().serve(transport).await.unwrap();
    let mut times = Vec::new();
    for round in 0..ROUNDS {
        let tool = format!("ping{round}");
        let saved = Instant::now();
        scratch.run(MCP_CREATE, &["add", "tool", &tool, "-q"], dir);
        tokio::time::timeout(Duration::from_secs(600), heard.0.notified())
            .await
            .unwrap_or_else(|_| panic!("{name}: no tools/list_changed after adding {tool}"));
        let changed = saved.elapsed();
        let arguments = serde_json::json!({"text": "hi"});
        let result = client
            .call_tool(
                CallToolRequestParams::new(tool.clone())
                    .with_arguments(arguments.as_object().unwrap().clone()),
            )
            .await
            .unwrap_or_else(|e| panic!("{name}: calling {tool}: {e}"));
        assert_ne!(result.is_error, Some(true), "{name}: {tool}: {result:?}");
        times.push((changed, saved.elapsed()));
    }
    client.cancel().await.unwrap();
    times
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Median, min and max in ms.
fn stats(mut values: Vec<Duration>) -> (f64, f64, f64) {
    values.sort();
    (
        ms(values[values.len() / 2]),
        ms(values[0]),
        ms(values[values.len() - 1]),
    )
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let templates = match args.is_empty() {
        true => vec!["rust".to_owned(), "python".into(), "typescript".into()],
        false => args,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    println!("{ROUNDS} reloads per template (`mcp-create add tool pingN` while connected); ms");
    println!(
        "| template | edit to list_changed: median | min | max | edit to first answer: median | min | max |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for template in &templates {
        let scratch = Scratch {
            dir: tempfile::tempdir().unwrap(),
        };
        let (dir, name) = prepare(&scratch, template);
        let times = runtime.block_on(measure(&scratch, &dir, &name));
        let (c, c_min, c_max) = stats(times.iter().map(|t| t.0).collect());
        let (a, a_min, a_max) = stats(times.iter().map(|t| t.1).collect());
        println!(
            "| {template} | {c:.0} | {c_min:.0} | {c_max:.0} | {a:.0} | {a_min:.0} | {a_max:.0} |"
        );
    }
}
