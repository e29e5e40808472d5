//! Tools end to end through `TestClient`: schemas, results, errors, state and context.
#![deny(warnings, missing_docs)]

use std::sync::atomic::{AtomicUsize, Ordering};

use mcp_sdk::{
    prelude::*,
    testing::{TestClient, result_text},
};
use serde_json::{Value, json};

/// A forecast for one city.
#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema, Debug, PartialEq)]
pub struct Forecast {
    /// The city.
    pub city: String,
    /// Daily highs in degrees.
    pub highs: Vec<i32>,
}

/// Forecast of daily highs for a city.
#[tool(read_only, title = "Forecast")]
async fn forecast(
    /// City name, e.g. "Paris".
    city: String,
    /// Number of days, 1 to 7.
    days: u8,
    /// Units: "metric" or "imperial".
    units: Option<String>,
) -> mcp_sdk::Result<Forecast> {
    ensure!((1..=7).contains(&days), InvalidParams: "days must be 1 to 7, got {days}");
    let base = if units.as_deref() == Some("imperial") {
        68
    } else {
        20
    };
    Ok(Forecast {
        city,
        highs: (0..days as i32).map(|d| base + d).collect(),
    })
}

/// Greets someone.
#[tool(name = "say_hello")]
async fn greet(
    /// Who to greet.
    name: String,
    /// The greeting word.
    #[default("Hello".to_owned())]
    greeting: String,
) -> String {
    format!("{greeting}, {name}!")
}

/// Fails on purpose when asked about Atlantis.
#[tool]
async fn lookup(
    /// The city to look up.
    city: String,
) -> mcp_sdk::Result<String> {
    if city == "Atlantis" {
        bail!("no city named {city}; try a real one, e.g. Paris");
    }
    Ok(format!("{city} exists"))
}

/// Panics when told to.
#[tool]
async fn fragile(
    /// Whether to panic.
    explode: bool,
) -> String {
    assert!(!explode, "boom: the tool was told to explode");
    "still standing".into()
}

/// Counts how often it was called.
#[derive(Default)]
struct Visits(AtomicUsize);

/// Records a visit and returns how many there were.
#[tool]
async fn visit(visits: State<Visits>) -> usize {
    visits.0.fetch_add(1, Ordering::SeqCst) + 1
}

/// Does three steps, reporting progress and logging to the client.
#[tool]
async fn three_steps(ctx: Context) {
    ctx.info("starting three steps").await;
    for step in 1..=3 {
        ctx.progress_message(step as f64, 3.0, format!("step {step}"))
            .await;
    }
}

async fn client() -> TestClient {
    let server = Server::new()
        .tool(forecast)
        .tool(greet)
        .tool(lookup)
        .tool(fragile)
        .tool(visit)
        .tool(three_steps)
        .state(Visits::default());
    TestClient::start(server).await.expect("the server starts")
}

#[tokio::test]
async fn documented_arguments_make_the_input_schema() {
    let client = client().await;
    let tools = client.list_tools().await.unwrap();
    let tool = tools
        .iter()
        .find(|tool| tool.name == "forecast")
        .expect("forecast is listed");
    assert_eq!(
        tool.description.as_deref(),
        Some("Forecast of daily highs for a city.")
    );
    assert_eq!(tool.title.as_deref(), Some("Forecast"));
    assert_eq!(
        tool.annotations.as_ref().and_then(|a| a.read_only_hint),
        Some(true)
    );
    let schema = Value::Object((*tool.input_schema).clone());
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["required"], json!(["city", "days"]));
    assert_eq!(
        schema["properties"]["city"]["description"],
        "City name, e.g. \"Paris\"."
    );
    assert_eq!(schema["properties"]["city"]["type"], "string");
    assert_eq!(
        schema["properties"]["days"]["description"],
        "Number of days, 1 to 7."
    );
    assert_eq!(schema["properties"]["days"]["type"], "integer");
    assert_eq!(
        schema["properties"]["units"]["description"],
        "Units: \"metric\" or \"imperial\"."
    );
    assert_eq!(
        schema["properties"]["units"]["type"],
        json!(["string", "null"])
    );
    let output = Value::Object(
        (*tool
            .output_schema
            .clone()
            .expect("structured output has a schema"))
        .clone(),
    );
    assert_eq!(output["type"], "object");
    assert_eq!(output["properties"]["highs"]["type"], "array");
}

#[tokio::test]
async fn a_call_returns_text_and_structured_content() {
    let client = client().await;
    let result = client
        .call("forecast", json!({"city": "Paris", "days": 3}))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(false));
    let expected = json!({"city": "Paris", "highs": [20, 21, 22]});
    assert_eq!(result.structured_content, Some(expected.clone()));
    assert_eq!(
        serde_json::from_str::<Value>(&result_text(&result)).unwrap(),
        expected
    );

    let typed: Forecast = client
        .call_typed(
            "forecast",
            json!({"city": "Oslo", "days": 1, "units": "imperial"}),
        )
        .await
        .unwrap();
    assert_eq!(
        typed,
        Forecast {
            city: "Oslo".into(),
            highs: vec![68]
        }
    );
}

#[tokio::test]
async fn names_and_defaults_come_from_the_attribute() {
    let client = client().await;
    let tools = client.list_tools().await.unwrap();
    let tool = tools
        .iter()
        .find(|tool| tool.name == "say_hello")
        .expect("renamed tool is listed");
    let schema = Value::Object((*tool.input_schema).clone());
    assert_eq!(schema["required"], json!(["name"]));
    assert_eq!(schema["properties"]["greeting"]["default"], "Hello");
    let text: String = client
        .call_typed("say_hello", json!({"name": "Ada"}))
        .await
        .unwrap();
    assert_eq!(text, "Hello, Ada!");
    let text: String = client
        .call_typed("say_hello", json!({"name": "Ada", "greeting": "Hi"}))
        .await
        .unwrap();
    assert_eq!(text, "Hi, Ada!");
}

#[tokio::test]
async fn bail_reaches_the_client() {
    let client = client().await;
    let result = client
        .call("lookup", json!({"city": "Atlantis"}))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(true));
    assert_eq!(
        result_text(&result),
        "no city named Atlantis; try a real one, e.g. Paris"
    );
    let result = client
        .call("forecast", json!({"city": "Paris", "days": 9}))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(true));
    assert_eq!(result_text(&result), "days must be 1 to 7, got 9");
}

#[tokio::test]
async fn bad_arguments_name_the_argument() {
    let client = client().await;
    let result = client
        .call("forecast", json!({"city": "Paris", "days": "three"}))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(true));
    let text = result_text(&result);
    assert!(text.contains("invalid argument `days`"), "{text}");
    assert!(text.contains("expected u8"), "{text}");

    let result = client.call("forecast", json!({"days": 2})).await.unwrap();
    assert_eq!(
        result_text(&result),
        "missing required argument `city`; this tool takes: city, days, units"
    );

    let result = client
        .call("forecast", json!({"city": "Paris", "days": 2, "cty": "x"}))
        .await
        .unwrap();
    assert_eq!(
        result_text(&result),
        "unknown argument `cty`; this tool takes: city, days, units"
    );
}

#[tokio::test]
async fn an_unknown_tool_is_a_protocol_error() {
    let client = client().await;
    let error = client.call("nope", json!({})).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidParams);
    assert!(error.message().contains("unknown tool `nope`"), "{error}");
}

#[tokio::test]
async fn a_panicking_tool_is_an_error_and_the_session_goes_on() {
    let client = client().await;
    let result = client
        .call("fragile", json!({"explode": true}))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(true));
    assert!(result_text(&result).contains("internal error in tool `fragile`"));
    let text: String = client
        .call_typed("fragile", json!({"explode": false}))
        .await
        .unwrap();
    assert_eq!(text, "still standing");
}

#[tokio::test]
async fn tools_share_state() {
    let client = client().await;
    let tools = client.list_tools().await.unwrap();
    let visit = tools.iter().find(|tool| tool.name == "visit").unwrap();
    assert_eq!(
        visit.input_schema.get("properties"),
        Some(&json!({})),
        "State is not an argument"
    );
    assert_eq!(
        client
            .call_typed::<usize>("visit", json!({}))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        client
            .call_typed::<usize>("visit", json!({}))
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn progress_and_logs_reach_the_client_in_order() {
    let client = client().await;
    let result = client.call("three_steps", json!({})).await.unwrap();
    assert_eq!(result.is_error, Some(false));
    for step in 1..=3 {
        let progress = client
            .next_progress()
            .await
            .expect("a progress notification");
        assert_eq!(progress.progress, step as f64);
        assert_eq!(progress.total, Some(3.0));
        assert_eq!(progress.message, Some(format!("step {step}")));
    }
    let log = client.next_log().await.expect("a log message");
    assert_eq!(log.level, LogLevel::Info);
    assert_eq!(log.data, json!("starting three steps"));
    assert_eq!(log.logger.as_deref(), Some("three_steps"));
}

/// Logs `text` at info level.
#[tool]
async fn say(
    /// What to log.
    text: String,
    ctx: Context,
) {
    ctx.info(text).await;
}

#[tokio::test]
#[allow(deprecated)] // MCP logging is deprecated by SEP-2577 but still what clients show.
async fn a_2026_client_hears_logs_only_at_the_level_its_request_names() {
    use mcp_sdk::{
        rmcp::model::{CallToolRequestParams, LoggingLevel, RequestMetaObject},
        testing::Protocol,
    };
    let client = TestClient::start_with(Server::new().tool(say), Protocol::Stateless2026)
        .await
        .unwrap();
    let say = |text: &str, level: Option<LoggingLevel>| {
        let mut params = CallToolRequestParams::new("say")
            .with_arguments(json!({ "text": text }).as_object().unwrap().clone());
        if let Some(level) = level {
            let mut meta = RequestMetaObject::default();
            meta.set_log_level(level);
            params.meta = Some(meta);
        }
        client.rmcp().call_tool(params)
    };
    say("no level: quiet", None).await.unwrap();
    say("warning wanted: quiet", Some(LoggingLevel::Warning))
        .await
        .unwrap();
    say("info wanted: heard", Some(LoggingLevel::Info))
        .await
        .unwrap();
    let log = client.next_log().await.expect("a log message");
    assert_eq!(log.data, json!("info wanted: heard"));
}

#[tokio::test]
async fn the_server_reports_the_defining_crate_and_its_capabilities() {
    let client = client().await;
    let info = client.server_info().unwrap();
    assert_eq!(info.name, env!("CARGO_PKG_NAME"));
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
}

/// Looks a city up elsewhere, under the same name as `lookup`.
#[tool(name = "lookup")]
async fn lookup_elsewhere(
    /// The city to look up.
    city: String,
) -> String {
    city
}

#[test]
fn two_tools_with_one_name_fail_the_build() {
    let error = Server::new()
        .tool(lookup)
        .tool(lookup_elsewhere)
        .build()
        .err()
        .expect("duplicate names are refused");
    let message = error.message();
    assert!(
        message.contains("two tools are named `lookup`"),
        "{message}"
    );
    assert!(message.contains("rename one"), "{message}");
}

#[test]
fn the_same_tool_registered_twice_fails_the_build_saying_so() {
    let error = Server::new()
        .tool(lookup)
        .tool(lookup)
        .build()
        .err()
        .expect("a second registration is refused");
    let message = error.message();
    assert!(
        message.contains("tool `lookup` is registered twice"),
        "{message}"
    );
    assert!(message.contains("remove one"), "{message}");
    assert!(!message.contains("rename"), "{message}");
}

/// How bad a log line is.
#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something failed.
    Error,
    /// Something looks wrong.
    Warn,
    /// Routine events.
    Info,
}

/// A span of time.
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct Window {
    /// Minutes back from now where the window starts.
    pub from_minutes_ago: u32,
    /// The lowest level in the window.
    pub level: Level,
}

/// A filter that nests: the one recursive type, which keeps its `$ref`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct Filter {
    /// Text a line must contain.
    pub contains: String,
    /// Filters that must hold too.
    pub and: Vec<Filter>,
}

/// How many lines matched.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Count {
    /// The level counted, if one was asked for.
    pub level: Option<Level>,
    /// Matching lines.
    pub lines: usize,
}

/// Counts matching log lines.
#[tool]
async fn count_logs(
    /// Only lines at this level; all levels when left out.
    level: Option<Level>,
    /// Where to look.
    window: Window,
    /// A nested filter.
    filter: Option<Filter>,
) -> Count {
    let _ = (window, filter);
    Count { level, lines: 0 }
}

/// Every `$ref` in `value`, by JSON pointer.
fn refs(value: &Value, at: &str) -> Vec<String> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, value)| match key.as_str() {
                "$ref" => vec![format!("{at}/$ref")],
                _ => refs(value, &format!("{at}/{key}")),
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(index, value)| refs(value, &format!("{at}/{index}")))
            .collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn enums_and_structs_are_inline_in_input_and_output_schemas() {
    let client = TestClient::start(Server::new().tool(count_logs))
        .await
        .unwrap();
    let tools = client.list_tools().await.unwrap();
    let schema = Value::Object((*tools[0].input_schema).clone());
    let properties = &schema["properties"];
    // Only the recursive type refers to a definition; enums and plain structs are written out.
    assert_eq!(
        refs(&schema, ""),
        [
            "/properties/filter/properties/and/items/$ref",
            "/$defs/Filter/properties/and/items/$ref"
        ],
        "{schema:#}"
    );
    let text = |value: &Value| value.to_string();
    let level = text(&properties["level"]);
    for value in [
        "\"error\"",
        "\"warn\"",
        "\"info\"",
        "Something looks wrong.",
    ] {
        assert!(level.contains(value), "{value} in {level}");
    }
    assert!(level.contains("null"), "level may be null: {level}");
    let window = &properties["window"];
    assert_eq!(window["description"], "Where to look.");
    assert_eq!(
        window["properties"]["from_minutes_ago"]["description"],
        "Minutes back from now where the window starts."
    );
    assert!(
        text(&window["properties"]["level"]).contains("\"warn\""),
        "{window}"
    );
    // The output schema too.
    let output = Value::Object((*tools[0].output_schema.clone().unwrap()).clone());
    assert!(refs(&output, "").is_empty(), "{output:#}");
    assert!(text(&output).contains("Something looks wrong."), "{output}");
}

#[test]
fn missing_state_fails_the_build() {
    let error = Server::new()
        .tool(visit)
        .build()
        .err()
        .expect("missing state is refused");
    let message = error.message();
    assert!(message.contains("tool `visit` takes State<"), "{message}");
    assert!(message.contains("Visits"), "{message}");
}

/// How a user wants to be contacted.
#[derive(serde::Deserialize, schemars::JsonSchema, Debug, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// By email.
    Email,
    /// By phone.
    Phone,
}

/// The form `book` asks the user to fill in.
#[derive(serde::Deserialize, schemars::JsonSchema, Debug, PartialEq)]
pub struct Booking {
    /// Number of guests.
    pub guests: u8,
    /// How to confirm.
    pub channel: Channel,
    /// Whether to send reminders.
    #[serde(default = "yes")]
    #[schemars(default = "yes")]
    pub reminders: bool,
}

fn yes() -> bool {
    true
}

/// Books a table after asking the user for the details.
#[tool]
async fn book(ctx: Context) -> mcp_sdk::Result<String> {
    Ok(match ctx.elicit::<Booking>("How many guests?").await? {
        Elicitation::Accepted(b) => format!("booked for {} by {:?}", b.guests, b.channel),
        Elicitation::Declined => "not booked: declined".into(),
        Elicitation::Cancelled => "not booked: cancelled".into(),
    })
}

/// Asks the client's model for a haiku.
#[tool]
async fn haiku(ctx: Context) -> mcp_sdk::Result<String> {
    let request = Sampling::new()
        .system("You write haiku.")
        .user("A haiku about rust")
        .max_tokens(60)
        .model_hint("claude");
    let sample = ctx.sample(request).await?;
    Ok(format!("{} ({})", sample.text, sample.model))
}

/// Lists the client's roots.
#[tool]
async fn roots(ctx: Context) -> mcp_sdk::Result<Vec<String>> {
    Ok(ctx.roots().await?.into_iter().map(|r| r.uri).collect())
}

/// A picture and its caption.
#[tool]
async fn picture() -> (String, Image, Audio) {
    (
        "a dot".to_owned(),
        Image::png([1u8, 2, 3]),
        Audio::wav(b"RIFF"),
    )
}

/// A link and an embedded resource.
#[tool]
async fn links() -> Vec<Content> {
    vec![
        Content::Link(mcp_sdk::ResourceLink::new("file:///a.txt", "a.txt")),
        Content::Embedded(mcp_sdk::Embedded::text(
            "file:///b.txt",
            "bee",
            "text/plain",
        )),
    ]
}

fn asking_server() -> Server {
    Server::new()
        .tool(book)
        .tool(haiku)
        .tool(roots)
        .tool(picture)
        .tool(links)
}

#[tokio::test]
async fn a_tool_elicits_a_typed_form() {
    use mcp_sdk::testing::{Answers, Protocol};
    let answer = json!({"guests": 4, "channel": "phone", "reminders": false});
    let answers = Answers::default().elicitation(Elicitation::Accepted(answer));
    let client = TestClient::start_answering(asking_server(), Protocol::Initialize2025, answers)
        .await
        .unwrap();
    let result = client.call("book", json!({})).await.unwrap();
    assert_eq!(result_text(&result), "booked for 4 by Phone");
    let asked = client.next_request().await.unwrap();
    assert_eq!(asked["message"], "How many guests?");
    let schema = &asked["requestedSchema"];
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["properties"]["channel"]["oneOf"],
        json!([{"const": "email", "title": "By email."}, {"const": "phone", "title": "By phone."}])
    );
    assert_eq!(schema["properties"]["reminders"]["default"], true);
    assert_eq!(schema["properties"]["guests"]["type"], "integer");

    for (answer, text) in [
        (Elicitation::Declined, "not booked: declined"),
        (Elicitation::Cancelled, "not booked: cancelled"),
    ] {
        let answers = Answers::default().elicitation(answer);
        let client =
            TestClient::start_answering(asking_server(), Protocol::Initialize2025, answers)
                .await
                .unwrap();
        let result = client.call("book", json!({})).await.unwrap();
        assert_eq!(result_text(&result), text);
    }
}

#[tokio::test]
async fn a_tool_samples_the_clients_model_and_lists_roots() {
    use mcp_sdk::testing::{Answers, Protocol};
    let answers = Answers::default()
        .sampling("Iron turns to red")
        .roots(&[("file:///work", "work")]);
    let client = TestClient::start_answering(asking_server(), Protocol::Initialize2025, answers)
        .await
        .unwrap();
    let result = client.call("haiku", json!({})).await.unwrap();
    assert_eq!(result_text(&result), "Iron turns to red (test-model)");
    let asked = client.next_request().await.unwrap();
    assert_eq!(asked["systemPrompt"], "You write haiku.");
    assert_eq!(asked["maxTokens"], 60);
    assert_eq!(asked["modelPreferences"]["hints"][0]["name"], "claude");
    assert_eq!(
        asked["messages"][0]["content"]["text"],
        "A haiku about rust"
    );
    let roots: Vec<String> = client.call_typed("roots", json!({})).await.unwrap();
    assert_eq!(roots, ["file:///work"]);
}

#[tokio::test]
async fn a_2026_client_answers_through_input_required_rounds() {
    use mcp_sdk::testing::{Answers, Protocol};
    let answer = json!({"guests": 2, "channel": "email"});
    let answers = Answers::default()
        .elicitation(Elicitation::Accepted(answer))
        .sampling("Iron turns to red")
        .roots(&[("file:///work", "work")]);
    let client = TestClient::start_answering(asking_server(), Protocol::Stateless2026, answers)
        .await
        .unwrap();
    // The same tools as in 2025: rmcp's client fulfils each round and retries.
    let result = client.call("book", json!({})).await.unwrap();
    assert_eq!(result_text(&result), "booked for 2 by Email");
    assert_eq!(
        client.next_request().await.unwrap()["message"],
        "How many guests?"
    );
    let result = client.call("haiku", json!({})).await.unwrap();
    assert_eq!(result_text(&result), "Iron turns to red (test-model)");
    let roots: Vec<String> = client.call_typed("roots", json!({})).await.unwrap();
    assert_eq!(roots, ["file:///work"]);

    // On the wire: no request to the client, an input_required result instead.
    let once = client
        .rmcp()
        .call_tool_once(mcp_sdk::rmcp::model::CallToolRequestParams::new("book"))
        .await
        .unwrap();
    let input = serde_json::to_value(mcp_sdk::rmcp::model::ServerResult::from(once)).unwrap();
    assert_eq!(input["resultType"], "input_required");
    let asked = &input["inputRequests"]["1-elicitation"];
    assert_eq!(asked["method"], "elicitation/create");
    assert_eq!(asked["params"]["message"], "How many guests?");
}

/// How many times `trip` started.
static TRIPS: AtomicUsize = AtomicUsize::new(0);

/// Asks twice, counting its runs.
#[tool]
async fn trip(ctx: Context) -> mcp_sdk::Result<String> {
    TRIPS.fetch_add(1, Ordering::SeqCst);
    #[derive(serde::Deserialize, schemars::JsonSchema)]
    struct Where {
        /// The city.
        city: String,
    }
    let Elicitation::Accepted(place) = ctx.elicit::<Where>("Where to?").await? else {
        return Ok("staying home".into());
    };
    let idea = ctx
        .sample(format!("Something to do in {}", place.city))
        .await?;
    Ok(format!("{}: {}", place.city, idea.text))
}

#[tokio::test]
async fn a_2026_tool_runs_again_for_each_round_of_answers() {
    use mcp_sdk::testing::{Answers, Protocol};
    for (protocol, runs) in [(Protocol::Initialize2025, 1), (Protocol::Stateless2026, 3)] {
        let answers = Answers::default()
            .elicitation(Elicitation::Accepted(json!({"city": "Oslo"})))
            .sampling("a fjord");
        let client = TestClient::start_answering(Server::new().tool(trip), protocol, answers)
            .await
            .unwrap();
        TRIPS.store(0, Ordering::SeqCst);
        let result = client.call("trip", json!({})).await.unwrap();
        assert_eq!(result_text(&result), "Oslo: a fjord", "{protocol:?}");
        // 2026: the first run asks where, the second what to do there, the third finishes.
        assert_eq!(TRIPS.load(Ordering::SeqCst), runs, "{protocol:?}");
    }
}

#[tokio::test]
async fn a_client_without_the_capability_gets_a_clear_error() {
    let client = TestClient::start(asking_server()).await.unwrap();
    for (tool, capability) in [
        ("book", "elicitation"),
        ("haiku", "sampling"),
        ("roots", "roots"),
    ] {
        let result = client.call(tool, json!({})).await.unwrap();
        assert_eq!(result.is_error, Some(true), "{tool}");
        let text = result_text(&result);
        assert!(
            text.contains(&format!(
                "the client did not declare the `{capability}` capability"
            )),
            "{text}"
        );
        assert!(text.starts_with(&format!("`{tool}` needs to")), "{text}");
    }
}

#[tokio::test]
async fn a_2026_client_without_the_capability_gets_error_32021() {
    use mcp_sdk::{
        rmcp::{ServiceError, model::ErrorCode},
        testing::Protocol,
    };
    let client = TestClient::start_with(asking_server(), Protocol::Stateless2026)
        .await
        .unwrap();
    for (tool, capability) in [("book", "elicitation"), ("haiku", "sampling")] {
        let params = mcp_sdk::rmcp::model::CallToolRequestParams::new(tool);
        let error = client.rmcp().call_tool(params).await.unwrap_err();
        let ServiceError::McpError(error) = error else {
            panic!("expected a JSON-RPC error, got {error}");
        };
        assert_eq!(error.code, ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY);
        let data = error.data.unwrap();
        assert_eq!(data["requiredCapabilities"], json!({ capability: {} }));
        let expected = format!("the client did not declare the `{capability}` capability");
        assert_eq!(error.message, expected);
    }
}

#[tokio::test]
async fn tools_return_images_audio_links_and_embedded_resources() {
    let client = TestClient::start(asking_server()).await.unwrap();
    let result = client.call("picture", json!({})).await.unwrap();
    let blocks = serde_json::to_value(&result.content).unwrap();
    assert_eq!(blocks[0], json!({"type": "text", "text": "a dot"}));
    assert_eq!(
        blocks[1],
        json!({"type": "image", "data": "AQID", "mimeType": "image/png"})
    );
    assert_eq!(
        blocks[2],
        json!({"type": "audio", "data": "UklGRg==", "mimeType": "audio/wav"})
    );
    assert_eq!(result.structured_content, None);
    let tools = client.list_tools().await.unwrap();
    let picture = tools.iter().find(|t| t.name == "picture").unwrap();
    assert!(picture.output_schema.is_none());

    let result = client.call("links", json!({})).await.unwrap();
    let blocks = serde_json::to_value(&result.content).unwrap();
    assert_eq!(blocks[0]["type"], "resource_link");
    assert_eq!(blocks[0]["uri"], "file:///a.txt");
    assert_eq!(blocks[1]["type"], "resource");
    assert_eq!(blocks[1]["resource"]["text"], "bee");
}

#[tokio::test]
async fn input_schemas_declare_json_schema_2020_12() {
    let client = client().await;
    for tool in client.list_tools().await.unwrap() {
        assert_eq!(
            tool.input_schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{}",
            tool.name
        );
    }
}
