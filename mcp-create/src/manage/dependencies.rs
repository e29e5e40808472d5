//! The entry's `dependencies`: services started with their `command` until their `check_url`
//! answers, and Docker containers when an engine answers.

use std::time::Duration;

use super::lifecycle::{TAIL_LINES, spawn, wait_until};
use super::runtime::tail;
use super::{Context, ManageError, docker, health, process};
use crate::connect::Launch;
use crate::registry::{Dependency, Server};

/// Fails with [`ManageError::NeedsDocker`] for `name` (needing it for `what`) unless an engine
/// answers.
pub fn docker_up(name: &str, what: &str) -> Result<(), ManageError> {
    match docker::engine_answers() {
        true => Ok(()),
        false => Err(ManageError::NeedsDocker {
            name: name.to_owned(),
            what: what.to_owned(),
        }),
    }
}

/// The runtime name of a dependency's process.
pub fn dependency_key(server: &Server, dependency: &Dependency) -> String {
    format!("{}.{}", server.key, dependency.name)
}

/// Makes one dependency available: a container, or a service whose `check_url` answers (its
/// `command` is started first when it does not).
pub fn start_dependency(
    ctx: &mut Context<'_>,
    server: &Server,
    dependency: &Dependency,
    timeout: Duration,
) -> Result<(), ManageError> {
    let failed = |reason: String| ManageError::Dependency {
        name: server.key.clone(),
        dependency: dependency.name.clone(),
        reason,
    };
    match dependency.kind.as_str() {
        "docker" => {
            docker_up(&server.key, &format!("dependency {}", dependency.name))?;
            docker::start_container(&dependency.fields, &dependency.name).map_err(failed)?;
            Ok(())
        }
        "service" => {
            let check = dependency.str("check_url");
            let answers = || match check {
                Some(url) => health::url_ok(url, Duration::from_secs(2)).map_err(|e| e.to_string()),
                None => Ok(()),
            };
            let key = dependency_key(server, dependency);
            if answers().is_ok() && (check.is_some() || ctx.runtime.running(&key).is_some()) {
                return Ok(());
            }
            let Some(command) = dependency.str("command") else {
                return answers().map_err(failed);
            };
            let launch = Launch {
                program: "sh".into(),
                args: vec!["-c".into(), command.to_owned()],
                env: Default::default(),
                cwd: server.path.clone().filter(|p| p.is_dir()),
            };
            let mut child = spawn(ctx, &key, &launch, None)?;
            wait_until(&mut child, timeout, answers).map_err(|reason| {
                process::stop_child(&mut child, Duration::from_secs(2));
                ctx.runtime.forget(&key);
                failed(format!(
                    "{reason}\nlast lines of {}:\n{}",
                    ctx.runtime.log_file(&key).display(),
                    tail(&ctx.runtime.log_file(&key), TAIL_LINES)
                ))
            })?;
            ctx.runtime.settle(&key)?;
            ctx.say(format!(
                "started dependency {} of {} (pid {})",
                dependency.name,
                server.key,
                child.id()
            ));
            Ok(())
        }
        other => Err(failed(format!(
            "unknown `type` {other:?}; use \"service\" or \"docker\""
        ))),
    }
}
