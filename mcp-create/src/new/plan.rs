//! `mcp-create new` arguments turned into a checked plan: every input validated and every
//! precondition (destination, registry, workspace) tested before anything is written.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::config::{self, Registration};
use crate::error::{Error, Result};
use crate::manage::port::port_in_use;
use crate::new::args::NewArgs;
use crate::new::manifest::{Commands, Language};
use crate::new::names::Names;
use crate::new::render::render_str;
use crate::new::templates::{Choice, Templates};
use crate::new::variables::{Builtins, Variables};
use crate::new::vendor::{Sdk, SdkSource};
use crate::new::workspace::{self, WorkspaceChange};

pub use crate::config::FIRST_PORT;
/// `--description` when not given.
pub const DEFAULT_DESCRIPTION: &str = "An MCP server.";

/// Everything `generate` needs, checked.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub choice: Choice<'a>,
    pub names: Names,
    /// The values templates see.
    pub variables: Variables,
    /// The template's commands, rendered.
    pub commands: Commands,
    /// The project folder (absolute); its parent exists.
    pub dest: PathBuf,
    /// Where the SDK comes from, for templates that ask for it.
    pub sdk: Option<SdkSource>,
    /// The registry entry to add, unless `--no-register`. Its port is the first free one when
    /// planned; [`crate::new::generate()`] picks it again under the registry's lock.
    pub registration: Option<Registration>,
    /// What happens to an enclosing Cargo workspace (Rust projects only).
    pub workspace: Option<WorkspaceChange>,
    pub dry_run: bool,
}

impl<'a> Plan<'a> {
    /// Checks `args` against `templates`, the file system and the registry (located from
    /// `config`, see [`config::locate`]).
    pub fn new(
        args: &NewArgs,
        templates: &'a Templates,
        config: Option<&Path>,
    ) -> Result<Plan<'a>> {
        let choice = templates.resolve(&args.template)?;
        let manifest = &choice.template.manifest;
        let names = Names::new(&args.name, manifest.language)?;
        let dest = destination(args.path.as_deref(), &names.project_name, args.force)?;

        let mut registration = match args.no_register {
            true => None,
            false => Some(Registration {
                config: config::locate(config)?,
                key: names.project_name.clone(),
                entry: Map::new(),
                replace: args.force,
                port: args.port,
            }),
        };
        let port = match &registration {
            Some(registration) => registration.check(port_in_use)?,
            None => args.port.unwrap_or(FIRST_PORT),
        };

        let workspace = match manifest.language {
            Language::Rust => workspace::plan(&dest, !args.no_workspace)?,
            _ => None,
        };
        let embedded = Sdk::embedded();
        let sdk_version = embedded.version()?;
        let sdk = match manifest.vendor_sdk {
            true => Some(SdkSource::new(embedded, &dest, workspace.as_ref())?),
            false => None,
        };
        let sdk_path = sdk.as_ref().map(SdkSource::path).transpose()?;
        let variables = Builtins {
            names: &names,
            description: args.description.as_deref().unwrap_or(DEFAULT_DESCRIPTION),
            port,
            transport: args.transport.as_str(),
            sdk_version: &sdk_version,
            sdk_path: sdk_path.as_deref(),
        }
        .with(choice.variables());

        let commands = render_commands(&choice, &variables)?;
        if let Some(registration) = &mut registration {
            registration.entry = entry(
                &choice,
                &commands,
                &variables,
                &dest,
                workspace.as_ref(),
                port,
            )?;
        }
        Ok(Plan {
            choice,
            names,
            variables,
            commands,
            dest,
            sdk,
            registration,
            workspace,
            dry_run: args.dry_run,
        })
    }
}

impl Plan<'_> {
    /// The same plan with `port` in place of the planned one: the variables, the commands and
    /// the registry entry follow.
    pub fn with_port(&self, port: u16) -> Result<Self> {
        let mut plan = self.clone();
        plan.variables.insert("port".into(), port.to_string());
        plan.commands = render_commands(&plan.choice, &plan.variables)?;
        if let Some(registration) = &mut plan.registration {
            registration.entry = entry(
                &plan.choice,
                &plan.commands,
                &plan.variables,
                &plan.dest,
                plan.workspace.as_ref(),
                port,
            )?;
        }
        Ok(plan)
    }
}

/// The template's commands, rendered with `variables`.
fn render_commands(choice: &Choice<'_>, variables: &Variables) -> Result<Commands> {
    let manifest = &choice.template.manifest;
    let command = |what: &str, text: &str| render_str(&manifest.name, what, text, variables);
    Ok(Commands {
        install: command("commands.install", &manifest.commands.install)?,
        test: command("commands.test", &manifest.commands.test)?,
        run: command("commands.run", &manifest.commands.run)?,
    })
}

/// `<parent>/<project_name>`, absolute, after checking the parent is a folder and the project
/// folder is absent or empty (or `force`).
fn destination(path: Option<&Path>, project_name: &str, force: bool) -> Result<PathBuf> {
    let parent = path.unwrap_or(Path::new("."));
    let parent_error = |reason: &str| Error::Parent {
        dir: parent.to_owned(),
        reason: reason.to_owned(),
    };
    let parent = match fs::metadata(parent) {
        Ok(meta) if meta.is_dir() => parent
            .canonicalize()
            .map_err(Error::io("resolve", parent))?,
        Ok(_) => return Err(parent_error("it is not a directory")),
        Err(_) => return Err(parent_error("it does not exist (create it first)")),
    };
    let dest = parent.join(project_name);
    match fs::symlink_metadata(&dest) {
        Err(_) => Ok(dest),
        Ok(meta) if !meta.is_dir() => Err(Error::Parent {
            dir: parent,
            reason: format!("{project_name} exists there and is not a directory"),
        }),
        Ok(_) => {
            let empty = fs::read_dir(&dest)
                .map_err(Error::io("read", &dest))?
                .next()
                .is_none();
            if empty || force {
                Ok(dest)
            } else {
                Err(Error::DestinationNotEmpty { path: dest })
            }
        }
    }
}

/// The registry entry: the launcher's fields first, in the order users know, then ours.
/// `command` is the complete command line, shell-quoted, as the `mcp` launcher runs it.
fn entry(
    choice: &Choice<'_>,
    commands: &Commands,
    vars: &Variables,
    dest: &Path,
    workspace: Option<&WorkspaceChange>,
    port: u16,
) -> Result<Map<String, Value>> {
    let target = cargo_target_dir(dest, workspace, |name| std::env::var_os(name));
    let run = shlex::split(&commands.run).ok_or_else(|| Error::Template {
        template: choice.template.manifest.name.clone(),
        reason: format!("commands.run {:?} has unbalanced quotes", commands.run),
    })?;
    let mut words: Vec<String> = run
        .iter()
        .map(|word| absolute_in(dest, &target, word))
        .collect();
    if vars["transport"] == "http" {
        words.extend([
            "--transport".into(),
            "http".into(),
            "--port".into(),
            port.to_string(),
        ]);
    }
    let command = shlex::try_join(words.iter().map(String::as_str))
        .expect("a rendered command line holds no NUL byte");
    let entry = json!({
        "name": vars["display_name"],
        "path": dest.to_string_lossy(),
        "command": command,
        "port": port,
        "env_file": ".env",
        "env": {},
        "dependencies": {},
        "install": commands.install,
        "health_check": format!("curl -f http://localhost:{port}/health"),
        "template": choice.name(),
        "transport": vars["transport"],
        "description": vars["description"],
    });
    let Value::Object(entry) = entry else {
        unreachable!("json! of an object literal")
    };
    Ok(entry)
}

/// A word of `commands.run` that is a relative path (it has a '/', is no option and no URL),
/// made absolute against the project folder; any other word as it is. A path under `target/` is
/// where Cargo puts builds, so it goes under `target` (see [`cargo_target_dir`]).
fn absolute_in(dest: &Path, target: &Path, word: &str) -> String {
    let path = Path::new(word);
    if let Some(built) = word.strip_prefix("target/") {
        target.join(built).to_string_lossy().into_owned()
    } else if word.contains('/')
        && !word.starts_with('-')
        && !word.contains("://")
        && path.is_relative()
    {
        dest.join(path).to_string_lossy().into_owned()
    } else {
        word.to_owned()
    }
}

/// Cargo's target directory for a project in `dest`, so the registered command finds the binary
/// where the user's cargo builds it: the one the user chose (see [`chosen_target_dir`]); else
/// `target` beside the manifest of the Cargo workspace the project is a member of, or
/// `dest/target` for a project on its own.
fn cargo_target_dir(
    dest: &Path,
    workspace: Option<&WorkspaceChange>,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> PathBuf {
    let root = match workspace {
        Some(WorkspaceChange::Add { manifest, .. } | WorkspaceChange::Covered { manifest, .. }) => {
            manifest.parent().unwrap_or(dest)
        }
        _ => dest,
    };
    chosen_target_dir(dest, env).unwrap_or_else(|| root.join("target"))
}

/// The target directory the user chose for Cargo run in `dest`, if any: `$CARGO_TARGET_DIR` (or
/// `$CARGO_BUILD_TARGET_DIR`) when set, else `build.target-dir` of the nearest Cargo config file
/// (see [`configured_target_dir`]).
pub(crate) fn chosen_target_dir(
    dest: &Path,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    if let Some(dir) = set("CARGO_TARGET_DIR").or_else(|| set("CARGO_BUILD_TARGET_DIR")) {
        return Some(dest.join(dir));
    }
    let cargo_home = set("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| set("HOME").map(|home| Path::new(&home).join(".cargo")));
    configured_target_dir(dest, cargo_home.as_deref())
}

/// `build.target-dir` as Cargo reads it when run in `dest`: from the config file of `dest` or the
/// nearest folder above it that sets it, else from `cargo_home`'s. A folder's config file is
/// `.cargo/config` if it exists (Cargo prefers it), else `.cargo/config.toml`; a relative path is
/// relative to the folder that holds `.cargo`. A file that cannot be read or parsed is passed
/// over (Cargo itself reports it when it builds).
fn configured_target_dir(dest: &Path, cargo_home: Option<&Path>) -> Option<PathBuf> {
    let folders = dest.ancestors().map(|folder| folder.join(".cargo"));
    folders
        .chain(cargo_home.map(Path::to_path_buf))
        .find_map(|cargo_dir| {
            let file = ["config", "config.toml"]
                .iter()
                .map(|name| cargo_dir.join(name))
                .find(|file| file.is_file())?;
            let config = fs::read_to_string(file).ok()?;
            let config = config.parse::<toml_edit::DocumentMut>().ok()?;
            let dir = config.get("build")?.get("target-dir")?.as_str()?;
            Some(cargo_dir.parent()?.join(dir))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_words_with_slashes_become_absolute() {
        let dest = Path::new("/srv/weather");
        assert_eq!(
            absolute_in(dest, &dest.join("target"), ".venv/bin/weather"),
            "/srv/weather/.venv/bin/weather"
        );
        let target = dest.join("target");
        assert_eq!(absolute_in(dest, &target, "node"), "node");
        assert_eq!(absolute_in(dest, &target, "--flag=a/b"), "--flag=a/b");
        assert_eq!(absolute_in(dest, &target, "/usr/bin/env"), "/usr/bin/env");
        assert_eq!(absolute_in(dest, &target, "http://x/y"), "http://x/y");
    }

    #[test]
    fn cargo_builds_are_found_in_the_target_dir_cargo_uses() {
        let dest = Path::new("/srv/weather");
        let default = cargo_target_dir(dest, None, |_| None);
        assert_eq!(
            absolute_in(dest, &default, "target/release/weather"),
            "/srv/weather/target/release/weather"
        );
        let shared = cargo_target_dir(dest, None, |name| {
            (name == "CARGO_TARGET_DIR").then(|| "/cache/cargo".into())
        });
        assert_eq!(
            absolute_in(dest, &shared, "target/release/weather"),
            "/cache/cargo/release/weather"
        );
        let relative = cargo_target_dir(dest, None, |name| {
            (name == "CARGO_BUILD_TARGET_DIR").then(|| "out".into())
        });
        assert_eq!(relative, Path::new("/srv/weather/out"));
        // A member of a Cargo workspace builds into the workspace's target folder.
        let servers = Path::new("/srv/servers");
        let member = servers.join("weather");
        for joined in [
            WorkspaceChange::Add {
                manifest: servers.join("Cargo.toml"),
                member: "weather".into(),
            },
            WorkspaceChange::Covered {
                manifest: servers.join("Cargo.toml"),
                member: "weather".into(),
                by: "*".into(),
            },
        ] {
            let target = cargo_target_dir(&member, Some(&joined), |_| None);
            assert_eq!(target, servers.join("target"), "{joined:?}");
        }
        for apart in [
            WorkspaceChange::Standalone,
            WorkspaceChange::Excluded {
                manifest: servers.join("Cargo.toml"),
                member: "weather".into(),
                by: "weather".into(),
            },
        ] {
            let target = cargo_target_dir(&member, Some(&apart), |_| None);
            assert_eq!(target, member.join("target"), "{apart:?}");
        }
    }

    #[test]
    fn a_target_dir_from_cargo_config_is_where_builds_are_found() {
        let root = tempfile::tempdir().unwrap();
        let servers = root.path().join("servers");
        let dest = servers.join("weather");
        fs::create_dir_all(&dest).unwrap();
        let home = root.path().join("home").join(".cargo");
        fs::create_dir_all(&home).unwrap();
        let none = |_: &str| None;
        assert_eq!(cargo_target_dir(&dest, None, none), dest.join("target"));

        // The home config applies when nothing nearer sets it (a config that sets something
        // else is passed over); relative to the folder above it.
        fs::create_dir_all(root.path().join(".cargo")).unwrap();
        fs::write(
            root.path().join(".cargo/config.toml"),
            "[net]\noffline = true\n",
        )
        .unwrap();
        fs::write(
            home.join("config.toml"),
            "[build]\ntarget-dir = \"builds\"\n",
        )
        .unwrap();
        let with_home = |name: &str| (name == "CARGO_HOME").then(|| home.clone().into());
        assert_eq!(
            cargo_target_dir(&dest, None, with_home),
            root.path().join("home/builds")
        );

        // A config in a folder above the project wins over the home config, and one in the
        // project over that. A config that does not parse is passed over; of `config` and
        // `config.toml`, Cargo reads only `config`.
        fs::create_dir_all(servers.join(".cargo")).unwrap();
        fs::write(
            servers.join(".cargo/config.toml"),
            "[build]\ntarget-dir = \"/cache/t\"\n",
        )
        .unwrap();
        assert_eq!(
            cargo_target_dir(&dest, None, with_home),
            Path::new("/cache/t")
        );
        fs::create_dir_all(dest.join(".cargo")).unwrap();
        fs::write(
            dest.join(".cargo/config.toml"),
            "[build]\ntarget-dir = \"not-read\"\n",
        )
        .unwrap();
        fs::write(dest.join(".cargo/config"), "not [toml").unwrap();
        assert_eq!(
            cargo_target_dir(&dest, None, with_home),
            Path::new("/cache/t")
        );
        fs::write(
            dest.join(".cargo/config"),
            "[build]\ntarget-dir = \"out\"\n",
        )
        .unwrap();
        assert_eq!(cargo_target_dir(&dest, None, with_home), dest.join("out"));

        // A config file that is a symlink (a shared dotfile) is read through it.
        let shared = root.path().join("shared.toml");
        fs::write(&shared, "[build]\ntarget-dir = \"/cache/linked\"\n").unwrap();
        fs::remove_file(dest.join(".cargo/config")).unwrap();
        fs::remove_file(dest.join(".cargo/config.toml")).unwrap();
        std::os::unix::fs::symlink(&shared, dest.join(".cargo/config.toml")).unwrap();
        assert_eq!(
            cargo_target_dir(&dest, None, with_home),
            Path::new("/cache/linked")
        );

        // The environment wins over every config file.
        let env = |name: &str| (name == "CARGO_TARGET_DIR").then(|| "/env/t".into());
        assert_eq!(cargo_target_dir(&dest, None, env), Path::new("/env/t"));
    }

    #[test]
    fn destination_checks_parent_and_emptiness() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        assert!(
            destination(Some(&file), "w", false)
                .unwrap_err()
                .to_string()
                .contains("not a directory")
        );
        assert!(
            destination(Some(&dir.path().join("nope")), "w", false)
                .unwrap_err()
                .to_string()
                .contains("does not exist")
        );
        fs::create_dir(dir.path().join("w")).unwrap();
        assert!(
            destination(Some(dir.path()), "w", false).is_ok(),
            "an empty folder is fine"
        );
        fs::write(dir.path().join("w/keep"), "").unwrap();
        assert!(matches!(
            destination(Some(dir.path()), "w", false),
            Err(Error::DestinationNotEmpty { .. })
        ));
        assert!(destination(Some(dir.path()), "w", true).is_ok());
        assert!(
            destination(Some(dir.path()), "file", true)
                .unwrap_err()
                .to_string()
                .contains("file exists there")
        );
    }
}
