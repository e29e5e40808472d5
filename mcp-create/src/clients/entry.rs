//! The entry a client gets for a server, in the shape the client table describes.

use serde_json::{Map, Value, json};

use super::ClientError;
use super::table::{Client, TokenRef};
use crate::connect::Launch;

/// What the entry points at.
pub enum Spec<'a> {
    /// A command the client launches.
    Stdio(&'a Launch),
    /// A running server's URL; `token_var` names the variable holding its bearer token.
    Http {
        url: &'a str,
        token_var: Option<&'a str>,
    },
}

/// The entry, and notes for the user about what it could not hold.
pub fn build(client: &Client, spec: &Spec<'_>) -> Result<(Value, Vec<String>), ClientError> {
    let mut entry = Map::new();
    let mut notes = Vec::new();
    let fixed = |entry: &mut Map<String, Value>, fields: &[(&str, &str)]| {
        for (key, value) in fields {
            entry.insert((*key).into(), json!(value));
        }
    };
    match spec {
        Spec::Stdio(launch) => {
            fixed(&mut entry, client.stdio_fixed);
            entry.insert("command".into(), json!(launch.program.to_string_lossy()));
            entry.insert("args".into(), json!(launch.args));
            if !launch.env.is_empty() {
                entry.insert("env".into(), json!(launch.env));
            }
        }
        Spec::Http { url, token_var } => {
            let shape = client.http.map_err(|reason| ClientError::Unsupported {
                client: client.id,
                reason: reason.into(),
            })?;
            fixed(&mut entry, shape.fixed);
            entry.insert(shape.url_key.into(), json!(url));
            match (token_var, shape.token) {
                (None, _) => {}
                (Some(var), TokenRef::Header(text)) => {
                    let header = text.replace("{VAR}", var);
                    entry.insert("headers".into(), json!({ "Authorization": header }));
                }
                (Some(var), TokenRef::EnvField(field)) => {
                    entry.insert(field.into(), json!(var));
                }
                (Some(var), TokenRef::Unsupported) => notes.push(format!(
                    "{} cannot read a token from the environment: add \"headers\": \
                     {{\"Authorization\": \"Bearer <token>\"}} to the entry yourself (the server \
                     expects ${var})",
                    client.name
                )),
            }
        }
    }
    Ok((Value::Object(entry), notes))
}
