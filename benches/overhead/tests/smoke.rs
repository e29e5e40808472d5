//! A quick in-process run: every tool gets a measurement and a finite, positive ratio.

use overhead_bench::{Config, Tool, Transport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quick_duplex_run_gives_a_ratio_per_tool() {
    let config = Config {
        transports: vec![Transport::Duplex],
        ..Config::quick()
    };
    let rows = overhead_bench::run(&config)
        .await
        .expect("the benchmark runs");
    let tools: Vec<Tool> = rows.iter().map(|row| row.tool).collect();
    assert_eq!(tools, [Tool::Add, Tool::Echo]);
    for row in &rows {
        for ratio in [row.throughput_ratio, row.p50_ratio] {
            assert!(
                ratio.is_finite() && ratio > 0.0,
                "{} over {}: ratio {ratio}",
                row.tool,
                row.transport
            );
        }
    }
    let table = overhead_bench::table(&rows);
    assert!(table.contains("| duplex | echo | mcp-sdk |"), "{table}");
}
