//! What the tests need from the machine: the checkout, free ports, `PATH` with this cargo, the
//! tools a test requires, and the environment of cargo commands in generated projects.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// The workspace checkout (mcp-create sits one folder below it).
pub fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate sits in the checkout")
        .canonicalize()
        .expect("the checkout exists")
}

/// Fails the test, saying what to install, unless `program args` runs and succeeds (a test never
/// skips for a missing tool). Returns its stdout, trimmed.
pub fn require(program: &str, args: &[&str], what: &str) -> String {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).trim().to_owned()
        }
        Ok(output) => panic!(
            "`{program} {}` failed ({}): {what}\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => panic!("cannot run `{program}` ({error}): {what}"),
    }
}

/// A port that was free a moment ago, below the ports the system hands out for outgoing
/// connections and `bind(0)` (32768 and up on Linux, 49152 and up on macOS): a port in that range
/// can be taken meanwhile by other tests' connections (a restarted server then finds it in use),
/// and polling it can connect a socket to itself. Never the same port twice in one test binary:
/// a port another test's server has just let go of (a SIGKILL, a restart) is still that test's.
pub fn free_port() -> u16 {
    const FIRST: u32 = 20_000;
    const COUNT: u32 = 12_000;
    static HANDED_OUT: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    let mut handed_out = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    let seed = std::process::id().wrapping_mul(7919)
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .subsec_nanos();
    (0..COUNT)
        .map(|i| (FIRST + seed.wrapping_add(i) % COUNT) as u16)
        // Both addresses, as `mcp-create start` checks them: a server on 0.0.0.0 takes the port.
        .find(|port| {
            !handed_out.contains(port)
                && ["127.0.0.1", "0.0.0.0"]
                    .iter()
                    .all(|ip| TcpListener::bind((*ip, *port)).is_ok())
        })
        .inspect(|port| {
            handed_out.insert(*port);
        })
        .expect("a free port between 20000 and 32000")
}

/// `PATH` with `dir` first.
pub fn path_with(dir: &Path) -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::iter::once(dir.to_owned()).chain(std::env::split_paths(&rest));
    std::env::join_paths(dirs).expect("PATH entries join")
}

/// `PATH` with the folder of the cargo that runs these tests first, so that the cargo commands
/// the tests run use the same toolchain.
pub fn path_with_cargo() -> OsString {
    match std::env::var_os("CARGO").map(PathBuf::from) {
        Some(cargo) => path_with(cargo.parent().expect("cargo is in a folder")),
        None => std::env::var_os("PATH").unwrap_or_default(),
    }
}

/// The workspace's target folder, shared with every cargo command the tests run so that
/// dependencies are built once. Pass `env!("CARGO_TARGET_TMPDIR")`, which is `<target>/tmp`.
pub fn shared_target_dir(cargo_target_tmpdir: &str) -> PathBuf {
    Path::new(cargo_target_tmpdir)
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp")
        .to_owned()
}

/// How the tests build a generated project's release binary: without optimisation. The tests
/// check what the server does, not how fast; an optimised build of its dependency tree would cost
/// minutes of a cold run. Every test that runs `cargo build --release` in a generated project sets
/// it, so that they all share one release build of the dependencies.
pub const RELEASE_OPT_LEVEL: (&str, &str) = ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0");

/// The environment of a cargo command run in a generated project: the shared target folder (pass
/// `env!("CARGO_TARGET_TMPDIR")`), the running cargo first on `PATH`, [`RELEASE_OPT_LEVEL`].
pub fn cargo_envs(cargo_target_tmpdir: &str) -> Vec<(&'static str, OsString)> {
    vec![
        (
            "CARGO_TARGET_DIR",
            shared_target_dir(cargo_target_tmpdir).into(),
        ),
        ("PATH", path_with_cargo()),
        (RELEASE_OPT_LEVEL.0, RELEASE_OPT_LEVEL.1.into()),
    ]
}

/// Runs `future` to its end on a two-thread tokio runtime: the async clients of a synchronous test.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
        .block_on(future)
}
