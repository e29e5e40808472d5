//! Asking a 2026-07-28 client (SEP-2322, multi round-trip requests). Such a client takes no
//! requests from the server: a tool, prompt or resource that asks it something (elicitation,
//! sampling, roots) answers `input_required` with the questions, and runs again from the start
//! when the client retries with the answers. Earlier rounds' answers travel in `requestState`.
//!
//! Questions are keyed by their order in the run (`1-elicitation`, `2-sampling`, ...), so a run
//! that asks the same questions in the same order finds the answers the client gave.

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{InputRequest, InputRequests, InputRequiredResult, InputResponses, ProtocolVersion},
    service::RequestContext,
};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::{Error, ErrorKind, Result};

/// The answers of one request's earlier rounds, and the questions of this one.
pub(crate) struct Rounds {
    answers: InputResponses,
    asked: Mutex<InputRequests>,
    next: AtomicUsize,
    /// A capability the item needed and the client did not declare.
    missing: Mutex<Option<&'static str>>,
}

impl Rounds {
    /// For a request of a 2026-07-28 client (`None` for earlier protocols): reads the answers
    /// from `state` (earlier rounds) and `responses` (the last round), and attaches the rounds
    /// to `context` for [`Context`](crate::Context) to find.
    pub fn attach(
        context: &mut RequestContext<RoleServer>,
        state: Option<String>,
        responses: Option<InputResponses>,
    ) -> std::result::Result<Option<Arc<Self>>, McpError> {
        if !is_2026(context) {
            return Ok(None);
        }
        let mut answers: InputResponses = match state {
            Some(state) => serde_json::from_str(&state).map_err(|e| {
                McpError::invalid_params(
                    format!(
                        "requestState is not one this server sent ({e}); retry with the \
                         requestState of the last input_required result, unchanged"
                    ),
                    None,
                )
            })?,
            None => BTreeMap::new(),
        };
        answers.extend(responses.unwrap_or_default());
        let rounds = Arc::new(Self {
            answers,
            asked: Mutex::new(BTreeMap::new()),
            next: AtomicUsize::new(1),
            missing: Mutex::new(None),
        });
        context.extensions.insert(rounds.clone());
        Ok(Some(rounds))
    }

    /// The rounds of the request `context` answers, if its client speaks 2026-07-28.
    pub fn of(context: &RequestContext<RoleServer>) -> Option<Arc<Self>> {
        context.extensions.get::<Arc<Self>>().cloned()
    }

    /// The client's answer to the next question, `request`, of kind `kind`; without one, the
    /// question is kept for the `input_required` result and this fails.
    pub fn ask<T: DeserializeOwned>(&self, kind: &str, request: InputRequest) -> Result<T> {
        let key = format!("{}-{kind}", self.next.fetch_add(1, Ordering::Relaxed));
        let Some(answer) = self.answers.get(&key) else {
            let mut asked = self.asked.lock().unwrap_or_else(|e| e.into_inner());
            asked.insert(key, request);
            return Err(Error::tool(format!(
                "waiting for the client's answer ({kind}); the client retries with it"
            )));
        };
        serde_json::from_value(answer.clone()).map_err(|e| {
            Error::invalid_params(format!(
                "the client's answer `{key}` is not a {kind} result: {e}; it was {answer}"
            ))
        })
    }

    /// Notes that the item needed `capability`, which the client did not declare.
    pub fn missing(&self, capability: &'static str) {
        *self.missing.lock().unwrap_or_else(|e| e.into_inner()) = Some(capability);
    }

    /// What the client gets instead of the item's own outcome: `input_required` with the
    /// questions it asked, or error -32021 naming the capability it failed for want of.
    pub fn interrupt<T>(
        rounds: Option<&Self>,
        outcome: &Result<T>,
    ) -> Option<std::result::Result<InputRequiredResult, McpError>> {
        let rounds = rounds?;
        if let Err(error) = outcome
            && error.kind() == ErrorKind::ClientCapability
            && let Some(capability) = *rounds.missing.lock().unwrap_or_else(|e| e.into_inner())
        {
            let required = serde_json::from_value(json!({ capability: {} })).unwrap_or_default();
            let mut error = McpError::missing_required_client_capability(required);
            error.message =
                format!("the client did not declare the `{capability}` capability").into();
            return Some(Err(error));
        }
        rounds.finish().map(Ok)
    }

    /// `input_required` with this run's questions and every answer so far, if it asked any.
    fn finish(&self) -> Option<InputRequiredResult> {
        let asked = std::mem::take(&mut *self.asked.lock().unwrap_or_else(|e| e.into_inner()));
        if asked.is_empty() {
            return None;
        }
        let state = serde_json::to_string(&self.answers).unwrap_or_default();
        Some(InputRequiredResult::new(Some(asked), Some(state)))
    }
}

/// Whether the client of this request speaks 2026-07-28 or later.
fn is_2026(context: &RequestContext<RoleServer>) -> bool {
    context
        .protocol_version()
        .is_some_and(|version| version >= ProtocolVersion::V_2026_07_28)
}
