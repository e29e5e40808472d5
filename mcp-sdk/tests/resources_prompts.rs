//! Resources, prompts and capabilities through `TestClient`, in both protocol eras.
#![deny(warnings, missing_docs)]

use mcp_sdk::{
    prelude::*,
    rmcp::model::{PromptMessage, Role},
    testing::{Protocol, TestClient, result_text},
};
use serde_json::{Value, json};

/// The city names the server knows.
struct Cities(Vec<&'static str>);

/// Current conditions in a city.
#[resource("weather://{city}/current", mime_type = "application/json")]
async fn current(city: String, cities: State<Cities>) -> mcp_sdk::Result<Value> {
    ensure!(cities.0.contains(&city.as_str()), NotFound: "no weather for {city}");
    Ok(json!({"city": city, "celsius": 18}))
}

/// A daily reading for a city and a day number.
#[resource("weather://{city}/day/{day}")]
async fn day(city: String, day: u8) -> String {
    format!("{city} on day {day}: sunny")
}

/// What this server is.
#[resource("info://server", title = "Server info")]
async fn info() -> &'static str {
    "a weather server"
}

/// Ask for a forecast summary.
#[prompt(title = "Forecast summary")]
async fn summarize(
    /// The city.
    city: String,
    /// Tone of the summary.
    #[default("plain".to_owned())]
    tone: String,
    /// Number of days.
    days: Option<u8>,
) -> Vec<PromptMessage> {
    let days = days.unwrap_or(3);
    vec![
        PromptMessage::new_text(
            Role::User,
            format!("Summarize the {days}-day forecast for {city} in a {tone} tone."),
        ),
        PromptMessage::new_text(Role::Assistant, "Here is the summary:"),
    ]
}

/// A one-line prompt.
#[prompt]
async fn hello(
    /// Who to greet.
    name: String,
) -> String {
    format!("Say hello to {name}.")
}

/// Adds two numbers.
#[tool]
async fn add(
    /// First.
    a: i64,
    /// Second.
    b: i64,
) -> i64 {
    a + b
}

fn server() -> Server {
    Server::new()
        .tool(add)
        .resource(current)
        .resource(day)
        .resource(info)
        .prompt(summarize)
        .prompt(hello)
        .state(Cities(vec!["Paris", "Oslo"]))
}

#[tokio::test]
async fn a_templated_resource_reads_two_uris() {
    let client = TestClient::start(server()).await.unwrap();
    let paris: Value = serde_json::from_str(
        &client
            .read_resource_text("weather://Paris/current")
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(paris, json!({"city": "Paris", "celsius": 18}));
    let oslo: Value = serde_json::from_str(
        &client
            .read_resource_text("weather://Oslo/current")
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(oslo["city"], "Oslo");
    assert_eq!(
        client
            .read_resource_text("weather://Oslo/day/2")
            .await
            .unwrap(),
        "Oslo on day 2: sunny"
    );
    assert_eq!(
        client.read_resource_text("info://server").await.unwrap(),
        "a weather server"
    );
}

#[tokio::test]
async fn unknown_uris_are_resource_not_found() {
    let client = TestClient::start(server()).await.unwrap();
    let error = client
        .read_resource("weather://Paris/tomorrow")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert!(
        error
            .message()
            .contains("no resource matches `weather://Paris/tomorrow`"),
        "{error}"
    );
    let error = client
        .read_resource("weather://Atlantis/current")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.message(), "no weather for Atlantis");
    let error = client
        .read_resource("weather://Oslo/day/tomorrow")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidParams);
    assert!(
        error.message().contains("invalid argument `day`"),
        "{error}"
    );
}

#[tokio::test]
async fn resources_and_templates_are_listed_apart() {
    let client = TestClient::start(server()).await.unwrap();
    let resources = client.list_resources().await.unwrap();
    assert_eq!(resources.len(), 1);
    assert_eq!(resources[0].uri, "info://server");
    assert_eq!(resources[0].title.as_deref(), Some("Server info"));
    assert_eq!(
        resources[0].description.as_deref(),
        Some("What this server is.")
    );
    let templates = client.list_resource_templates().await.unwrap();
    let uris: Vec<&str> = templates.iter().map(|t| t.uri_template.as_str()).collect();
    assert_eq!(
        uris,
        ["weather://{city}/current", "weather://{city}/day/{day}"]
    );
    assert_eq!(templates[0].mime_type.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn a_prompt_with_arguments_returns_its_messages() {
    let client = TestClient::start(server()).await.unwrap();
    let prompts = client.list_prompts().await.unwrap();
    let summarize = prompts.iter().find(|p| p.name == "summarize").unwrap();
    assert_eq!(summarize.title.as_deref(), Some("Forecast summary"));
    let arguments = summarize.arguments.clone().unwrap();
    let shape: Vec<(&str, Option<bool>)> = arguments
        .iter()
        .map(|a| (a.name.as_str(), a.required))
        .collect();
    assert_eq!(
        shape,
        [
            ("city", Some(true)),
            ("tone", Some(false)),
            ("days", Some(false))
        ]
    );
    assert_eq!(arguments[0].description.as_deref(), Some("The city."));

    let result = client
        .get_prompt("summarize", json!({"city": "Paris", "days": "5"}))
        .await
        .unwrap();
    assert_eq!(result.messages.len(), 2);
    assert_eq!(result.messages[0].role, Role::User);
    assert_eq!(
        result.messages[0].content.as_text().unwrap().text,
        "Summarize the 5-day forecast for Paris in a plain tone."
    );
    let hello = client
        .get_prompt("hello", json!({"name": "Ada"}))
        .await
        .unwrap();
    assert_eq!(
        hello.messages[0].content.as_text().unwrap().text,
        "Say hello to Ada."
    );

    let missing = client.get_prompt("summarize", json!({})).await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::InvalidParams);
    assert!(
        missing
            .message()
            .contains("missing required argument `city`"),
        "{missing}"
    );
    let unknown = client.get_prompt("nope", json!({})).await.unwrap_err();
    assert!(
        unknown.message().contains("unknown prompt `nope`"),
        "{unknown}"
    );
}

#[tokio::test]
async fn capabilities_are_exactly_what_was_registered() {
    let all = TestClient::start(server()).await.unwrap();
    let capabilities = all.rmcp().peer_info().unwrap().capabilities.clone();
    assert!(
        capabilities.tools.is_some()
            && capabilities.resources.is_some()
            && capabilities.prompts.is_some()
    );
    assert!(capabilities.logging.is_none(), "nothing takes a Context");

    let tools_only = TestClient::start(Server::new().tool(add)).await.unwrap();
    let capabilities = tools_only.rmcp().peer_info().unwrap().capabilities.clone();
    assert!(capabilities.tools.is_some());
    assert!(capabilities.resources.is_none() && capabilities.prompts.is_none());
}

#[tokio::test]
async fn both_protocol_eras_list_and_call() {
    for protocol in [Protocol::Initialize2025, Protocol::Stateless2026] {
        let client = TestClient::start_with(server(), protocol).await.unwrap();
        let version = client
            .rmcp()
            .peer_info()
            .unwrap()
            .protocol_version
            .to_string();
        let expected = match protocol {
            Protocol::Initialize2025 => "2025-11-25",
            _ => "2026-07-28",
        };
        assert_eq!(version, expected);
        let tools = client.list_tools().await.unwrap();
        assert_eq!(tools[0].name, "add");
        let result = client.call("add", json!({"a": 2, "b": 3})).await.unwrap();
        assert_eq!(result_text(&result), "5", "{protocol:?}");
        assert_eq!(
            client
                .read_resource_text("weather://Paris/day/1")
                .await
                .unwrap(),
            "Paris on day 1: sunny"
        );
    }
}

#[test]
fn a_resource_needing_missing_state_fails_the_build() {
    let error = Server::new().resource(current).build().err().unwrap();
    assert!(
        error
            .message()
            .contains("resource `weather://{city}/current` takes State<"),
        "{error}"
    );
}

/// A hand-made tool whose structured output is a JSON array, not an object.
fn array_tool() -> mcp_sdk::ToolEntry {
    use mcp_sdk::rmcp::model::CallToolResult;
    let package = mcp_sdk::Package {
        name: "test",
        version: "0.0.0",
    };
    let mut builder =
        mcp_sdk::ToolBuilder::new("numbers", "Three numbers as structured content.", package);
    builder.build(|_call| {
        Box::pin(async {
            let mut result = CallToolResult::success(Vec::new());
            result.structured_content = Some(json!([1, 2, 3]));
            Ok(result)
        })
    })
}

#[tokio::test]
async fn unadvertised_methods_answer_method_not_found() {
    use mcp_sdk::rmcp::{
        ServiceError,
        model::{ArgumentInfo, CompleteRequestParams, ErrorCode, Reference},
    };
    let client = TestClient::start(Server::new().tool(add)).await.unwrap();
    let rmcp = client.rmcp();
    let code = |error: ServiceError| match error {
        ServiceError::McpError(data) => data.code,
        other => panic!("expected a JSON-RPC error, got {other}"),
    };
    let prompts = rmcp.list_prompts(None).await.unwrap_err();
    assert_eq!(code(prompts), ErrorCode::METHOD_NOT_FOUND);
    let resources = rmcp.list_resources(None).await.unwrap_err();
    assert_eq!(code(resources), ErrorCode::METHOD_NOT_FOUND);
    let templates = rmcp.list_resource_templates(None).await.unwrap_err();
    assert_eq!(code(templates), ErrorCode::METHOD_NOT_FOUND);
    let complete = rmcp
        .complete(CompleteRequestParams::new(
            Reference::for_prompt("hello"),
            ArgumentInfo::new("name", "A"),
        ))
        .await
        .unwrap_err();
    assert_eq!(code(complete), ErrorCode::METHOD_NOT_FOUND);
}

#[tokio::test]
async fn non_object_structured_output_is_text_for_2025_clients_only() {
    let server = || Server::new().tool(array_tool()).tool(add);
    let old = TestClient::start_with(server(), Protocol::Initialize2025)
        .await
        .unwrap();
    let result = old.call("numbers", json!({})).await.unwrap();
    assert_eq!(result.structured_content, None);
    assert_eq!(result_text(&result), "[1,2,3]");
    let sum = old.call("add", json!({"a": 1, "b": 2})).await.unwrap();
    assert_eq!(sum.structured_content, Some(json!({"result": 3})));

    let new = TestClient::start_with(server(), Protocol::Stateless2026)
        .await
        .unwrap();
    let result = new.call("numbers", json!({})).await.unwrap();
    assert_eq!(result.structured_content, Some(json!([1, 2, 3])));
}

/// The note that `note://current` shows.
#[derive(Default)]
struct Note(std::sync::Mutex<String>);

/// The current note.
#[resource("note://current")]
async fn note(note: State<Note>) -> String {
    note.0.lock().unwrap().clone()
}

/// Replaces the note; subscribers hear of it.
#[tool]
async fn write_note(
    /// The new text.
    text: String,
    note: State<Note>,
    ctx: Context,
) -> usize {
    *note.0.lock().unwrap() = text;
    ctx.notify_resource_updated("note://current").await
}

/// A one-pixel logo.
#[resource("logo://png", mime_type = "image/png")]
async fn logo() -> mcp_sdk::Blob {
    mcp_sdk::Blob::new(vec![0x89, b'P', b'N', b'G'])
}

/// A prompt with text and an image in two messages.
#[prompt]
async fn describe() -> (String, Image) {
    ("Describe this image.".to_owned(), Image::png([7u8]))
}

fn note_server() -> Server {
    Server::new()
        .resource(note)
        .resource(logo)
        .tool(write_note)
        .prompt(describe)
        .state(Note::default())
}

#[tokio::test]
async fn subscribers_hear_that_a_resource_changed() {
    let client = TestClient::start(note_server()).await.unwrap();
    let capabilities = client.rmcp().peer_info().unwrap().capabilities.clone();
    assert_eq!(capabilities.resources.unwrap().subscribe, Some(true));
    let told: usize = client
        .call_typed("write_note", json!({"text": "unheard"}))
        .await
        .unwrap();
    assert_eq!(told, 0, "nobody subscribed yet");

    client.subscribe("note://current").await.unwrap();
    let told: usize = client
        .call_typed("write_note", json!({"text": "buy milk"}))
        .await
        .unwrap();
    assert_eq!(told, 1);
    assert_eq!(
        client.next_resource_updated().await.as_deref(),
        Some("note://current")
    );
    assert_eq!(
        client.read_resource_text("note://current").await.unwrap(),
        "buy milk"
    );

    client.unsubscribe("note://current").await.unwrap();
    let told: usize = client
        .call_typed("write_note", json!({"text": "quiet"}))
        .await
        .unwrap();
    assert_eq!(told, 0);
    let unknown = client.subscribe("note://other").await.unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_2026_client_listens_for_changes() {
    use mcp_sdk::rmcp::model::{ServerNotification, SubscriptionFilter};
    let handler = note_server().build().unwrap();
    let client = TestClient::connect(handler.clone(), Protocol::Stateless2026)
        .await
        .unwrap();
    let filter = SubscriptionFilter::builder()
        .resource_subscriptions(["note://current", "note://other"])
        .tools_list_changed()
        .build();
    let mut listen = client.rmcp().listen(filter).await.unwrap();
    let accepted = listen.acknowledged().resource_subscriptions.clone();
    assert_eq!(accepted, Some(vec!["note://current".to_owned()]));
    let told: usize = client
        .call_typed("write_note", json!({"text": "buy milk"}))
        .await
        .unwrap();
    assert_eq!(told, 1);
    match listen.next().await.unwrap() {
        Some(ServerNotification::ResourceUpdatedNotification(n)) => {
            assert_eq!(n.params.uri, "note://current")
        }
        other => panic!("expected resources/updated, got {other:?}"),
    }
    handler.add_tool(add).await.unwrap();
    let next = listen.next().await.unwrap();
    assert!(
        matches!(
            next,
            Some(ServerNotification::ToolListChangedNotification(_))
        ),
        "{next:?}"
    );

    listen.cancel().await.unwrap();
    let told: usize = client
        .call_typed("write_note", json!({"text": "quiet"}))
        .await
        .unwrap();
    assert_eq!(told, 0);
}

#[tokio::test]
async fn a_binary_resource_is_a_blob_and_a_prompt_has_several_messages() {
    use mcp_sdk::rmcp::model::ResourceContents;
    let client = TestClient::start(note_server()).await.unwrap();
    let read = client.read_resource("logo://png").await.unwrap();
    match &read.contents[0] {
        ResourceContents::BlobResourceContents {
            blob, mime_type, ..
        } => {
            assert_eq!(blob, "iVBORw==");
            assert_eq!(mime_type.as_deref(), Some("image/png"));
        }
        other => panic!("expected a blob, got {other:?}"),
    }
    let prompt = client.get_prompt("describe", json!({})).await.unwrap();
    assert_eq!(prompt.messages.len(), 2);
    assert_eq!(
        prompt.messages[0].content.as_text().unwrap().text,
        "Describe this image."
    );
    let image = serde_json::to_value(&prompt.messages[1].content).unwrap();
    assert_eq!(
        image,
        json!({"type": "image", "data": "Bw==", "mimeType": "image/png"})
    );
}

#[tokio::test]
async fn completions_are_advertised_only_when_registered_and_filter_by_prefix() {
    use mcp_sdk::rmcp::model::{ArgumentInfo, CompleteRequestParams, Reference};
    let cities = || vec!["Oslo".to_owned(), "Osaka".to_owned(), "Paris".to_owned()];
    let completing = server()
        .completion("summarize", "city", move |typed| {
            cities()
                .into_iter()
                .filter(|c| c.starts_with(typed))
                .collect()
        })
        .completion("weather://{city}/current", "city", |_| vec!["Lima".into()]);
    let client = TestClient::start(completing).await.unwrap();
    let capabilities = client.rmcp().peer_info().unwrap().capabilities.clone();
    assert!(capabilities.completions.is_some());
    let complete = |reference: Reference, argument: &str, value: &str| {
        client.rmcp().complete(CompleteRequestParams::new(
            reference,
            ArgumentInfo::new(argument, value),
        ))
    };
    let result = complete(Reference::for_prompt("summarize"), "city", "Os")
        .await
        .unwrap();
    assert_eq!(result.completion.values, ["Oslo", "Osaka"]);
    assert_eq!(result.completion.total, Some(2));
    let result = complete(
        Reference::for_resource("weather://{city}/current"),
        "city",
        "",
    )
    .await
    .unwrap();
    assert_eq!(result.completion.values, ["Lima"]);
    let result = complete(Reference::for_prompt("summarize"), "tone", "p")
        .await
        .unwrap();
    assert!(result.completion.values.is_empty());

    let plain = TestClient::start(server()).await.unwrap();
    let capabilities = plain.rmcp().peer_info().unwrap().capabilities.clone();
    assert!(capabilities.completions.is_none());
}

#[tokio::test]
async fn items_change_while_serving_and_clients_hear_of_it() {
    let handler = Server::new()
        .tool(add)
        .resource(info)
        .prompt(hello)
        .build()
        .unwrap();
    let client = TestClient::connect(handler.clone(), Protocol::Initialize2025)
        .await
        .unwrap();
    let capabilities = client.rmcp().peer_info().unwrap().capabilities.clone();
    assert_eq!(capabilities.tools.unwrap().list_changed, Some(true));
    // The server learns of the session from `notifications/initialized`: let it arrive.
    client.list_tools().await.unwrap();

    handler.add_tool(array_tool()).await.unwrap();
    assert_eq!(
        client.next_change().await.as_deref(),
        Some("list_changed: tools")
    );
    let names: Vec<String> = client
        .list_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    assert_eq!(names, ["add", "numbers"]);
    let twice = handler.add_tool(array_tool()).await.unwrap_err();
    assert!(
        twice.message().contains("`numbers` exists already"),
        "{twice}"
    );

    assert!(handler.enable_tool("add", false).await);
    assert_eq!(
        client.next_change().await.as_deref(),
        Some("list_changed: tools")
    );
    assert_eq!(client.list_tools().await.unwrap().len(), 1);
    let hidden = client
        .call("add", json!({"a": 1, "b": 2}))
        .await
        .unwrap_err();
    assert!(hidden.message().contains("unknown tool `add`"), "{hidden}");
    assert!(handler.enable_tool("add", true).await);
    assert_eq!(
        client.next_change().await.as_deref(),
        Some("list_changed: tools")
    );
    assert_eq!(
        client
            .call_typed::<i64>("add", json!({"a": 1, "b": 2}))
            .await
            .unwrap(),
        3
    );

    assert!(handler.remove_resource("info://server").await);
    assert_eq!(
        client.next_change().await.as_deref(),
        Some("list_changed: resources")
    );
    assert!(client.list_resources().await.unwrap().is_empty());
    handler.add_resource(note).await.unwrap_err(); // needs State<Note>
    handler.add_resource(logo).await.unwrap();
    assert_eq!(
        client.next_change().await.as_deref(),
        Some("list_changed: resources")
    );

    assert!(handler.remove_prompt("hello").await);
    assert_eq!(
        client.next_change().await.as_deref(),
        Some("list_changed: prompts")
    );
    assert!(client.list_prompts().await.unwrap().is_empty());
    assert!(!handler.remove_prompt("hello").await);
}
