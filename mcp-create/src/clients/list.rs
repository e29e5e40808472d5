//! `mcp-create clients`: every client in the table, whether it is on this machine, and its
//! config file for each scope.

use std::io::Write;

use serde_json::{Value, json};

use super::error::Result;
use super::paths::{self, Env};
use super::table::{CLIENTS, Client};
use crate::error::Error;

/// One client as listed: its id, whether it was found, and `(scope, path)` per config file.
struct Listed {
    client: &'static Client,
    found: bool,
    scopes: Vec<(&'static str, String)>,
}

/// `mcp-create clients [--json]`.
pub fn clients(out: &mut dyn Write) -> Result<()> {
    let env = Env::current();
    let listed: Vec<Listed> = CLIENTS
        .iter()
        .map(|client| Listed {
            client,
            found: paths::found(&env, client),
            scopes: client
                .locations
                .iter()
                .map(|location| {
                    let path = paths::resolve_in(&env, client, *location)
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|e| format!("({e})"));
                    let path = match location.nest {
                        [] => path,
                        nest => format!("{path} ({}.{})", nest.join("."), client.container.key()),
                    };
                    (location.scope.name(), path)
                })
                .collect(),
        })
        .collect();
    let written = if crate::output::json() {
        crate::output::json::print(out, "clients", to_json(&listed))
    } else {
        let mut text = String::new();
        for item in &listed {
            let found = if item.found { "found" } else { "not found" };
            text.push_str(&format!(
                "{} ({}): {found}\n",
                item.client.id, item.client.name
            ));
            for (scope, path) in &item.scopes {
                text.push_str(&format!("  {scope:8} {path}\n"));
            }
        }
        out.write_all(text.as_bytes())
    };
    written.map_err(|e| Error::io("write to", "standard output")(e).into())
}

/// The fields of the `--json` document (shape in docs/cli.md).
fn to_json(listed: &[Listed]) -> Value {
    let clients: Vec<Value> = listed
        .iter()
        .map(|item| {
            let scopes: Vec<Value> = item
                .scopes
                .iter()
                .map(|(scope, path)| json!({"scope": scope, "path": path}))
                .collect();
            json!({"name": item.client.id, "found": item.found, "scopes": scopes})
        })
        .collect();
    json!({"clients": clients})
}
