//! Procedural macros of `mcp-sdk`. Use them through `mcp_sdk::prelude`, not directly: the code they
//! generate refers only to `::mcp_sdk::__private`, so this crate is an implementation detail.

mod attrs;
mod docs;
mod extract;
mod item;
mod main_fn;
mod prompt;
mod resource;
mod signature;
mod tool;

use proc_macro::TokenStream;

/// Turns a documented `async fn` into an MCP tool. See `mcp_sdk::tool` for the guide.
#[proc_macro_attribute]
pub fn tool(attr: TokenStream, item: TokenStream) -> TokenStream {
    tool::expand(attr.into(), item.into()).into()
}

/// Turns an `async fn` into an MCP resource at a URI or URI template. See `mcp_sdk::resource`.
#[proc_macro_attribute]
pub fn resource(attr: TokenStream, item: TokenStream) -> TokenStream {
    resource::expand(attr.into(), item.into()).into()
}

/// Turns a documented `async fn` into an MCP prompt. See `mcp_sdk::prompt`.
#[proc_macro_attribute]
pub fn prompt(attr: TokenStream, item: TokenStream) -> TokenStream {
    prompt::expand(attr.into(), item.into()).into()
}

/// Runs an `async fn main` on a Tokio runtime and records the crate's name and version as the
/// server's identity. See `mcp_sdk::main`.
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    main_fn::expand(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[tokio::test]` through `mcp_sdk::tokio`: a test needs no `tokio` dev-dependency. Options
/// (`flavor = "multi_thread"`, ...) are tokio's. See `mcp_sdk::test`.
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    main_fn::expand_test(attr.into(), item.into()).into()
}
