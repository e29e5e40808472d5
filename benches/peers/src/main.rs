//! mcp-sdk beside rmcp and turbomcp: the same two tools, one rmcp client, runs that alternate the
//! servers per repetition, and a table of ratios (medians over the repetitions of each one's own
//! ratio), so that load from other processes weighs on every server alike.
//!
//! `cargo run --release --manifest-path benches/peers/Cargo.toml -- [--reps N] [--calls N]
//! [--sessions N] [--http-calls N] [--quick]`

#[path = "../../overhead/src/build_servers.rs"]
mod build_servers;

use anyhow::{Context as _, bail};
use peers_bench::run::{self, HttpSample, Server, StdioSample};

const STDIO: [Server; 4] = [Server::Sdk, Server::RmcpStdio, Server::Rmcp, Server::Turbo];
const HTTP: [Server; 4] = [Server::Sdk, Server::Rmcp, Server::Turbo, Server::Floor];
/// The table's columns: a server not in a row's series gets `—` there.
const COLUMNS: [Server; 5] = [
    Server::Sdk,
    Server::RmcpStdio,
    Server::Rmcp,
    Server::Turbo,
    Server::Floor,
];

struct Options {
    reps: usize,
    calls: usize,
    sessions: usize,
    http_calls: usize,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        reps: 5,
        calls: 5000,
        sessions: 16,
        http_calls: 300,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> anyhow::Result<usize> {
            let value = args
                .next()
                .with_context(|| format!("{name} needs a number"))?;
            value
                .parse()
                .with_context(|| format!("{name} takes a whole number, not `{value}`"))
        };
        match arg.as_str() {
            "--reps" => options.reps = number("--reps")?,
            "--calls" => options.calls = number("--calls")?,
            "--sessions" => options.sessions = number("--sessions")?,
            "--http-calls" => options.http_calls = number("--http-calls")?,
            "--quick" => {
                options = Options {
                    reps: 1,
                    calls: 200,
                    sessions: 4,
                    http_calls: 20,
                }
            }
            other => bail!(
                "unknown argument `{other}`; use --reps N, --calls N, --sessions N, --http-calls N or --quick"
            ),
        }
    }
    Ok(options)
}

/// Samples per server, in the order of `servers`, one vector entry per repetition.
struct Series<T> {
    servers: Vec<Server>,
    samples: Vec<Vec<T>>,
}

impl<T> Series<T> {
    fn new(servers: &[Server]) -> Self {
        Self {
            servers: servers.to_vec(),
            samples: servers.iter().map(|_| Vec::new()).collect(),
        }
    }

    fn of(&self, server: Server) -> Option<&Vec<T>> {
        let index = self.servers.iter().position(|s| *s == server)?;
        Some(&self.samples[index])
    }

    /// Median over repetitions of `metric(server) / metric(base)`, and the median of the metric.
    fn ratio(
        &self,
        server: Server,
        base: Server,
        metric: impl Fn(&T) -> f64,
    ) -> Option<(f64, f64)> {
        let (mine, theirs) = (self.of(server)?, self.of(base)?);
        let ratios = mine
            .iter()
            .zip(theirs)
            .map(|(a, b)| metric(a) / metric(b))
            .collect();
        Some((median(ratios), median(mine.iter().map(&metric).collect())))
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    build_servers::build_servers(&["sdk-server", "plain-rmcp", "turbo-server", "floor-server"])?;
    let mut stdio = Series::<StdioSample>::new(&STDIO);
    let mut sessions = Series::<HttpSample>::new(&HTTP);
    let mut stateless = Series::<HttpSample>::new(&HTTP);
    for rep in 0..options.reps {
        eprintln!("repetition {} of {}", rep + 1, options.reps);
        // A different server goes first in each repetition.
        for offset in 0..STDIO.len() {
            let index = (rep + offset) % STDIO.len();
            let sample = run::stdio(STDIO[index], options.calls)
                .await
                .with_context(|| format!("stdio run of {}", STDIO[index].label()))?;
            stdio.samples[index].push(sample);
        }
        for (series, is_stateless) in [(&mut sessions, false), (&mut stateless, true)] {
            for offset in 0..HTTP.len() {
                let index = (rep + offset) % HTTP.len();
                let sample = run::http(
                    HTTP[index],
                    is_stateless,
                    options.sessions,
                    options.http_calls,
                )
                .await
                .with_context(|| format!("HTTP run of {}", HTTP[index].label()))?;
                series.samples[index].push(sample);
            }
        }
    }
    print_table(&options, &stdio, &sessions, &stateless);
    Ok(())
}

fn print_table(
    options: &Options,
    stdio: &Series<StdioSample>,
    sessions: &Series<HttpSample>,
    stateless: &Series<HttpSample>,
) {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut goals: Vec<(String, bool)> = Vec::new();
    let mut row = |title: String, cells: Vec<String>| rows.push((title, cells));
    let cell = |found: Option<(f64, f64)>, unit: &str| match found {
        Some((ratio, value)) if unit == "/s" => format!("{ratio:.2}x ({value:.0}/s)"),
        Some((ratio, value)) => format!("{ratio:.2}x ({value:.1}{unit})"),
        None => "—".to_owned(),
    };

    let (calls, n) = (options.calls, options.sessions);
    let http_calls = options.http_calls;
    let stdio_ratio =
        |server, metric: fn(&StdioSample) -> f64| stdio.ratio(server, Server::Rmcp, metric);
    let seq = |s: &StdioSample| s.sequential;
    let par = |s: &StdioSample| s.parallel;
    let stdio_rss = |s: &StdioSample| mib(s.rss_kib);
    let init = |s: &StdioSample| s.init.as_secs_f64() * 1e3;
    row(
        format!("stdio, {calls} sequential calls: calls/s vs rmcp `stdio_pipes()`"),
        COLUMNS
            .iter()
            .map(|&s| cell(stdio_ratio(s, seq), "/s"))
            .collect(),
    );
    row(
        format!("stdio, 16 in flight ({calls} calls): calls/s vs rmcp `stdio_pipes()`"),
        COLUMNS
            .iter()
            .map(|&s| cell(stdio_ratio(s, par), "/s"))
            .collect(),
    );
    row(
        "server RSS after the stdio run (MiB), vs turbomcp".to_owned(),
        COLUMNS
            .iter()
            .map(|&s| cell(stdio.ratio(s, Server::Turbo, stdio_rss), " MiB"))
            .collect(),
    );
    row(
        "time to initialize, stdio (ms), vs rmcp `stdio_pipes()`".to_owned(),
        COLUMNS
            .iter()
            .map(|&s| cell(stdio_ratio(s, init), " ms"))
            .collect(),
    );
    for (series, mode) in [(sessions, "sessions"), (stateless, "stateless")] {
        let turbo =
            |server, metric: fn(&HttpSample) -> f64| series.ratio(server, Server::Turbo, metric);
        let per_s = |s: &HttpSample| s.calls_per_s;
        let cpu = |s: &HttpSample| s.cpu_us_per_call;
        let rss = |s: &HttpSample| mib(s.rss_kib);
        let http_cells = |metric: fn(&HttpSample) -> f64, unit: &str| {
            COLUMNS
                .iter()
                .map(|&s| cell(turbo(s, metric), unit))
                .collect()
        };
        let scenario = format!("streamable HTTP ({mode}), {n} sessions x {http_calls} calls");
        row(
            format!("{scenario}: calls/s vs turbomcp"),
            http_cells(per_s, "/s"),
        );
        row(
            format!("{scenario}: server CPU per call (µs) vs turbomcp"),
            http_cells(cpu, " µs"),
        );
        row(
            format!("server RSS after the HTTP {mode} run (MiB) vs turbomcp"),
            http_cells(rss, " MiB"),
        );
        let sdk = |metric| turbo(Server::Sdk, metric).map_or(f64::NAN, |(ratio, _)| ratio);
        goals.push((
            format!("HTTP {mode}: calls/s >= 1.2x turbomcp"),
            sdk(per_s) >= 1.2,
        ));
        goals.push((
            format!("HTTP {mode}: CPU per call <= 0.8x turbomcp"),
            sdk(cpu) <= 0.8,
        ));
        goals.push((format!("HTTP {mode}: RSS <= turbomcp"), sdk(rss) <= 1.0));
    }
    let sdk_stdio = |metric| stdio_ratio(Server::Sdk, metric).map_or(f64::NAN, |(ratio, _)| ratio);
    goals.push((
        "stdio sequential >= 1.0x rmcp `stdio_pipes()`".into(),
        sdk_stdio(seq) >= 1.0,
    ));
    goals.push((
        "stdio 16 in flight >= 1.0x rmcp `stdio_pipes()`".into(),
        sdk_stdio(par) >= 1.0,
    ));
    let rss_ratio = stdio
        .ratio(Server::Sdk, Server::Turbo, stdio_rss)
        .map_or(f64::NAN, |(r, _)| r);
    goals.push(("stdio RSS <= turbomcp".into(), rss_ratio <= 1.0));
    let init_ms = stdio_ratio(Server::Sdk, init).map_or(f64::NAN, |(_, ms)| ms);
    goals.push(("time to initialize <= 3 ms".into(), init_ms <= 3.0));

    println!(
        "\n{} repetitions; each cell: median of the per-repetition ratio (median value). \
         turbomcp has no stateless mode: it serves sessions in both HTTP rows.\n",
        options.reps
    );
    println!("| scenario | {} |", COLUMNS.map(Server::label).join(" | "));
    println!("|---|{}", "---:|".repeat(COLUMNS.len()));
    for (title, cells) in rows {
        println!("| {title} | {} |", cells.join(" | "));
    }
    println!();
    for (goal, met) in goals {
        println!("- [{}] {goal}", if met { "x" } else { " " });
    }
}
