//! The 2026-07-28 suite's input-required fixtures (SEP-2322): ordinary `ctx.elicit`, `ctx.sample`
//! and `ctx.roots` calls, which the SDK turns into `input_required` results for 2026 clients.

use mcp_sdk::{Result, prelude::*, tokio};
use serde::Deserialize;

/// A name asked for in a form.
#[derive(Deserialize, schemars::JsonSchema)]
struct Name {
    /// Your name.
    name: String,
}

/// A yes or no asked for in a form.
#[derive(Deserialize, schemars::JsonSchema)]
struct Confirm {
    /// Whether to go on.
    ok: bool,
}

/// A favourite color asked for in a form.
#[derive(Deserialize, schemars::JsonSchema)]
struct Color {
    /// Your favorite color.
    color: String,
}

/// The context a prompt is written for.
#[derive(Deserialize, schemars::JsonSchema)]
struct Topic {
    /// The context.
    context: String,
}

/// The accepted form, or what the user did instead.
fn accepted<T>(answer: Elicitation<T>) -> Result<T> {
    match answer {
        Elicitation::Accepted(value) => Ok(value),
        Elicitation::Declined => bail!("the user declined"),
        Elicitation::Cancelled => bail!("the user cancelled"),
    }
}

/// Asks the user's name, then greets them.
#[tool]
async fn test_input_required_result_elicitation(ctx: Context) -> Result<String> {
    let form = accepted(ctx.elicit::<Name>("What is your name?").await?)?;
    Ok(format!("Hello, {}!", form.name))
}

/// Asks the client's model a question.
#[tool]
async fn test_input_required_result_sampling(ctx: Context) -> Result<String> {
    let request = Sampling::new()
        .user("What is the capital of France?")
        .max_tokens(100);
    Ok(ctx.sample(request).await?.text)
}

/// Lists the client's roots.
#[tool]
async fn test_input_required_result_list_roots(ctx: Context) -> Result<String> {
    let roots = ctx.roots().await?.into_iter().map(|root| root.uri);
    Ok(format!("roots: {}", roots.collect::<Vec<_>>().join(", ")))
}

/// Asks for a confirmation; the answer comes back with the request state.
#[tool]
async fn test_input_required_result_request_state(ctx: Context) -> Result<String> {
    let form = accepted(ctx.elicit::<Confirm>("Please confirm").await?)?;
    Ok(format!("state-ok: confirmed = {}", form.ok))
}

/// Asks for a confirmation (the request state is checked when it comes back).
#[tool]
async fn test_input_required_result_tampered_state(ctx: Context) -> Result<String> {
    let form = accepted(ctx.elicit::<Confirm>("Please confirm").await?)?;
    Ok(format!("confirmed = {}", form.ok))
}

/// Asks a form, the model and the roots at once.
#[tool]
async fn test_input_required_result_multiple_inputs(ctx: Context) -> Result<String> {
    let greeting = Sampling::new().user("Generate a greeting").max_tokens(50);
    let (name, greeting, roots) = tokio::join!(
        ctx.elicit::<Name>("What is your name?"),
        ctx.sample(greeting),
        ctx.roots()
    );
    let name = accepted(name?)?.name;
    Ok(format!(
        "{} {name} ({} roots)",
        greeting?.text,
        roots?.len()
    ))
}

/// Asks two questions, one after the other.
#[tool]
async fn test_input_required_result_multi_round(ctx: Context) -> Result<String> {
    let name = accepted(ctx.elicit::<Name>("Step 1: What is your name?").await?)?;
    let color = ctx.elicit::<Color>("Step 2: What is your favorite color?");
    let color = accepted(color.await?)?;
    Ok(format!("{} likes {}", name.name, color.color))
}

/// Asks only what the client declared: a form if it can show one, then its model.
#[tool]
async fn test_input_required_result_capabilities(ctx: Context) -> Result<String> {
    let name = match ctx.elicit::<Name>("What is your name?").await {
        Ok(answer) => accepted(answer)?.name,
        Err(error) if error.kind() == ErrorKind::ClientCapability => "friend".to_owned(),
        Err(error) => return Err(error),
    };
    let greeting = ctx.sample(format!("Greet {name}")).await?;
    Ok(greeting.text)
}

/// A prompt written for a context the user gives.
#[prompt]
async fn test_input_required_result_prompt(ctx: Context) -> Result<String> {
    let topic = ctx.elicit::<Topic>("What context should the prompt use?");
    let topic = accepted(topic.await?)?;
    Ok(format!("Write about {}.", topic.context))
}

/// `server` with the input-required fixtures.
pub fn fixtures(server: Server) -> Server {
    server
        .tool(test_input_required_result_elicitation)
        .tool(test_input_required_result_sampling)
        .tool(test_input_required_result_list_roots)
        .tool(test_input_required_result_request_state)
        .tool(test_input_required_result_tampered_state)
        .tool(test_input_required_result_multiple_inputs)
        .tool(test_input_required_result_multi_round)
        .tool(test_input_required_result_capabilities)
        .prompt(test_input_required_result_prompt)
}
