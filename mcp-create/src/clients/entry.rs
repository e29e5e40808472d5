//! The entry a client gets for a server, in the shape the client table describes.

use serde_json::{Map, Value, json};

use super::ClientError;
use super::table::{Client, Fields, TokenRef};
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
pub fn build(
    client: &Client,
    name: &str,
    spec: &Spec<'_>,
) -> Result<(Value, Vec<String>), ClientError> {
    let mut entry = Map::new();
    let mut notes = Vec::new();
    let fixed = |entry: &mut Map<String, Value>, fields: Fields| {
        for (key, text) in fields {
            let value = serde_json::from_str(text).expect("the table's fields are JSON");
            entry.insert((*key).into(), value);
        }
    };
    if client.named {
        entry.insert("name".into(), json!(name));
    }
    match spec {
        Spec::Stdio(launch) => {
            let shape = client.stdio;
            fixed(&mut entry, shape.fixed);
            let program = launch.program.to_string_lossy();
            if shape.array {
                let mut line = vec![program.into_owned()];
                line.extend(launch.args.iter().cloned());
                entry.insert(shape.command.into(), json!(line));
            } else {
                entry.insert(shape.command.into(), json!(program));
                entry.insert("args".into(), json!(launch.args));
            }
            if !launch.env.is_empty() {
                entry.insert(shape.env.into(), json!(launch.env));
            }
            fixed(&mut entry, shape.after);
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
            fixed(&mut entry, shape.after);
        }
    }
    Ok((Value::Object(entry), notes))
}
