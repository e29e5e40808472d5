//! Time to render and write one project per template, against a plain recursive copy of the same
//! template folder with std::fs (the floor for writing that many files).
//!
//! "in memory" is the same run with `--dry-run`: planning and rendering without the disk, which
//! tells CPU cost from file system cost on a busy machine.
//!
//! `cargo bench -p mcp-create --bench render [-- TEMPLATES_DIR]`: the embedded templates, or those
//! in TEMPLATES_DIR (laid out like templates/). Registration is not included (`--no-register`).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mcp_create::{NewArgs, Plan, Templates, generate};

const WARMUP: usize = 3;
const RUNS: usize = 50;
/// The target of issue 4: under 20 ms per project.
const TARGET_MS: f64 = 20.0;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(PathBuf::from);
    let source = dir
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates"));
    let templates = match &dir {
        Some(dir) => Templates::from_dir(dir),
        None => Templates::embedded(),
    }
    .unwrap_or_else(|e| panic!("cannot load the templates: {:#}", anyhow::Error::from(e)));
    let out = tempfile::tempdir().expect("a temporary folder");

    println!("{RUNS} runs per template, after {WARMUP} warm-up runs; times in ms per project");
    println!(
        "{:<12} {:>6} {:>12} {:>11} {:>15} {:>7} {:>10} {:>18}",
        "template",
        "files",
        "render mean",
        "render p95",
        "in-memory mean",
        "copied",
        "copy mean",
        "render/copy ratio"
    );
    for template in templates.iter() {
        let name = &template.manifest.name;
        let folder = source.join(name);
        let mut files = 0;
        let mut project = |run: usize, dry_run: bool| {
            let args = NewArgs {
                template: name.clone(),
                path: Some(out.path().to_owned()),
                no_register: true,
                no_workspace: true,
                dry_run,
                ..NewArgs::new(format!(
                    "{}-{name}-{run}",
                    if dry_run { "dry" } else { "render" }
                ))
            };
            let plan = Plan::new(&args, &templates, None).expect("plan");
            files = generate(&plan).expect("generate").files.len();
        };
        let render = measure(|run| project(run, false));
        let in_memory = measure(|run| project(run, true));
        let mut copied = 0;
        let copy = measure(|run| {
            copied = copy_tree(&folder, &out.path().join(format!("copy-{name}-{run}")))
        });
        let (render_mean, render_p95) = stats(&render);
        let (copy_mean, _) = stats(&copy);
        let (memory_mean, _) = stats(&in_memory);
        let verdict = if render_p95 < TARGET_MS {
            ""
        } else {
            "  (over the 20 ms target)"
        };
        println!(
            "{name:<12} {files:>6} {render_mean:>12.2} {render_p95:>11.2} {memory_mean:>15.2} \
             {copied:>7} {copy_mean:>10.2} {:>17.1}x{verdict}",
            render_mean / copy_mean
        );
    }
}

/// Runs `f` WARMUP + RUNS times (each with its own run number) and returns the timed durations.
fn measure(mut f: impl FnMut(usize)) -> Vec<Duration> {
    (0..WARMUP + RUNS)
        .map(|run| {
            let start = Instant::now();
            f(run);
            start.elapsed()
        })
        .skip(WARMUP)
        .collect()
}

/// Mean and 95th percentile in milliseconds.
fn stats(samples: &[Duration]) -> (f64, f64) {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let mean = ms.iter().sum::<f64>() / ms.len() as f64;
    let p95 = ms[(ms.len() * 95).div_ceil(100) - 1];
    (mean, p95)
}

/// The baseline: `from` copied to `to` file by file with std::fs; returns the number of files.
fn copy_tree(from: &Path, to: &Path) -> usize {
    fs::create_dir_all(to).expect("create a folder");
    let mut copied = 0;
    for entry in fs::read_dir(from).expect("read a template folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copied += copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy a file");
            copied += 1;
        }
    }
    copied
}
