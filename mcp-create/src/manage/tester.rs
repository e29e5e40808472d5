//! `test`: a protocol tester for any MCP server, over stdio or HTTP. One PASS/FAIL line per check,
//! an optional JSON report, and exit code 1 when any check fails.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{Value, json};

use super::checks::check_target;
use super::suite::Suite;
use super::{Context, ManageError, lifecycle};
use crate::connect::{Endpoint, Environment, Launch, ProbeError, block_on, check_stdio};
use crate::registry::Server;
use crate::transport::Transport;

/// Arguments of `test`.
#[derive(Debug, Clone, Args)]
pub struct TestArgs {
    /// A registered server, or `all`
    #[arg(required_unless_present_any = ["cmd", "url"], conflicts_with_all = ["cmd", "url"])]
    #[arg(add = clap_complete::engine::ArgValueCandidates::new(super::command::servers_or_all))]
    pub name: Option<String>,
    /// A command that serves MCP over stdio, e.g. "python3 server.py"
    #[arg(long, value_name = "COMMAND", conflicts_with = "url")]
    pub cmd: Option<String>,
    /// A streamable HTTP endpoint, e.g. http://127.0.0.1:8000/mcp (/health is read beside it)
    #[arg(long)]
    pub url: Option<String>,
    /// Write the results as JSON to this file
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// Test cases (TOML or JSON): name, type tool|http, tool, args, expected, endpoint, method,
    /// expected_status
    #[arg(long, value_name = "FILE")]
    pub suite: Option<PathBuf>,
    /// Start the registered server over HTTP first if it is not running (stopped again after)
    #[arg(long, requires = "name")]
    pub start: bool,
    /// Seconds to wait for each answer
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,
}

/// One way to reach the server under test.
#[derive(Clone, Debug)]
pub enum Target {
    Stdio(Launch),
    Http(String),
}

impl Target {
    pub fn label(&self) -> &'static str {
        match self {
            Target::Stdio(_) => "stdio",
            Target::Http(_) => "http",
        }
    }

    pub fn endpoint(&self) -> Endpoint {
        match self {
            Target::Stdio(launch) => Endpoint::Stdio(launch.clone()),
            Target::Http(url) => Endpoint::Http {
                url: url.clone(),
                token: None,
            },
        }
    }
}

/// The checks so far, printed as they come.
pub struct Recorder<'c, 'o> {
    ctx: &'c mut Context<'o>,
    checks: Vec<Value>,
    server: String,
    transport: &'static str,
    /// "weather (stdio): 4 checks done", on a terminal's stderr.
    progress: crate::output::Progress,
}

impl Recorder<'_, '_> {
    /// Prints `line` with the progress line out of its way.
    fn say(&mut self, line: String) {
        self.progress.suspend(|| self.ctx.say(line));
    }

    pub fn record(&mut self, check: &str, started: Instant, result: Result<String, String>) {
        let ms = started.elapsed().as_millis();
        let (ok, detail) = match result {
            Ok(detail) => (true, detail),
            Err(detail) => (false, detail),
        };
        let mark = if ok { "PASS" } else { "FAIL" };
        let note = if detail.is_empty() {
            String::new()
        } else {
            format!(": {detail}")
        };
        self.say(format!("{mark}  {:5}  {check}{note}", self.transport));
        self.progress.set(format!(
            "testing {} ({}): {} checks done",
            self.server,
            self.transport,
            self.checks.len() + 1
        ));
        self.checks.push(json!({
            "server": self.server, "transport": self.transport, "check": check,
            "ok": ok, "detail": detail, "ms": ms,
        }));
    }
}

/// What to say about a server before its checks: `Ok` to skip it, `Err` for a failed check.
type Note = Option<Result<String, String>>;

/// Runs the checks on every target and reports.
pub fn run(ctx: &mut Context<'_>, args: &TestArgs) -> Result<(), ManageError> {
    let suite = args
        .suite
        .as_deref()
        .map(Suite::read)
        .transpose()?
        .unwrap_or_default();
    let timeout = Duration::from_secs(args.timeout);
    let mut subjects: Vec<(String, Vec<Target>, Note)> = Vec::new();
    let mut to_stop: Vec<Server> = Vec::new();
    if let Some(command) = &args.cmd {
        let mut words = shlex::split(command)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| {
                ManageError::Usage(format!(
                    "--cmd {command:?} is empty or has unbalanced quotes"
                ))
            })?;
        let program = words.remove(0).into();
        subjects.push((
            command.clone(),
            vec![Target::Stdio(Launch {
                program,
                args: words,
                ..Launch::default()
            })],
            None,
        ));
    } else if let Some(url) = &args.url {
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(ManageError::Usage(format!(
                "--url {url:?} is not an http:// URL"
            )));
        }
        subjects.push((url.clone(), vec![Target::Http(mcp_url(url))], None));
    } else if let Some(name) = &args.name {
        for server in ctx.select(name)? {
            if server.is_docker() {
                let skip = "a Docker entry; test the container's endpoint with --url";
                subjects.push((server.key.clone(), Vec::new(), Some(Ok(skip.into()))));
                continue;
            }
            let mut targets = Vec::new();
            if server.transport() == Transport::Stdio {
                targets.push(Target::Stdio(server.launch()?));
            }
            if ctx.runtime.running(&server.key).is_none() && args.start {
                lifecycle::start_one(ctx, &server, Duration::from_secs(60))?;
                to_stop.push(server.clone());
            }
            let mut problem = None;
            match (ctx.runtime.running(&server.key), server.url()) {
                (Some(_), Some(url)) => targets.push(Target::Http(url)),
                _ if targets.is_empty() => {
                    problem = Some(Err(format!(
                        "{} serves HTTP only and is not running; start it, or pass --start",
                        server.key
                    )));
                }
                _ => {}
            }
            subjects.push((server.key.clone(), targets, problem));
        }
    }
    let several = subjects.len() > 1;
    let mut recorder = Recorder {
        ctx,
        checks: Vec::new(),
        server: String::new(),
        transport: "-",
        progress: crate::output::Progress::start(format!(
            "testing {}",
            args.name
                .as_deref()
                .or(args.cmd.as_deref())
                .or(args.url.as_deref())
                .unwrap_or_default()
        )),
    };
    for (subject, targets, problem) in &subjects {
        recorder.server = subject.clone();
        if several {
            recorder.say(format!("== {subject}"));
        }
        match problem {
            Some(Ok(skip)) => recorder.say(format!("SKIP  -      {subject}: {skip}")),
            Some(Err(problem)) => {
                recorder.transport = "-";
                let problem = Err(problem.clone());
                recorder.record("server can be reached", Instant::now(), problem);
            }
            None => {}
        }
        for target in targets {
            recorder.transport = target.label();
            if let Target::Stdio(launch) = target {
                let started = Instant::now();
                let result = match block_on(check_stdio(launch, Environment::Inherited, timeout)) {
                    Ok(checked) => Ok(format!("{} messages", checked.messages)),
                    // The handshake checks below show its stderr.
                    Err(ProbeError::Stdio { fault, .. }) => Err(fault.to_string()),
                    Err(error) => Err(error.to_string()),
                };
                recorder.record("stdout carries only JSON-RPC", started, result);
            }
            let http_base = match target {
                Target::Http(url) => Some(base_of(url)),
                Target::Stdio(_) => None,
            };
            // `http` cases run on the HTTP target; on stdio only when there is none (and fail).
            let http_cases =
                http_base.is_some() || !targets.iter().any(|t| matches!(t, Target::Http(_)));
            block_on(check_target(
                &mut recorder,
                target,
                http_base.as_deref(),
                &suite,
                http_cases,
                timeout,
            ));
        }
    }
    let checks = std::mem::take(&mut recorder.checks);
    drop(recorder);
    for server in &to_stop {
        lifecycle::stop_one(ctx, server, Duration::from_secs(10))?;
    }
    let failed = checks.iter().filter(|c| c["ok"] == json!(false)).count();
    let total = checks.len();
    ctx.say(format!("{} passed, {failed} failed", total - failed));
    let report = json!({
        "target": args.name.clone().or(args.cmd.clone()).or(args.url.clone()),
        "passed": total - failed, "failed": failed, "checks": checks,
    });
    if crate::output::json() {
        ctx.print_json("test", report.clone());
    }
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report).expect("JSON values serialize") + "\n";
        std::fs::write(path, text).map_err(|e| ManageError::io("write the report", path, e))?;
        ctx.say(format!("report: {}", path.display()));
    }
    match failed {
        0 => Ok(()),
        _ => Err(ManageError::TestsFailed {
            failed,
            total,
            report: args.report.clone(),
        }),
    }
}

/// `url` with `/mcp` when it has no path.
fn mcp_url(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.trim_end_matches('/').contains('/') {
        true => url.to_owned(),
        false => format!("{}/mcp", url.trim_end_matches('/')),
    }
}

/// `scheme://host:port` of `url`.
fn base_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_their_mcp_path_and_base() {
        assert_eq!(
            mcp_url("http://127.0.0.1:8000"),
            "http://127.0.0.1:8000/mcp"
        );
        assert_eq!(
            mcp_url("http://127.0.0.1:8000/other"),
            "http://127.0.0.1:8000/other"
        );
        assert_eq!(
            base_of("http://127.0.0.1:8000/mcp"),
            "http://127.0.0.1:8000"
        );
    }
}
