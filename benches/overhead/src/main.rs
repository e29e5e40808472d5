//! `cargo run --release -p overhead-bench [-- [--quick] [--calls N] [--rounds N] [--transport duplex|stdio]]`
//!
//! Builds the two stdio server binaries (a no-op when they are fresh), then prints the table.

mod build_servers;

use anyhow::{Context as _, bail};
use overhead_bench::{Config, Transport};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut config = if args.iter().any(|arg| arg == "--quick") {
        Config::quick()
    } else {
        Config::full()
    };
    let mut args = args.iter().filter(|arg| *arg != "--quick");
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--calls" => config.calls = value()?.parse()?,
            "--rounds" => config.rounds = value()?.parse()?,
            "--transport" => {
                config.transports = vec![match value()?.as_str() {
                    "duplex" => Transport::Duplex,
                    "stdio" => Transport::Stdio,
                    other => bail!("unknown transport `{other}`: duplex or stdio"),
                }]
            }
            other => {
                bail!("unknown argument `{other}`; see the top of benches/overhead/src/main.rs")
            }
        }
    }
    if config.transports.contains(&Transport::Stdio) {
        build_servers::build_servers(&[])?;
    }
    eprintln!(
        "{} calls x {} rounds per implementation, {} in flight for calls/s ...",
        config.calls, config.rounds, config.in_flight
    );
    let rows = tokio::runtime::Runtime::new()?.block_on(overhead_bench::run(&config))?;
    println!("{}", overhead_bench::table(&rows));
    let worst_throughput = rows
        .iter()
        .map(|row| row.throughput_ratio)
        .fold(f64::INFINITY, f64::min);
    let worst_p50 = rows.iter().map(|row| row.p50_ratio).fold(0.0, f64::max);
    let verdict = if worst_throughput >= 0.95 && worst_p50 <= 1.05 {
        "within"
    } else {
        "NOT within"
    };
    println!(
        "ratio sdk/rmcp: worst calls/s {worst_throughput:.3}, worst p50 {worst_p50:.3}: mcp-sdk is {verdict} 5% of hand-written rmcp"
    );
    Ok(())
}
