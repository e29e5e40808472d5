//! Docker: whether an engine answers, and starting a container entry or dependency with it.

use std::process::{Command, Stdio};

use serde_json::{Map, Value};

/// Whether a Docker engine answers `docker info` (false when the CLI is missing too).
pub fn engine_answers() -> bool {
    Command::new("docker")
        .args(["info", "--format", "{{.ServerVersion}}"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Starts the container `fields.name` (or `default_name`): `docker start` if it exists, else
/// `docker run -d` with its `image`, `ports` ({"host": "container"}) and `env`.
pub fn start_container(fields: &Map<String, Value>, default_name: &str) -> Result<String, String> {
    let name = fields
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(default_name);
    let started = Command::new("docker")
        .args(["start", name])
        .stdin(Stdio::null())
        .output();
    if started.is_ok_and(|o| o.status.success()) {
        return Ok(name.to_owned());
    }
    let image = fields
        .get("image")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("container {name} has no `image`"))?;
    let mut command = Command::new("docker");
    command.args(["run", "-d", "--name", name]);
    if let Some(Value::Object(ports)) = fields.get("ports") {
        for (host, container) in ports {
            let container = container
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| container.to_string());
            command.args(["-p", &format!("{host}:{container}")]);
        }
    }
    if let Some(Value::Object(env)) = fields.get("env") {
        for (key, value) in env {
            let value = value
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| value.to_string());
            command.args(["-e", &format!("{key}={value}")]);
        }
    }
    let output = command
        .arg(image)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run docker: {e}"))?;
    match output.status.success() {
        true => Ok(name.to_owned()),
        false => Err(format!(
            "`docker run` of {image} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// Stops the container `fields.name` (or `default_name`).
pub fn stop_container(fields: &Map<String, Value>, default_name: &str) -> Result<(), String> {
    let name = fields
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(default_name);
    let output = Command::new("docker")
        .args(["stop", name])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run docker: {e}"))?;
    match output.status.success() {
        true => Ok(()),
        false => Err(format!(
            "`docker stop {name}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}
