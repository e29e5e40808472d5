//! Install links: `install --link` prints a link the client opens to add the server itself,
//! instead of writing its file. Cursor takes the entry as base64 JSON with the name beside it;
//! VS Code takes the entry with a `name` field, URL-encoded.

use base64::Engine;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::ClientError;
use super::table::Client;

/// The install link for `entry` named `name`, for the clients that have one.
pub fn link(client: &Client, name: &str, entry: &Value) -> Result<String, ClientError> {
    let query = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
    match client.id {
        "cursor" => {
            let config = base64::engine::general_purpose::STANDARD.encode(entry.to_string());
            Ok(format!(
                "cursor://anysphere.cursor-deeplink/mcp/install?name={}&config={}",
                query(name),
                query(&config)
            ))
        }
        "vscode" => {
            let mut named = serde_json::Map::new();
            named.insert("name".into(), name.into());
            if let Value::Object(fields) = entry {
                named.extend(fields.clone());
            }
            Ok(format!(
                "vscode:mcp/install?{}",
                query(&Value::Object(named).to_string())
            ))
        }
        _ => Err(ClientError::NoLink { client: client.id }),
    }
}
