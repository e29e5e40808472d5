//! `mcp-create dev NAME` (or `--project DIR -- COMMAND`): a stable MCP front on stdio (or
//! streamable HTTP with `--transport http`) with the real server as a stdio child behind it. The sources are watched; on a change the project is rebuilt
//! as its template builds, a new child is started and handshaken, swapped in, and the client is
//! told what lists changed: it keeps its connection. See docs/dev.md.

mod build;
mod child;
mod error;
mod front;
mod http;
mod watch;

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

pub use error::DevError;

use crate::connect::Launch;
use crate::manage::runtime::Runtime;
use crate::new::manifest::Language;
use crate::new::plan::chosen_target_dir;
use crate::registry::{Registry, Server};
use crate::transport::Transport;

/// Arguments of `mcp-create dev`.
#[derive(Debug, Clone, Args)]
pub struct DevArgs {
    /// The registered server to serve and reload
    #[arg(required_unless_present = "project", conflicts_with = "project")]
    pub name: Option<String>,
    /// A project folder instead of a registered name
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// How the client connects to the front (the server behind it always runs on stdio)
    #[arg(long, value_enum, default_value = "stdio")]
    pub transport: Transport,
    /// The port of the HTTP front [default: the registered entry's `port`]
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
    /// How long a call waits for a reload before it gets an error, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub wait: u64,
    /// The command that starts the server over stdio [default: the registered entry's]
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// `mcp-create dev`: serves until the client closes stdin.
pub fn run(args: &DevArgs, config: Option<&std::path::Path>) -> Result<(), DevError> {
    let registry = Registry::load(config).map_err(crate::manage::ManageError::from)?;
    let (name, dir, launch) = resolve(args, &registry)?;
    let port = match args.transport {
        Transport::Stdio => None,
        Transport::Http => Some(port(args, &registry, &name)?),
    };
    let language = crate::add::detect(&dir).ok();
    // A Rust build into a folder inside the project not named `target` is no source change.
    let build_dir = (language == Some(Language::Rust))
        .then(|| chosen_target_dir(&dir, |name| std::env::var_os(name)))
        .flatten();
    let log = Runtime::locate()?.log_file(&name);
    let target = front::Target {
        name,
        build: build::command(language),
        dir: dir.clone(),
        launch,
        log,
        wait: Duration::from_secs(args.wait),
    };
    crate::connect::block_on(async move {
        let (_watcher, ticks) = watch::start(&dir, build_dir)?;
        let io = match port {
            None => front::stdio()?,
            Some(port) => {
                let (io, address) = http::serve(port).await?;
                crate::output::note(format!("{}: MCP at http://{address}/mcp", target.name));
                io
            }
        };
        front::serve(target, ticks, io).await
    })
}

/// The HTTP front's port: `--port`, else the registered entry's.
fn port(args: &DevArgs, registry: &Registry, name: &str) -> Result<u16, DevError> {
    if let Some(port) = args.port {
        return Ok(port);
    }
    let registered = registry.get(name).ok().and_then(|server| server.port);
    registered.ok_or_else(|| {
        DevError::Usage(format!(
            "{name}: no port for the HTTP front; pass --port PORT (or register the server with a `port`)"
        ))
    })
}

/// The name (for messages and the log), the folder to watch and the launch.
fn resolve(args: &DevArgs, registry: &Registry) -> Result<(String, PathBuf, Launch), DevError> {
    let server = match (&args.name, &args.project) {
        (Some(name), _) => Some(registry.get(name)?.clone()),
        (None, Some(dir)) => registered_at(registry, dir),
        (None, None) => {
            return Err(DevError::Usage(
                "name a server or pass --project DIR".into(),
            ));
        }
    };
    let dir = match (&args.project, &server) {
        (Some(dir), _) => std::path::absolute(dir).unwrap_or_else(|_| dir.clone()),
        (None, Some(server)) => {
            server
                .path
                .clone()
                .filter(|p| p.is_dir())
                .ok_or_else(|| DevError::NoProject {
                    name: server.key.clone(),
                    config: server.config.clone(),
                })?
        }
        (None, None) => unreachable!("a name gives a server"),
    };
    let name = match &server {
        Some(server) => server.key.clone(),
        None => dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "server".into()),
    };
    let launch = match (args.command.split_first(), &server) {
        (Some((program, rest)), _) => Launch {
            program: program.into(),
            args: rest.to_vec(),
            env: Default::default(),
            cwd: Some(dir.clone()),
        },
        (None, Some(server)) => server.launch()?,
        (None, None) => return Err(DevError::NoCommand { dir }),
    };
    Ok((name, dir, launch))
}

/// The registered server whose `path` is `dir`.
fn registered_at(registry: &Registry, dir: &std::path::Path) -> Option<Server> {
    let wanted = dir.canonicalize().ok()?;
    registry
        .servers()
        .find(|s| s.path.as_ref().and_then(|p| p.canonicalize().ok()) == Some(wanted.clone()))
        .cloned()
}
