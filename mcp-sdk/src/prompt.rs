//! Prompts as data: what `#[prompt]` builds.

use std::{any::TypeId, fmt, sync::Arc};

use futures::future::BoxFuture;
use rmcp::model::{GetPromptResult, JsonObject, Prompt, PromptArgument, PromptMessage, Role};

use crate::{
    Context, Result, ToolCall,
    registration::registration,
    state::{Needs, StateType},
    tool::Package,
};

registration! {
    /// Something that registers as a prompt: a function marked `#[prompt]`, or a hand-made
    /// [`PromptEntry`]. `M` only tells the two apart.
    #[diagnostic::on_unimplemented(message = "`{Self}` is not a prompt", note = "mark the function with `#[prompt]`")]
    IntoPrompt::into_prompt, PromptItem::prompt, PromptEntry, "prompt"
}

type Handler = dyn Fn(ToolCall) -> BoxFuture<'static, Result<GetPromptResult>> + Send + Sync;

/// A registered prompt.
#[derive(Clone)]
pub struct PromptEntry {
    /// Whether clients see it (see [`Handler::enable_tool`](crate::Handler::enable_tool)).
    pub(crate) enabled: bool,
    pub(crate) prompt: Prompt,
    pub(crate) package: Package,
    pub(crate) needs: Needs,
    /// The function marked `#[tool]`/`#[prompt]`/`#[resource]` this came from, if any.
    pub(crate) item: Option<TypeId>,
    arguments: Arc<[String]>,
    handler: Arc<Handler>,
}

impl fmt::Debug for PromptEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromptEntry")
            .field("prompt", &self.prompt)
            .finish_non_exhaustive()
    }
}

impl PromptEntry {
    pub(crate) fn get(
        &self,
        arguments: JsonObject,
        context: Context,
    ) -> BoxFuture<'static, Result<GetPromptResult>> {
        (self.handler)(ToolCall::new(arguments, self.arguments.clone(), context))
    }
}

/// Builds a [`PromptEntry`]; `#[prompt]` generates the calls.
pub struct PromptBuilder {
    prompt: Prompt,
    package: Package,
    needs: Needs,
}

impl PromptBuilder {
    /// A prompt named `name` that does what `description` says.
    pub fn new(name: impl Into<String>, description: impl Into<String>, package: Package) -> Self {
        Self {
            prompt: Prompt::new(name, Some(description), Some(Vec::new())),
            package,
            needs: Needs::default(),
        }
    }

    /// A human-readable title.
    pub fn title(&mut self, title: impl Into<String>) -> &mut Self {
        self.prompt.title = Some(title.into());
        self
    }

    /// An argument of the prompt.
    pub fn argument(&mut self, name: &str, description: &str, required: bool) -> &mut Self {
        let argument = PromptArgument::new(name)
            .with_description(description)
            .with_required(required);
        self.prompt
            .arguments
            .get_or_insert_with(Vec::new)
            .push(argument);
        self
    }

    /// The prompt takes a `State<T>`.
    pub fn state<T: Send + Sync + 'static>(&mut self) -> &mut Self {
        self.needs.states.push(StateType::of::<T>());
        self
    }

    /// The prompt takes a [`Context`].
    pub fn uses_context(&mut self) -> &mut Self {
        self.needs.uses_context = true;
        self
    }

    /// Finishes the prompt with the function that answers `prompts/get`.
    pub fn build<F>(&mut self, handler: F) -> PromptEntry
    where
        F: Fn(ToolCall) -> BoxFuture<'static, Result<GetPromptResult>> + Send + Sync + 'static,
    {
        let arguments = self
            .prompt
            .arguments
            .iter()
            .flatten()
            .map(|a| a.name.clone())
            .collect();
        PromptEntry {
            enabled: true,
            prompt: self.prompt.clone(),
            package: self.package,
            needs: self.needs.clone(),
            item: None,
            arguments,
            handler: Arc::new(handler),
        }
    }
}

/// What a prompt may return: `String` (one user message), rmcp's `PromptMessage`,
/// `Vec<PromptMessage>` or `GetPromptResult`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a prompt",
    note = "return String, PromptMessage, Vec<PromptMessage>, GetPromptResult, or a Result of one of those"
)]
pub trait IntoPromptOutput {
    /// The messages the client receives.
    fn into_prompt_output(self) -> Result<GetPromptResult>;
}

impl IntoPromptOutput for String {
    fn into_prompt_output(self) -> Result<GetPromptResult> {
        PromptMessage::new_text(Role::User, self).into_prompt_output()
    }
}

impl IntoPromptOutput for &'static str {
    fn into_prompt_output(self) -> Result<GetPromptResult> {
        self.to_owned().into_prompt_output()
    }
}

impl IntoPromptOutput for PromptMessage {
    fn into_prompt_output(self) -> Result<GetPromptResult> {
        Ok(GetPromptResult::new(vec![self]))
    }
}

impl IntoPromptOutput for Vec<PromptMessage> {
    fn into_prompt_output(self) -> Result<GetPromptResult> {
        Ok(GetPromptResult::new(self))
    }
}

impl IntoPromptOutput for GetPromptResult {
    fn into_prompt_output(self) -> Result<GetPromptResult> {
        Ok(self)
    }
}
