//! `#[tool]`: a documented `async fn` becomes a unit struct that registers as an MCP tool.
//!
//! ```ignore
//! /// Adds two numbers.
//! #[tool]
//! async fn add(/** First. */ a: i64, /** Second. */ b: i64) -> i64 { a + b }
//! ```
//! expands to `struct add {}` (see `item::shell`) with `add::call(a, b)` holding the body, and a
//! `ToolItem` impl that describes the schema and decodes the client's arguments.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::{
    attrs::Macro,
    extract,
    item::{self, Item},
    signature::{Errors, Presence},
};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    item::expand(Macro::Tool, attr, item, generate)
}

fn generate(item: &Item, _errors: &mut Errors) -> TokenStream {
    let ident = &item.function.sig.ident;
    let name = item.mcp_name();
    let description = &item.description;
    let arguments = extract::arguments(item, |input, ty| {
        let (arg, doc) = (&input.name, &input.doc);
        let presence = match &input.presence {
            Presence::Required => quote!(__mcp::Presence::Required),
            Presence::Optional => quote!(__mcp::Presence::Optional),
            Presence::Default(expr) => {
                quote_spanned!(expr.span()=> __mcp::Presence::Default(__mcp::default_json::<#ty>(#expr)))
            }
        };
        (
            Some(quote!(__builder.param::<#ty>(#arg, #doc, #presence);)),
            extract::read_argument(input, ty),
        )
    });
    let (output_ty, convert) = extract::output(
        item,
        Macro::Tool,
        |value| quote!(__mcp::IntoToolOutput::into_tool_output(#value)),
    );
    let extract::Arguments {
        describe,
        extract,
        bindings,
    } = arguments;
    let title = item
        .options
        .title
        .as_ref()
        .map(|title| quote!(__builder.title(#title);));
    let options = &item.options;
    let hints = [
        options.read_only,
        options.destructive,
        options.idempotent,
        options.open_world,
    ]
    .map(item::option);
    quote! {
        impl ::mcp_sdk::__private::ToolItem for #ident {
            fn tool() -> ::mcp_sdk::__private::ToolEntry {
                use ::mcp_sdk::__private as __mcp;
                let mut __builder = __mcp::ToolBuilder::new(#name, #description, __mcp::package!());
                #title
                __builder.annotations(#(#hints),*);
                #(#describe)*
                __builder.output::<#output_ty>();
                __builder.build(|mut __call: __mcp::ToolCall| ::std::boxed::Box::pin(async move {
                    #(#extract)*
                    __call.finish()?;
                    let __out = #ident::call(#(#bindings),*).await;
                    #convert
                }))
            }
        }
    }
}
