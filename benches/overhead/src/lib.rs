//! The overhead of mcp-sdk over hand-written rmcp: the same `add` and `echo` tools, served over an
//! in-process duplex pipe and over stdio, called by the same rmcp client.
//!
//! Per transport and tool, `rounds` rounds each connect one client to a fresh server of each
//! implementation (new processes over stdio) and warm both up. Then `calls` sequential calls per
//! implementation, alternating call by call, give the latencies; then `calls` calls with `in_flight`
//! outstanding, in five chunks alternating between the implementations, give the calls/s (the order
//! flips every round). Alternating this finely makes the ratios stable on a shared, noisy machine.

use std::{
    fmt,
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::{Context as _, ensure};
use futures::{StreamExt, stream};
use rmcp::{
    RoleClient, ServerHandler, ServiceExt,
    model::{CallToolRequestParams, CallToolResult},
    service::RunningService,
    transport::{ConfigureCommandExt, TokioChildProcess},
};
use serde_json::{Value, json};

pub mod hand;
pub mod sdk;

/// How the client reaches the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// `tokio::io::duplex` inside this process.
    Duplex,
    /// The server binary as a child process, over its stdin/stdout.
    Stdio,
}

/// Who wrote the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implementation {
    /// `#[tool]` functions and `Server::new()` (`src/sdk.rs`, binary `sdk_server`).
    Sdk,
    /// rmcp's `#[tool_router]` / `#[tool_handler]` (`src/hand.rs`, binary `rmcp_server`).
    Rmcp,
}

/// The tool being called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// `add(a: 40, b: 2)`, a structured result.
    Add,
    /// `echo(message)`, a text result.
    Echo,
}

/// What to measure.
#[derive(Clone, Debug)]
pub struct Config {
    /// The transports to measure, in order.
    pub transports: Vec<Transport>,
    /// Calls per round, sequential and concurrent each.
    pub calls: usize,
    /// Rounds, each with fresh connections.
    pub rounds: usize,
    /// Unmeasured calls per connection before measuring.
    pub warmup: usize,
    /// Calls outstanding in the throughput part.
    pub in_flight: usize,
}

impl Config {
    /// The default run: about 30 s on two cores.
    pub fn full() -> Self {
        Self {
            transports: vec![Transport::Duplex, Transport::Stdio],
            calls: 1_000,
            rounds: 30,
            warmup: 200,
            in_flight: 16,
        }
    }

    /// A smoke run of a second or two.
    pub fn quick() -> Self {
        Self {
            calls: 200,
            rounds: 2,
            warmup: 20,
            ..Self::full()
        }
    }
}

/// The figures of one implementation.
#[derive(Clone, Copy, Debug)]
pub struct Measurement {
    /// Median over the rounds of the calls/s with `in_flight` calls outstanding.
    pub calls_per_sec: f64,
    /// Median latency of the sequential calls, over all rounds.
    pub p50: Duration,
    /// 99th percentile latency of the sequential calls.
    pub p99: Duration,
}

/// Both implementations on one transport and tool.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The transport.
    pub transport: Transport,
    /// The tool.
    pub tool: Tool,
    /// mcp-sdk.
    pub sdk: Measurement,
    /// Hand-written rmcp.
    pub rmcp: Measurement,
    /// mcp-sdk's calls/s over rmcp's, the median of the rounds' ratios (a round measures both back
    /// to back, so a busy moment of the machine hits both): below 1 is slower.
    pub throughput_ratio: f64,
    /// mcp-sdk's p50 latency over rmcp's, the median of the rounds' ratios: above 1 is slower.
    pub p50_ratio: f64,
}

type Client = RunningService<RoleClient, ()>;

/// Runs the benchmark; `Stdio` needs the `sdk_server` and `rmcp_server` binaries next to the
/// current executable.
pub async fn run(config: &Config) -> anyhow::Result<Vec<Row>> {
    ensure!(
        config.calls > 0 && config.rounds > 0 && config.in_flight > 0,
        "calls, rounds and in-flight must be positive"
    );
    let mut rows = Vec::new();
    for &transport in &config.transports {
        for tool in [Tool::Add, Tool::Echo] {
            rows.push(measure_pair(config, transport, tool).await?);
        }
    }
    Ok(rows)
}

/// Every round connects afresh (new server processes over stdio), so that neither implementation
/// keeps a lucky or unlucky process for the whole run. Index 0 is mcp-sdk, 1 is rmcp.
async fn measure_pair(config: &Config, transport: Transport, tool: Tool) -> anyhow::Result<Row> {
    let request = request(tool);
    let mut latencies = [Vec::new(), Vec::new()];
    let mut throughputs = [Vec::new(), Vec::new()];
    let (mut p50_ratios, mut throughput_ratios) = (Vec::new(), Vec::new());
    for round in 0..config.rounds {
        let clients = [
            connect(transport, Implementation::Sdk).await?,
            connect(transport, Implementation::Rmcp).await?,
        ];
        for client in &clients {
            for _ in 0..config.warmup {
                check(tool, &client.call_tool(request.clone()).await?)?;
            }
        }
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        let round_latencies = sequential(&clients, order, &request, config.calls).await?;
        let [sdk_p50, rmcp_p50] = round_latencies
            .each_ref()
            .map(|latencies| median_latency(latencies));
        p50_ratios.push(sdk_p50 / rmcp_p50);
        // Throughput: the calls in chunks, alternating, for the same reason.
        let chunk = config.calls.div_ceil(CHUNKS);
        let mut elapsed = [Duration::ZERO; 2];
        for _ in 0..CHUNKS {
            for index in order {
                elapsed[index] +=
                    concurrent(&clients[index], &request, chunk, config.in_flight).await?;
            }
        }
        let round_throughputs =
            elapsed.map(|elapsed| (chunk * CHUNKS) as f64 / elapsed.as_secs_f64());
        throughput_ratios.push(round_throughputs[0] / round_throughputs[1]);
        for (index, round_latencies) in round_latencies.into_iter().enumerate() {
            latencies[index].extend(round_latencies);
            throughputs[index].push(round_throughputs[index]);
        }
        for client in clients {
            client.cancel().await?;
        }
    }
    let [sdk_latencies, rmcp_latencies] = latencies;
    let [sdk_throughputs, rmcp_throughputs] = throughputs;
    Ok(Row {
        transport,
        tool,
        sdk: summarize(sdk_latencies, sdk_throughputs),
        rmcp: summarize(rmcp_latencies, rmcp_throughputs),
        throughput_ratio: median(throughput_ratios),
        p50_ratio: median(p50_ratios),
    })
}

/// `calls` sequential calls to each client, one each in turn so that both see the same state of
/// the machine; their latencies.
async fn sequential(
    clients: &[Client; 2],
    order: [usize; 2],
    request: &CallToolRequestParams,
    calls: usize,
) -> anyhow::Result<[Vec<Duration>; 2]> {
    let mut latencies = [Vec::with_capacity(calls), Vec::with_capacity(calls)];
    for _ in 0..calls {
        for index in order {
            let start = Instant::now();
            let result = clients[index].call_tool(request.clone()).await?;
            latencies[index].push(start.elapsed());
            ensure!(
                result.is_error != Some(true),
                "{} failed: {result:?}",
                request.name
            );
        }
    }
    Ok(latencies)
}

/// How many pieces the throughput calls of a round are cut into.
const CHUNKS: usize = 5;

/// `calls` calls with `in_flight` outstanding; how long they took.
async fn concurrent(
    client: &Client,
    request: &CallToolRequestParams,
    calls: usize,
    in_flight: usize,
) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut results = stream::iter(0..calls)
        .map(|_| client.call_tool(request.clone()))
        .buffer_unordered(in_flight);
    while let Some(result) = results.next().await {
        ensure!(result?.is_error != Some(true), "{} failed", request.name);
    }
    Ok(start.elapsed())
}

fn summarize(mut latencies: Vec<Duration>, throughputs: Vec<f64>) -> Measurement {
    latencies.sort_unstable();
    let at = |quantile: f64| latencies[((latencies.len() - 1) as f64 * quantile).round() as usize];
    Measurement {
        calls_per_sec: median(throughputs),
        p50: at(0.50),
        p99: at(0.99),
    }
}

fn median_latency(latencies: &[Duration]) -> f64 {
    median(latencies.iter().map(Duration::as_secs_f64).collect())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    values[values.len() / 2]
}

fn request(tool: Tool) -> CallToolRequestParams {
    let (name, arguments) = match tool {
        Tool::Add => ("add", json!({"a": 40, "b": 2})),
        Tool::Echo => (
            "echo",
            json!({"message": "hello from the overhead benchmark"}),
        ),
    };
    let Value::Object(arguments) = arguments else {
        unreachable!("a json! object literal is an object")
    };
    CallToolRequestParams::new(name).with_arguments(arguments)
}

/// Both implementations must answer the same: `{"result": 42}` for `add`, the message for `echo`.
fn check(tool: Tool, result: &CallToolResult) -> anyhow::Result<()> {
    let ok = match tool {
        Tool::Add => result.structured_content == Some(json!({"result": 42})),
        Tool::Echo => {
            result
                .content
                .first()
                .and_then(|block| block.as_text())
                .map(|text| text.text.as_str())
                == Some("hello from the overhead benchmark")
        }
    };
    ensure!(
        ok && result.is_error != Some(true),
        "unexpected result of {tool}: {result:?}"
    );
    Ok(())
}

async fn connect(transport: Transport, implementation: Implementation) -> anyhow::Result<Client> {
    let client = match transport {
        Transport::Duplex => {
            let (server_io, client_io) = tokio::io::duplex(1 << 16);
            match implementation {
                Implementation::Sdk => spawn_server(sdk::handler(), server_io),
                Implementation::Rmcp => spawn_server(hand::RmcpServer::default(), server_io),
            }
            ().serve(client_io).await?
        }
        Transport::Stdio => {
            let path = server_binary(implementation)?;
            let command = tokio::process::Command::new(&path).configure(|command| {
                command.stderr(Stdio::null());
            });
            let child = TokioChildProcess::new(command)
                .with_context(|| format!("starting {}", path.display()))?;
            ().serve(child).await?
        }
    };
    Ok(client)
}

fn spawn_server<S: ServerHandler>(server: S, io: tokio::io::DuplexStream) {
    tokio::spawn(async move {
        if let Ok(running) = server.serve(io).await {
            let _ = running.waiting().await;
        }
    });
}

/// The server binary of `implementation`, next to the current executable.
pub fn server_binary(implementation: Implementation) -> anyhow::Result<PathBuf> {
    let name = match implementation {
        Implementation::Sdk => "sdk_server",
        Implementation::Rmcp => "rmcp_server",
    };
    let exe = std::env::current_exe()?;
    let path = exe.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    ensure!(
        path.exists(),
        "{} is missing: run `cargo build --release -p overhead-bench --bins`",
        path.display()
    );
    Ok(path)
}

/// The results as a Markdown table, with the ratios on the mcp-sdk rows.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| transport | tool | implementation | calls/s | p50 µs | p99 µs | sdk/rmcp calls/s | sdk/rmcp p50 |\n\
         |---|---|---|---:|---:|---:|---:|---:|\n",
    );
    let micros = |duration: Duration| duration.as_secs_f64() * 1e6;
    for row in rows {
        for (name, m) in [("rmcp", row.rmcp), ("mcp-sdk", row.sdk)] {
            let ratios = match name {
                "mcp-sdk" => format!("{:.3} | {:.3}", row.throughput_ratio, row.p50_ratio),
                _ => " | ".to_owned(),
            };
            out += &format!(
                "| {} | {} | {name} | {:.0} | {:.1} | {:.1} | {ratios} |\n",
                row.transport,
                row.tool,
                m.calls_per_sec,
                micros(m.p50),
                micros(m.p99)
            );
        }
    }
    out
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Duplex => "duplex",
            Self::Stdio => "stdio",
        })
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Add => "add",
            Self::Echo => "echo",
        })
    }
}
