//! `#[prompt]`: a documented `async fn` whose documented arguments are the prompt's arguments.

use proc_macro2::TokenStream;
use quote::quote;

use crate::{
    attrs::Macro,
    extract,
    item::{self, Item},
    signature::{Errors, Presence},
};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    item::expand(Macro::Prompt, attr, item, generate)
}

fn generate(item: &Item, _errors: &mut Errors) -> TokenStream {
    let ident = &item.function.sig.ident;
    let name = item.mcp_name();
    let description = &item.description;
    let arguments = extract::arguments(item, |input, ty| {
        let (arg, doc) = (&input.name, &input.doc);
        let required = matches!(input.presence, Presence::Required);
        (
            Some(quote!(__builder.argument(#arg, #doc, #required);)),
            extract::read_argument(input, ty),
        )
    });
    let into = |value| quote!(__mcp::IntoPromptOutput::into_prompt_output(#value));
    let (_, convert) = extract::output(item, Macro::Prompt, into, |value| {
        into(extract::structured(item, value))
    });
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
    quote! {
        impl ::mcp_sdk::__private::PromptItem for #ident {
            fn prompt() -> ::mcp_sdk::__private::PromptEntry {
                use ::mcp_sdk::__private as __mcp;
                let mut __builder = __mcp::PromptBuilder::new(#name, #description, __mcp::package!());
                #title
                #(#describe)*
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
