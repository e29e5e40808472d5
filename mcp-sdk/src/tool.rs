//! Tools as data: what `#[tool]` builds, and how a call is decoded and answered.

use std::{any::TypeId, fmt, sync::Arc};

use futures::future::BoxFuture;
use rmcp::model::{CallToolResult, ContentBlock, JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{
    Context, Error, Result, State,
    registration::registration,
    schema::{self, ObjectSchema},
    state::{self, Needs, StateType},
};

/// The crate that defined an item: the default name and version of the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Package {
    /// `CARGO_PKG_NAME` of the defining crate.
    pub name: &'static str,
    /// `CARGO_PKG_VERSION` of the defining crate.
    pub version: &'static str,
}

registration! {
    /// Something that registers as a tool: a function marked `#[tool]`, or a hand-made
    /// [`ToolEntry`]. `M` only tells the two apart.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a tool",
        note = "mark the function with `#[tool]`, or build a `ToolEntry` with `ToolBuilder`"
    )]
    IntoTool::into_tool, ToolItem::tool, ToolEntry, "tool"
}

type Handler = dyn Fn(ToolCall) -> BoxFuture<'static, Result<CallToolResult>> + Send + Sync;

/// A registered tool: its MCP description, the state it needs and its handler.
#[derive(Clone)]
pub struct ToolEntry {
    /// Whether clients see it (see [`Handler::enable_tool`](crate::Handler::enable_tool)).
    pub(crate) enabled: bool,
    pub(crate) tool: Tool,
    /// The tool's name, shared with every call's `Context`.
    pub(crate) name: Arc<str>,
    pub(crate) package: Package,
    pub(crate) needs: Needs,
    /// The function marked `#[tool]`/`#[prompt]`/`#[resource]` this came from, if any.
    pub(crate) item: Option<TypeId>,
    arguments: Arc<[String]>,
    handler: Arc<Handler>,
}

impl ToolEntry {
    /// The MCP description of the tool, as `tools/list` shows it.
    pub fn tool(&self) -> &Tool {
        &self.tool
    }

    pub(crate) fn call(
        &self,
        arguments: JsonObject,
        context: Context,
    ) -> BoxFuture<'static, Result<CallToolResult>> {
        (self.handler)(ToolCall::new(arguments, self.arguments.clone(), context))
    }
}

impl fmt::Debug for ToolEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolEntry")
            .field("tool", &self.tool)
            .finish_non_exhaustive()
    }
}

/// Whether an argument must be given.
#[derive(Debug)]
pub enum Presence {
    /// It must be given.
    Required,
    /// `Option<T>`: it may be left out or null.
    Optional,
    /// `#[default(..)]`: it may be left out; the schema shows this default.
    Default(Option<Value>),
}

/// Builds a [`ToolEntry`]; `#[tool]` generates the calls, and it can be used by hand for tools
/// whose shape is known only at run time.
pub struct ToolBuilder {
    name: String,
    description: String,
    title: Option<String>,
    annotations: Option<ToolAnnotations>,
    package: Package,
    input: ObjectSchema,
    needs: Needs,
    output_schema: Option<Arc<JsonObject>>,
}

impl ToolBuilder {
    /// A tool named `name` that does what `description` says, defined in `package`.
    pub fn new(name: impl Into<String>, description: impl Into<String>, package: Package) -> Self {
        Self {
            name: name.into(),
            description: description.into(),
            title: None,
            annotations: None,
            package,
            input: ObjectSchema::new(),
            needs: Needs::default(),
            output_schema: None,
        }
    }

    /// A human-readable title.
    pub fn title(&mut self, title: impl Into<String>) -> &mut Self {
        self.title = Some(title.into());
        self
    }

    /// Behaviour hints for clients; `None` leaves a hint out.
    pub fn annotations(
        &mut self,
        read_only: Option<bool>,
        destructive: Option<bool>,
        idempotent: Option<bool>,
        open_world: Option<bool>,
    ) -> &mut Self {
        if [read_only, destructive, idempotent, open_world]
            .iter()
            .any(Option::is_some)
        {
            self.annotations = Some(ToolAnnotations::from_raw(
                None,
                read_only,
                destructive,
                idempotent,
                open_world,
            ));
        }
        self
    }

    /// An argument of type `T`.
    pub fn param<T: JsonSchema>(
        &mut self,
        name: &str,
        description: &str,
        presence: Presence,
    ) -> &mut Self {
        let (required, default) = match presence {
            Presence::Required => (true, None),
            Presence::Optional => (false, None),
            Presence::Default(value) => (false, value),
        };
        self.input
            .property::<T>(name, description, required, default);
        self
    }

    /// The tool takes a `State<T>`: the server must be given a `T`.
    pub fn state<T: Send + Sync + 'static>(&mut self) -> &mut Self {
        self.needs.states.push(StateType::of::<T>());
        self
    }

    /// The tool takes a [`Context`] (so the server advertises logging).
    pub fn uses_context(&mut self) -> &mut Self {
        self.needs.uses_context = true;
        self
    }

    /// The tool returns `O`; structured outputs get an output schema.
    pub fn output<O: IntoToolOutput>(&mut self) -> &mut Self {
        self.output_schema = O::output_schema();
        self
    }

    /// Finishes the tool with the function that answers a call.
    pub fn build<F>(&mut self, handler: F) -> ToolEntry
    where
        F: Fn(ToolCall) -> BoxFuture<'static, Result<CallToolResult>> + Send + Sync + 'static,
    {
        let input = std::mem::replace(&mut self.input, ObjectSchema::new());
        let arguments: Arc<[String]> = input.property_names().cloned().collect();
        let mut tool = Tool::new(
            self.name.clone(),
            self.description.clone(),
            Arc::new(input.finish()),
        );
        tool.title = self.title.clone();
        tool.annotations = self.annotations.clone();
        tool.output_schema = self.output_schema.clone();
        ToolEntry {
            enabled: true,
            name: Arc::from(self.name.as_str()),
            tool,
            package: self.package,
            needs: self.needs.clone(),
            item: None,
            arguments,
            handler: Arc::new(handler),
        }
    }
}

/// One call of a tool (or prompt): the client's arguments, decoded one by one so that errors name
/// the argument.
pub struct ToolCall {
    arguments: JsonObject,
    arguments_declared: Arc<[String]>,
    context: Context,
}

impl ToolCall {
    pub(crate) fn new(
        arguments: JsonObject,
        arguments_declared: Arc<[String]>,
        context: Context,
    ) -> Self {
        Self {
            arguments,
            arguments_declared,
            context,
        }
    }

    /// A required argument.
    pub fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T> {
        match self.arguments.remove(name) {
            Some(value) => decode(name, value),
            None => Err(Error::invalid_params(format!(
                "missing required argument `{name}`; this tool takes: {}",
                self.arguments_declared.join(", ")
            ))),
        }
    }

    /// An optional argument: absent or null gives `T::default()` (`None` for an `Option`).
    pub fn optional<T: DeserializeOwned + Default>(&mut self, name: &str) -> Result<T> {
        self.or_else(name, T::default)
    }

    /// An argument with a default value.
    pub fn or_else<T: DeserializeOwned>(
        &mut self,
        name: &str,
        default: impl FnOnce() -> T,
    ) -> Result<T> {
        match self.arguments.remove(name) {
            None | Some(Value::Null) => Ok(default()),
            Some(value) => decode(name, value),
        }
    }

    /// The server's state of type `T`.
    pub fn state<T: Send + Sync + 'static>(&self) -> Result<State<T>> {
        state::required(&self.context)
    }

    /// The request's context.
    pub fn context(&self) -> Context {
        self.context.clone()
    }

    /// Fails if the client sent arguments the tool does not take.
    pub fn finish(&self) -> Result<()> {
        if self.arguments.is_empty() {
            return Ok(());
        }
        let unknown: Vec<String> = self
            .arguments
            .keys()
            .map(|key| format!("`{key}`"))
            .collect();
        let takes = match self.arguments_declared.is_empty() {
            true => "no arguments".to_owned(),
            false => self.arguments_declared.join(", "),
        };
        Err(Error::invalid_params(format!(
            "unknown argument {}; this tool takes: {takes}",
            unknown.join(", ")
        )))
    }
}

/// Decodes argument `name`. A string that does not decode as `T` is read as JSON too, so `"3"`
/// works for a number: prompt arguments are always strings, and models sometimes quote numbers.
pub(crate) fn decode<T: DeserializeOwned>(name: &str, value: Value) -> Result<T> {
    let decoded = match &value {
        Value::String(text) => {
            T::deserialize(&value).or_else(|error| serde_json::from_str(text).map_err(|_| error))
        }
        _ => serde_json::from_value(value),
    };
    decoded.map_err(|error| Error::invalid_params(format!("invalid argument `{name}`: {error}")))
}

/// What a tool may return. Implemented for `String`, `&'static str`, `()`, rmcp's
/// `CallToolResult`, `ContentBlock` and `Vec<ContentBlock>`, and [`Structured`] (which `#[tool]`
/// wraps around any other return type).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a tool",
    note = "return String, (), a type that implements Serialize + JsonSchema, rmcp content, or a Result of one of those"
)]
pub trait IntoToolOutput {
    /// The result the client receives.
    fn into_tool_output(self) -> Result<CallToolResult>;
    /// The output schema, for structured outputs.
    fn output_schema() -> Option<Arc<JsonObject>> {
        None
    }
}

impl IntoToolOutput for String {
    fn into_tool_output(self) -> Result<CallToolResult> {
        Ok(CallToolResult::success(vec![ContentBlock::text(self)]))
    }
}

impl IntoToolOutput for &'static str {
    fn into_tool_output(self) -> Result<CallToolResult> {
        self.to_owned().into_tool_output()
    }
}

impl IntoToolOutput for () {
    fn into_tool_output(self) -> Result<CallToolResult> {
        Ok(CallToolResult::success(Vec::new()))
    }
}

impl IntoToolOutput for CallToolResult {
    fn into_tool_output(self) -> Result<CallToolResult> {
        Ok(self)
    }
}

impl IntoToolOutput for ContentBlock {
    fn into_tool_output(self) -> Result<CallToolResult> {
        Ok(CallToolResult::success(vec![self]))
    }
}

impl IntoToolOutput for Vec<ContentBlock> {
    fn into_tool_output(self) -> Result<CallToolResult> {
        Ok(CallToolResult::success(self))
    }
}

/// A structured tool output: sent as `structuredContent` with a text copy, and described by an
/// `outputSchema`. Values that are not JSON objects are sent as `{"result": value}`.
pub struct Structured<T>(pub T);

impl<T: Serialize + JsonSchema + 'static> IntoToolOutput for Structured<T> {
    fn into_tool_output(self) -> Result<CallToolResult> {
        let value = serde_json::to_value(&self.0)
            .map_err(|e| Error::from(e).context("serializing the tool's result"))?;
        let text = match &value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let structured = match schema::output_schema::<T>().wrapped {
            true => serde_json::json!({ "result": value }),
            false => value,
        };
        let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
        result.structured_content = Some(structured);
        Ok(result)
    }

    fn output_schema() -> Option<Arc<JsonObject>> {
        Some(schema::output_schema::<T>().schema)
    }
}

/// The schema default of a `#[default(..)]` argument.
pub fn default_json<T: Serialize>(value: T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// What a `#[tool]` argument's type needs: decoding from JSON and a schema. Implemented for every
/// such type; it exists so a missing derive is reported once, saying which derive to add.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tool argument: it needs `#[derive(serde::Deserialize, schemars::JsonSchema)]`",
    label = "`{Self}` needs `#[derive(serde::Deserialize, schemars::JsonSchema)]`",
    note = "a tool decodes each argument from the client's JSON (`Deserialize`) and describes it in its input schema (`JsonSchema`); for a type from another crate, enable its `serde` and `schemars` features or wrap it in a type of your own"
)]
pub trait ToolArgument: DeserializeOwned + JsonSchema {}

impl<T: DeserializeOwned + JsonSchema> ToolArgument for T {}

/// What a value a `#[tool]` returns as structured output needs: JSON and a schema. Implemented for
/// every such type; it exists so a missing derive is reported once, saying which derive to add.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a tool: it needs `#[derive(serde::Serialize, schemars::JsonSchema)]`",
    label = "`{Self}` needs `#[derive(serde::Serialize, schemars::JsonSchema)]`",
    note = "a tool sends what it returns as JSON (`Serialize`) described by its output schema (`JsonSchema`); or return String, (), or rmcp content"
)]
pub trait ToolOutput: Serialize + JsonSchema + 'static {}

impl<T: Serialize + JsonSchema + 'static> ToolOutput for T {}

/// What `#[tool]` generates, so each bound is checked once, on the user's type, with the messages
/// of [`ToolArgument`] and [`ToolOutput`].
#[doc(hidden)]
pub mod generated {
    use super::*;

    /// Describes a required argument.
    pub fn required<T: ToolArgument>(builder: &mut ToolBuilder, name: &str, doc: &str) {
        builder.param::<T>(name, doc, Presence::Required);
    }

    /// Describes an `Option<T>` argument.
    pub fn optional<T: ToolArgument>(builder: &mut ToolBuilder, name: &str, doc: &str) {
        builder.param::<Option<T>>(name, doc, Presence::Optional);
    }

    /// Describes an argument with a `#[default(..)]`.
    pub fn with_default<T: ToolArgument>(
        builder: &mut ToolBuilder,
        name: &str,
        doc: &str,
        default: Option<Value>,
    ) {
        builder.param::<T>(name, doc, Presence::Default(default));
    }

    /// Reads a required argument.
    pub fn read<T: ToolArgument>(call: &mut ToolCall, name: &str) -> Result<T> {
        call.required(name)
    }

    /// Reads an argument with a `#[default(..)]`.
    pub fn read_or<T: ToolArgument>(
        call: &mut ToolCall,
        name: &str,
        default: impl FnOnce() -> T,
    ) -> Result<T> {
        call.or_else(name, default)
    }

    /// Reads an `Option<T>` argument.
    pub fn read_optional<T: ToolArgument>(call: &mut ToolCall, name: &str) -> Result<Option<T>> {
        call.optional(name)
    }

    /// The tool returns `T` as structured output.
    pub fn output<T: ToolOutput>(builder: &mut ToolBuilder) {
        builder.output::<Structured<T>>();
    }

    /// `value` as a structured result.
    pub fn structured<T: ToolOutput>(value: T) -> Result<CallToolResult> {
        Structured(value).into_tool_output()
    }
}
