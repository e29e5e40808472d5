//! What a server may ask of the client during a request: a form filled in by the user
//! (elicitation), a completion from the client's model (sampling), and the client's roots.

#![allow(deprecated)] // Sampling and roots are deprecated by SEP-2577 but still what 2025 clients offer.

use rmcp::{
    model::{
        ClientCapabilities, ClientResult, CreateMessageRequest, CreateMessageRequestParams,
        CreateMessageResult, ElicitRequest, ElicitRequestParams, ElicitResult, ElicitationAction,
        ElicitationSchema, InputRequest, ListRootsRequest, ListRootsResult, ModelHint,
        ModelPreferences, Role, SamplingMessage, SamplingMessageContentBlock, ServerRequest,
    },
    service::ServiceError,
};
use schemars::{JsonSchema, generate::SchemaSettings};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::{Context, Error, ErrorKind, Image, Result, rounds::Rounds};

/// The user's answer to [`Context::elicit`].
#[derive(Clone, Debug, PartialEq)]
pub enum Elicitation<T> {
    /// The user filled in the form.
    Accepted(T),
    /// The user said no.
    Declined,
    /// The user dismissed the form without choosing.
    Cancelled,
}

/// A request for a completion from the client's model: see [`Context::sample`]. A `&str` or
/// `String` is a request with one user message.
#[derive(Clone, Debug)]
#[must_use]
pub struct Sampling {
    messages: Vec<SamplingMessage>,
    system_prompt: Option<String>,
    max_tokens: u32,
    preferences: Option<ModelPreferences>,
}

impl Sampling {
    /// An empty request answering with at most 1000 tokens; add messages with [`user`](Self::user).
    pub fn new() -> Self {
        Self {
            messages: Vec::new(),
            system_prompt: None,
            max_tokens: 1000,
            preferences: None,
        }
    }

    /// A message from the user.
    pub fn user(mut self, text: impl Into<String>) -> Self {
        self.messages.push(SamplingMessage::user_text(text));
        self
    }

    /// A message from the assistant (an earlier answer of the model).
    pub fn assistant(mut self, text: impl Into<String>) -> Self {
        self.messages.push(SamplingMessage::assistant_text(text));
        self
    }

    /// An image from the user, for models that read images.
    pub fn user_image(mut self, image: Image) -> Self {
        let block = SamplingMessageContentBlock::Image(image.into_content());
        self.messages.push(SamplingMessage::new(Role::User, block));
        self
    }

    /// The system prompt.
    pub fn system(mut self, prompt: impl Into<String>) -> Self {
        self.system_prompt = Some(prompt.into());
        self
    }

    /// The most tokens the answer may have.
    pub fn max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = max_tokens;
        self
    }

    /// A model the client should prefer, by name or family ("claude-sonnet", "gpt"); the first
    /// hint given counts most.
    pub fn model_hint(mut self, name: impl Into<String>) -> Self {
        let preferences = self.preferences.get_or_insert_with(ModelPreferences::new);
        preferences
            .hints
            .get_or_insert_with(Vec::new)
            .push(ModelHint::new(name));
        self
    }

    /// How much cost, speed and intelligence matter, each from 0 to 1.
    pub fn priorities(mut self, cost: f32, speed: f32, intelligence: f32) -> Self {
        let preferences = self.preferences.get_or_insert_with(ModelPreferences::new);
        preferences.cost_priority = Some(cost);
        preferences.speed_priority = Some(speed);
        preferences.intelligence_priority = Some(intelligence);
        self
    }

    fn into_params(self) -> CreateMessageRequestParams {
        let mut params = CreateMessageRequestParams::new(self.messages, self.max_tokens);
        params.system_prompt = self.system_prompt;
        params.model_preferences = self.preferences;
        params
    }
}

impl Default for Sampling {
    fn default() -> Self {
        Self::new()
    }
}

impl From<&str> for Sampling {
    fn from(text: &str) -> Self {
        Self::new().user(text)
    }
}

impl From<String> for Sampling {
    fn from(text: String) -> Self {
        Self::new().user(text)
    }
}

/// What the client's model answered to [`Context::sample`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Sample {
    /// The model that answered, as the client names it.
    pub model: String,
    /// Why it stopped ("endTurn", "maxTokens", ...), if the client said.
    pub stop_reason: Option<String>,
    /// The text of the answer (empty if it was only an image).
    pub text: String,
    /// The images of the answer.
    pub images: Vec<Image>,
}

/// A root the client shares: a directory or other URI the server may work in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Root {
    /// The URI, usually `file:///...`.
    pub uri: String,
    /// A name for people.
    pub name: Option<String>,
}

impl Context {
    /// Asks the user to fill in a form with the fields of `T` (a struct deriving `JsonSchema` and
    /// `Deserialize`; fields may be strings, numbers, booleans and enums of unit variants, and
    /// `#[serde(default)]` fields carry their default into the form).
    ///
    /// Fails with [`ErrorKind::ClientCapability`] if the client did not declare `elicitation`.
    pub async fn elicit<T: JsonSchema + DeserializeOwned>(
        &self,
        message: impl Into<String>,
    ) -> Result<Elicitation<T>> {
        self.require("elicitation", "ask the user", |c| c.elicitation.is_some())?;
        let schema = elicitation_schema::<T>()?;
        let params = ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: message.into(),
            requested_schema: schema,
        };
        // `send_request` rather than rmcp's `create_elicitation`, which needs rmcp's `elicitation`
        // feature and, through it, the `url` crate and ICU: a minute of every cold build.
        let request = ElicitRequest::new(params);
        if let Some(rounds) = Rounds::of(self.rmcp()) {
            let result = rounds.ask("elicitation", InputRequest::Elicitation(request))?;
            return elicitation(result);
        }
        let request = ServerRequest::ElicitRequest(request);
        let result = match self.rmcp().peer.send_request(request).await {
            Ok(ClientResult::ElicitResult(result)) => result,
            Ok(_) => {
                let error = ServiceError::UnexpectedResponse;
                return Err(self.client_error(error, "asking the user"));
            }
            Err(error) => return Err(self.client_error(error, "asking the user")),
        };
        elicitation(result)
    }

    /// Asks the client's model for a completion: a `&str` prompt, or a [`Sampling`] with messages,
    /// a system prompt, a token limit and model preferences.
    ///
    /// Fails with [`ErrorKind::ClientCapability`] if the client did not declare `sampling`.
    pub async fn sample(&self, request: impl Into<Sampling>) -> Result<Sample> {
        self.require("sampling", "ask its model", |c| c.sampling.is_some())?;
        let params = request.into().into_params();
        let result: CreateMessageResult = match Rounds::of(self.rmcp()) {
            Some(rounds) => {
                let request = InputRequest::CreateMessage(CreateMessageRequest::new(params));
                rounds.ask("sampling", request)?
            }
            None => self
                .rmcp()
                .peer
                .create_message(params)
                .await
                .map_err(|e| self.client_error(e, "sampling the client's model"))?,
        };
        let mut text = Vec::new();
        let mut images = Vec::new();
        for block in result.message.content.into_vec() {
            match block {
                SamplingMessageContentBlock::Text(t) => text.push(t.text),
                SamplingMessageContentBlock::Image(i) => images.push(Image::from_content(i)),
                _ => {}
            }
        }
        Ok(Sample {
            model: result.model,
            stop_reason: result.stop_reason,
            text: text.join("\n"),
            images,
        })
    }

    /// The roots the client shares (`roots/list`).
    ///
    /// Fails with [`ErrorKind::ClientCapability`] if the client did not declare `roots`.
    pub async fn roots(&self) -> Result<Vec<Root>> {
        self.require("roots", "list its roots", |c| c.roots.is_some())?;
        let result: ListRootsResult = match Rounds::of(self.rmcp()) {
            Some(rounds) => rounds.ask(
                "roots",
                InputRequest::ListRoots(ListRootsRequest::default()),
            )?,
            None => self
                .rmcp()
                .peer
                .list_roots()
                .await
                .map_err(|e| self.client_error(e, "listing the client's roots"))?,
        };
        Ok(result
            .roots
            .into_iter()
            .map(|root| Root {
                uri: root.uri,
                name: root.name,
            })
            .collect())
    }

    /// An error unless the client declared `capability`.
    fn require(
        &self,
        capability: &'static str,
        what: &str,
        declared: impl Fn(&ClientCapabilities) -> bool,
    ) -> Result<()> {
        if self
            .rmcp()
            .client_capabilities()
            .as_ref()
            .is_some_and(declared)
        {
            return Ok(());
        }
        if let Some(rounds) = Rounds::of(self.rmcp()) {
            rounds.missing(capability);
        }
        Err(Error::new(
            ErrorKind::ClientCapability,
            format!(
                "`{}` needs to {what}, but the client did not declare the `{capability}` capability; \
                 use a client that supports {capability}",
                self.item()
            ),
        ))
    }

    /// A failed request to the client: a JSON-RPC error keeps its message for the model.
    fn client_error(&self, error: ServiceError, doing: &str) -> Error {
        match error {
            ServiceError::McpError(data) => Error::tool(format!("{doing}: {}", data.message)),
            other => Error::from(other).context(doing.to_owned()),
        }
    }
}

/// The user's answer as the tool sees it: an accepted form decoded as `T`.
fn elicitation<T: DeserializeOwned>(result: ElicitResult) -> Result<Elicitation<T>> {
    Ok(match result.action {
        ElicitationAction::Accept => {
            let content = result.content.unwrap_or_default();
            let value = serde_json::from_value(content.clone()).map_err(|e| {
                Error::invalid_params(format!(
                    "the user's answer does not fit {}: {e}; it was {content}",
                    std::any::type_name::<T>()
                ))
            })?;
            Elicitation::Accepted(value)
        }
        ElicitationAction::Decline => Elicitation::Declined,
        _ => Elicitation::Cancelled,
    })
}

/// One field of a form as MCP spells it: enums of documented variants become titled single
/// selects (SEP-1330), lists of enum values multi selects, and number formats are dropped.
fn form_field(field: &mut Value) {
    let Value::Object(map) = field else { return };
    // `Option<T>`: the form leaves the field out instead of sending null.
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let single = types.remove(0);
            map.insert("type".into(), single);
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    let nullable = |options: &Vec<Value>| {
        options
            .iter()
            .any(|o| o.get("type") == Some(&json!("null")))
    };
    if let Some(Value::Array(options)) = map
        .get("anyOf")
        .filter(|o| o.as_array().is_some_and(nullable))
    {
        let inner = options
            .iter()
            .find(|o| o.get("type") != Some(&json!("null")))
            .cloned();
        map.remove("anyOf");
        if let Some(Value::Object(inner)) = inner {
            for (key, value) in inner {
                map.entry(key).or_insert(value);
            }
        }
    }
    if map.get("type").and_then(Value::as_str) != Some("string") {
        map.remove("format");
    }
    if let Some(Value::Array(variants)) = map.remove("oneOf") {
        let titled: Option<Vec<Value>> = variants
            .iter()
            .map(|variant| {
                let value = variant.get("const")?.as_str()?;
                let title = variant.get("description").and_then(Value::as_str);
                Some(json!({"const": value, "title": title.unwrap_or(value)}))
            })
            .collect();
        match titled {
            Some(titled) => {
                map.insert("type".into(), "string".into());
                map.insert("oneOf".into(), Value::Array(titled));
            }
            None => {
                map.insert("oneOf".into(), Value::Array(variants));
            }
        }
    }
    if let Some(items) = map.get_mut("items") {
        form_field(items);
        if let Some(Value::Array(titled)) = items.get_mut("oneOf").map(Value::take) {
            *items = json!({"anyOf": titled});
        }
    }
}

/// The form schema of `T`: subschemas inlined (enums become `{"type": "string", "enum": [..]}`)
/// and checked against what MCP allows in a form.
fn elicitation_schema<T: JsonSchema>() -> Result<ElicitationSchema> {
    let mut settings = SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let schema = settings.into_generator().into_root_schema_for::<T>();
    let Value::Object(mut object) = schema.to_value() else {
        return Err(Error::internal(format!(
            "{} has no object schema",
            std::any::type_name::<T>()
        )));
    };
    object.remove("$schema");
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        properties.values_mut().for_each(form_field);
    }
    ElicitationSchema::from_json_schema(object).map_err(|e| {
        Error::internal(format!(
            "{} cannot be asked for in a form (fields must be strings, numbers, booleans or enums): {e}",
            std::any::type_name::<T>()
        ))
    })
}
