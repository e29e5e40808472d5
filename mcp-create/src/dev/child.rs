//! Bringing up one server child for the front: started by the one probe spawn
//! ([`crate::connect`]), the client's handshake replayed in the version the client negotiated,
//! and its tool, prompt and resource lists taken, so a reload can tell what changed.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines};
use tokio::process::ChildStdin;

use crate::connect::{self, Environment, GRACE, Launch, ServerProcess};

/// How long a new child may take to answer its handshake and lists.
const HANDSHAKE: Duration = Duration::from_secs(30);

/// The lists a reload compares: `tools`, `prompts`, `resources`, as the child listed them.
pub type Lists = BTreeMap<&'static str, Value>;

/// The kinds of list, and the notification that says one changed.
pub const KINDS: [(&str, &str); 3] = [
    ("tools", "notifications/tools/list_changed"),
    ("prompts", "notifications/prompts/list_changed"),
    ("resources", "notifications/resources/list_changed"),
];

/// A child that completed its handshake.
pub struct Ready {
    pub process: ServerProcess,
    pub stdin: ChildStdin,
    pub lines: Lines<BufReader<DuplexStream>>,
    /// Its answer to `initialize`.
    pub init: Value,
    pub lists: Lists,
}

/// Starts `launch`, sends `initialize` with `params` and `notifications/initialized`, and lists
/// what its capabilities announce; on failure, why (with its stderr), the child stopped.
pub async fn bring_up(launch: &Launch, params: &Value) -> Result<Ready, String> {
    let (mut process, (stdout, mut stdin)) =
        connect::spawn(launch, Environment::Inherited).map_err(|e| e.to_string())?;
    let mut lines = BufReader::new(stdout).lines();
    let exchange = async {
        let init = request(&mut stdin, &mut lines, "initialize", params.clone()).await?;
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        )
        .await?;
        let mut lists = Lists::new();
        for (kind, _) in KINDS {
            if init["capabilities"].get(kind).is_some() {
                let method = format!("{kind}/list");
                let listed = request(&mut stdin, &mut lines, &method, json!({})).await?;
                lists.insert(kind, listed[kind].clone());
            }
        }
        Ok::<_, String>((init, lists))
    };
    let failure = match tokio::time::timeout(HANDSHAKE, exchange).await {
        Ok(Ok((init, lists))) => {
            return Ok(Ready {
                process,
                stdin,
                lines,
                init,
                lists,
            });
        }
        Ok(Err(reason)) => reason,
        Err(_) => format!("no answer within {} s", HANDSHAKE.as_secs()),
    };
    drop(stdin);
    process.stop(GRACE).await;
    let stderr = process.stderr_so_far();
    Err(format!(
        "`{}` failed its handshake: {failure}{}{}",
        launch.display(),
        if stderr.trim().is_empty() {
            ""
        } else {
            "; its stderr:\n"
        },
        stderr.trim_end()
    ))
}

async fn send(stdin: &mut ChildStdin, message: &Value) -> Result<(), String> {
    let line = format!("{message}\n");
    stdin
        .write_all(line.as_bytes())
        .await
        .map_err(|e| format!("its stdin closed ({e})"))
}

/// Sends the request `method` and waits for its answer, dropping whatever else comes first.
async fn request(
    stdin: &mut ChildStdin,
    lines: &mut Lines<BufReader<DuplexStream>>,
    method: &str,
    params: Value,
) -> Result<Value, String> {
    let id = format!("mcp-create-dev:{method}");
    let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
    send(stdin, &message).await?;
    loop {
        let line = lines
            .next_line()
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("it exited before answering {method}"))?;
        let Ok(answer) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if answer["id"] != json!(id) || answer.get("method").is_some() {
            continue;
        }
        if let Some(error) = answer.get("error") {
            return Err(format!("{method} answered an error: {error}"));
        }
        return Ok(answer["result"].clone());
    }
}
