//! What the three attributes share: checks on the function, the unit struct that replaces it, and
//! the stand-in emitted when the function has errors.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{FnArg, ItemFn, LitStr};

use crate::{
    attrs::{Macro, Options},
    docs::{doc_text, is_doc},
    signature::{self, Errors, Output, Param},
};

/// A function under one of the attributes, checked.
pub struct Item {
    pub function: ItemFn,
    pub options: Options,
    pub description: String,
    pub params: Vec<Param>,
    pub output: Output,
}

impl Item {
    /// The MCP name: the `name` option, or the function's name.
    pub fn mcp_name(&self) -> LitStr {
        let ident = &self.function.sig.ident;
        self.options.name.clone().unwrap_or_else(|| {
            LitStr::new(ident.to_string().trim_start_matches("r#"), ident.span())
        })
    }
}

/// Parses and checks the function; `generate` makes the registration impl. Errors are collected
/// so one compile shows them all.
pub fn expand(
    kind: Macro,
    attr: TokenStream,
    item: TokenStream,
    generate: impl FnOnce(&Item, &mut Errors) -> TokenStream,
) -> TokenStream {
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(error) => {
            let mut out = error.into_compile_error();
            out.extend(item);
            return out;
        }
    };
    let mut errors = Errors::default();
    let options = Options::parse(attr, kind).unwrap_or_else(|error| {
        errors.push(error);
        Options::default()
    });
    let noun = kind.noun();
    let sig = &function.sig;
    let name = sig.ident.to_string();
    if sig.asyncness.is_none() {
        errors.error(
            sig.fn_token,
            format!("a {noun} must be an `async fn`; write `async fn {name}(..)`"),
        );
    }
    if !sig.generics.params.is_empty() {
        errors.error(
            &sig.generics,
            format!("a {noun} cannot be generic: its description is fixed when the server starts"),
        );
    }
    let description = doc_text(&function.attrs);
    if description.is_empty() {
        errors.error(
            &sig.ident,
            format!(
                "{noun} `{name}` has no doc comment; add `/// <what it does>` above the function: \
                 it becomes the {noun} description the model reads"
            ),
        );
    }
    let params = signature::params(sig.inputs.iter().cloned(), kind, &mut errors);
    let output = signature::output(&sig.output, noun, &mut errors);
    let item = Item {
        function,
        options,
        description,
        params,
        output,
    };
    let registration = generate(&item, &mut errors);
    match errors.finish() {
        Ok(()) => {
            let mut out = shell(&item.function, &item.params);
            out.extend(registration);
            out
        }
        Err(error) => {
            let mut out = error.into_compile_error();
            out.extend(dummy(&item.function, kind));
            out
        }
    }
}

/// The function becomes a struct of the same name that describes the item, and a marker function
/// of the same name that `Server::tool(add)` accepts. The body is kept as `add::call(..)`.
///
/// The struct is braced and has no fields, so it lives only in the type namespace: a `let add` or an
/// argument named `add` still binds a variable. The marker function, `fn add(Marker<add>) -> add`,
/// is what `.tool(add)` receives; its signature names the struct, which carries the description.
fn shell(function: &ItemFn, params: &[Param]) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = function;
    let ident = &sig.ident;
    let inputs = signature::stripped_inputs(params);
    let ret = &sig.output;
    let fn_attrs = attrs.iter().filter(|attr| !is_doc(attr));
    let doc_attrs: Vec<_> = attrs.iter().filter(|attr| is_doc(attr)).collect();
    // The marker function is spanned wholly at the user's name: rustc then warns "function `add` is
    // never used" when it is never registered, as for any unused function.
    let marker = quote_spanned! {ident.span()=>
        #(#doc_attrs)*
        ///
        /// Register it on a `Server`; call the function itself with `call`.
        #vis fn #ident(_: ::mcp_sdk::__private::Marker<#ident>) -> #ident {
            #ident {}
        }
    };
    quote! {
        #(#doc_attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #ident {}

        #marker

        // The marker's warning names a forgotten registration; `call` unused says nothing more.
        #[allow(dead_code)]
        impl #ident {
            #(#doc_attrs)*
            ///
            /// Calls the function directly, without MCP (handy in unit tests).
            #(#fn_attrs)*
            #vis async fn call(#(#inputs),*) #ret #block
        }
    }
}

/// What is emitted when the function has errors: the same shell with the user's function, less the
/// attributes only these macros understand, and a description that cannot run. Uses of the item
/// elsewhere then compile, so the user sees only the error that matters.
fn dummy(function: &ItemFn, kind: Macro) -> TokenStream {
    let mut function = function.clone();
    for input in &mut function.sig.inputs {
        if let FnArg::Typed(typed) = input {
            typed
                .attrs
                .retain(|attr| !is_doc(attr) && !attr.path().is_ident("default"));
        }
    }
    let ident = function.sig.ident.clone();
    let ItemFn {
        vis, sig, block, ..
    } = &function;
    let mut call = sig.clone();
    call.ident = syn::Ident::new("call", ident.span());
    let (item_trait, method, entry) = registration_names(kind);
    quote! {
        #[allow(non_camel_case_types, dead_code)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #ident {}

        #[allow(dead_code)]
        #vis fn #ident(_: ::mcp_sdk::__private::Marker<#ident>) -> #ident {
            #ident {}
        }

        #[allow(dead_code, unused_variables)]
        impl #ident {
            #vis #call #block
        }

        impl ::mcp_sdk::__private::#item_trait for #ident {
            fn #method() -> ::mcp_sdk::__private::#entry {
                ::core::unreachable!("the item did not compile")
            }
        }
    }
}

/// The trait the generated struct implements, its method and the entry it returns.
pub fn registration_names(kind: Macro) -> (TokenStream, TokenStream, TokenStream) {
    match kind {
        Macro::Tool => (quote!(ToolItem), quote!(tool), quote!(ToolEntry)),
        Macro::Resource => (
            quote!(ResourceItem),
            quote!(resource),
            quote!(ResourceEntry),
        ),
        Macro::Prompt => (quote!(PromptItem), quote!(prompt), quote!(PromptEntry)),
    }
}

/// `Some(value)` or `None` as tokens.
pub fn option<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}
