//! `#[tool]`: a documented `async fn` becomes a unit struct that registers as an MCP tool.
//!
//! ```ignore
//! /// Adds two numbers.
//! #[tool]
//! async fn add(/** First. */ a: i64, /** Second. */ b: i64) -> i64 { a + b }
//! ```
//! expands to `struct add;` with `add::call(a, b)` holding the body and an `IntoTool` impl that
//! describes the schema and decodes the client's arguments.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::{FnArg, ItemFn, LitStr, spanned::Spanned};

use crate::{
    attrs::ToolOptions,
    docs::{doc_text, is_doc},
    signature::{self, Errors, Output, Param, ParamKind, Presence},
};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(error) => {
            let mut out = error.into_compile_error();
            out.extend(item);
            return out;
        }
    };
    let mut errors = Errors::default();
    let options = ToolOptions::parse(attr).unwrap_or_else(|error| {
        errors.push(error);
        ToolOptions::default()
    });
    let sig = &function.sig;
    let name = sig.ident.to_string();
    if sig.asyncness.is_none() {
        errors.error(
            sig.fn_token,
            format!("a tool must be an `async fn`; write `async fn {name}(..)`"),
        );
    }
    if !sig.generics.params.is_empty() {
        errors.error(&sig.generics, "a tool cannot be generic: its schema is fixed when the server starts");
    }
    let description = doc_text(&function.attrs);
    if description.is_empty() {
        errors.error(
            &sig.ident,
            format!(
                "tool `{name}` has no doc comment; add `/// <what the tool does>` above the function: \
                 it becomes the tool description the model reads"
            ),
        );
    }
    let params = signature::params(sig.inputs.iter().cloned(), "tool", &mut errors);
    let output = signature::output(&sig.output, "tool", &mut errors);
    match errors.finish() {
        Ok(()) => generate(&function, &options, &description, &params, &output),
        Err(error) => {
            let mut out = error.into_compile_error();
            out.extend(dummy(&function));
            out
        }
    }
}

fn generate(
    function: &ItemFn,
    options: &ToolOptions,
    description: &str,
    params: &[Param],
    output: &Output,
) -> TokenStream {
    let ItemFn { attrs, vis, sig, block } = function;
    let ident = &sig.ident;
    let tool_name = options
        .name
        .clone()
        .unwrap_or_else(|| LitStr::new(&ident.to_string().trim_start_matches("r#"), ident.span()));
    let inputs = signature::stripped_inputs(params);
    let ret = &sig.output;

    let mut describe = Vec::new();
    let mut extract = Vec::new();
    let mut bindings = Vec::new();
    for (index, param) in params.iter().enumerate() {
        let binding = signature::binding(index);
        let ty = &param.ty;
        match &param.kind {
            ParamKind::Input(input) => {
                let (name, doc) = (&input.name, &input.doc);
                let (presence, read) = match &input.presence {
                    Presence::Required => (
                        quote!(__mcp::Presence::Required),
                        quote!(__call.required::<#ty>(#name)),
                    ),
                    Presence::Optional => (
                        quote!(__mcp::Presence::Optional),
                        quote!(__call.optional::<#ty>(#name)),
                    ),
                    Presence::Default(expr) => (
                        quote!(__mcp::Presence::Default(__mcp::default_json::<#ty>(#expr))),
                        quote!(__call.or_else::<#ty>(#name, || #expr)),
                    ),
                };
                describe.push(quote!(__tool.param::<#ty>(#name, #doc, #presence);));
                extract.push(quote_spanned!(ty.span()=> let #binding: #ty = #read?;));
            }
            ParamKind::State(inner) => {
                describe.push(quote!(__tool.state::<#inner>();));
                extract.push(quote!(let #binding: #ty = __call.state::<#inner>()?;));
            }
            ParamKind::Context => {
                describe.push(quote!(__tool.uses_context();));
                extract.push(quote!(let #binding: #ty = __call.context();));
            }
        }
        bindings.push(binding);
    }

    let value_ty = &output.value;
    let output_ty = if signature::is_direct_output(value_ty) {
        value_ty.to_token_stream()
    } else {
        quote_spanned!(value_ty.span()=> __mcp::Structured<#value_ty>)
    };
    let into_output = |value: TokenStream| {
        if signature::is_direct_output(value_ty) {
            quote_spanned!(value_ty.span()=> __mcp::IntoToolOutput::into_tool_output(#value))
        } else {
            quote_spanned!(value_ty.span()=> __mcp::IntoToolOutput::into_tool_output(__mcp::Structured(#value)))
        }
    };
    let convert = if output.is_result {
        let ok = into_output(quote!(__value));
        quote! {
            match __out {
                ::core::result::Result::Ok(__value) => #ok,
                ::core::result::Result::Err(__error) => ::core::result::Result::Err(__mcp::Error::from(__error)),
            }
        }
    } else {
        into_output(quote!(__out))
    };

    let title = options.title.as_ref().map(|title| quote!(__tool.title(#title);));
    let hint = |value: Option<bool>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let (read_only, destructive, idempotent, open_world) = (
        hint(options.read_only),
        hint(options.destructive),
        hint(options.idempotent),
        hint(options.open_world),
    );
    let fn_attrs = attrs.iter().filter(|attr| !is_doc(attr));
    let doc_attrs: Vec<_> = attrs.iter().filter(|attr| is_doc(attr)).collect();

    quote! {
        #(#doc_attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #ident;

        impl #ident {
            #(#doc_attrs)*
            ///
            /// Calls the tool's function directly, without MCP (handy in unit tests).
            #(#fn_attrs)*
            #vis async fn call(#(#inputs),*) #ret #block
        }

        impl ::mcp_sdk::__private::IntoTool for #ident {
            fn into_tool(self) -> ::mcp_sdk::__private::ToolEntry {
                use ::mcp_sdk::__private as __mcp;
                let mut __tool = __mcp::ToolBuilder::new(#tool_name, #description, __mcp::package!());
                #title
                __tool.annotations(#read_only, #destructive, #idempotent, #open_world);
                #(#describe)*
                __tool.output::<#output_ty>();
                __tool.build(|mut __call: __mcp::ToolCall| ::std::boxed::Box::pin(async move {
                    #(#extract)*
                    __call.finish()?;
                    let __out = #ident::call(#(#bindings),*).await;
                    #convert
                }))
            }
        }
    }
}

/// What is emitted when the tool has errors: the user's function, unchanged but for the attributes
/// that only this macro understands, and a registration that cannot run. Uses of the tool elsewhere
/// then compile, so the user sees only the error that matters.
fn dummy(function: &ItemFn) -> TokenStream {
    let ItemFn { attrs, vis, sig, block } = function;
    let ident = &sig.ident;
    let mut sig = sig.clone();
    for input in &mut sig.inputs {
        if let FnArg::Typed(typed) = input {
            typed
                .attrs
                .retain(|attr| !is_doc(attr) && !attr.path().is_ident("default"));
        }
    }
    sig.ident = syn::Ident::new("call", ident.span());
    quote! {
        #(#attrs)*
        #[allow(non_camel_case_types, dead_code)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #ident;

        #[allow(dead_code, unused_variables)]
        impl #ident {
            #vis #sig #block
        }

        impl ::mcp_sdk::__private::IntoTool for #ident {
            fn into_tool(self) -> ::mcp_sdk::__private::ToolEntry {
                ::core::unreachable!("the tool did not compile")
            }
        }
    }
}
