//! Completions of prompt arguments and resource-template variables (`completion/complete`).

use std::{collections::HashMap, sync::Arc};

use rmcp::model::{CompleteRequestParams, CompleteResult, CompletionInfo, Reference};

/// What completes one argument: the text typed so far in, suggestions out.
pub(crate) type Completer = Arc<dyn Fn(&str) -> Vec<String> + Send + Sync>;

/// The completers of a server, by (prompt name or URI template, argument name).
#[derive(Clone, Default)]
pub(crate) struct Completions(HashMap<(String, String), Completer>);

impl Completions {
    pub fn insert(&mut self, target: String, argument: String, completer: Completer) {
        self.0.insert((target, argument), completer);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The suggestions for a request: at most 100, the rest counted in `total`. An argument
    /// without a completer gets none.
    pub fn complete(&self, request: &CompleteRequestParams) -> CompleteResult {
        let target = match &request.r#ref {
            Reference::Prompt(prompt) => prompt.name.clone(),
            Reference::Resource(resource) => resource.uri.clone(),
            _ => return CompleteResult::default(),
        };
        let key = (target, request.argument.name.clone());
        let values = self
            .0
            .get(&key)
            .map(|completer| completer(&request.argument.value))
            .unwrap_or_default();
        let total = values.len();
        let shown: Vec<String> = values
            .into_iter()
            .take(CompletionInfo::MAX_VALUES)
            .collect();
        let has_more = total > shown.len();
        let info = CompletionInfo::with_pagination(shown, Some(total as u32), has_more)
            .unwrap_or_default();
        CompleteResult::new(info)
    }
}
