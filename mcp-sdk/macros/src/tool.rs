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
    signature::{self, Errors, Presence},
};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    item::expand(Macro::Tool, attr, item, generate)
}

fn generate(item: &Item, _errors: &mut Errors) -> TokenStream {
    let ident = &item.function.sig.ident;
    let name = item.mcp_name();
    let description = &item.description;
    // Each bound on an argument's or the output's type is checked through `tool_fn` at that
    // type's span, so a missing derive is one error there, with the SDK's message.
    let arguments = extract::arguments(item, |input, ty| {
        let (arg, doc) = (&input.name, &input.doc);
        let option = signature::last_segment(ty).and_then(|(_, inner)| inner);
        let (describe, read) = match (&input.presence, option) {
            (Presence::Optional, Some(inner)) => (
                quote_spanned!(ty.span()=> __mcp::tool_fn::optional::<#inner>(&mut __builder, #arg, #doc);),
                quote_spanned!(ty.span()=> __mcp::tool_fn::read_optional::<#inner>(&mut __call, #arg)),
            ),
            (Presence::Default(expr), _) => {
                let default = quote_spanned!(expr.span()=> __mcp::default_json::<#ty>(#expr));
                (
                    quote_spanned!(ty.span()=> __mcp::tool_fn::with_default::<#ty>(&mut __builder, #arg, #doc, #default);),
                    quote_spanned!(ty.span()=> __mcp::tool_fn::read_or::<#ty>(&mut __call, #arg, || #expr)),
                )
            }
            _ => (
                quote_spanned!(ty.span()=> __mcp::tool_fn::required::<#ty>(&mut __builder, #arg, #doc);),
                quote_spanned!(ty.span()=> __mcp::tool_fn::read::<#ty>(&mut __call, #arg)),
            ),
        };
        (Some(describe), read)
    });
    let value_ty = &item.output.value;
    let (structured, convert) = extract::output(
        item,
        Macro::Tool,
        |value| quote!(__mcp::IntoToolOutput::into_tool_output(#value)),
        |value| quote_spanned!(value_ty.span()=> __mcp::tool_fn::structured::<#value_ty>(#value)),
    );
    let output = match structured {
        true => {
            quote_spanned!(value_ty.span()=> __mcp::tool_fn::output::<#value_ty>(&mut __builder);)
        }
        false => quote!(__builder.output::<#value_ty>();),
    };
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
                #output
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
