//! The generated code that describes arguments and decodes them in a call, shared by the macros.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Type, spanned::Spanned};

use crate::{
    attrs::Macro,
    item::Item,
    signature::{self, InputParam, ParamKind, Presence},
};

/// Statements for the builder (`describe`), for the handler (`extract`), and the bindings to pass
/// to `call`. `input` says how an argument is described and read for this kind of item.
pub struct Arguments {
    pub describe: Vec<TokenStream>,
    pub extract: Vec<TokenStream>,
    pub bindings: Vec<Ident>,
}

pub fn arguments(
    item: &Item,
    input: impl Fn(&InputParam, &Type) -> (Option<TokenStream>, TokenStream),
) -> Arguments {
    let mut arguments = Arguments {
        describe: Vec::new(),
        extract: Vec::new(),
        bindings: Vec::new(),
    };
    for (index, param) in item.params.iter().enumerate() {
        let binding = signature::binding(index);
        let ty = &param.ty;
        match &param.kind {
            ParamKind::Input(input_param) => {
                let (describe, read) = input(input_param, ty);
                arguments.describe.extend(describe);
                arguments
                    .extract
                    .push(quote_spanned!(ty.span()=> let #binding: #ty = #read?;));
            }
            ParamKind::State(inner) => {
                arguments
                    .describe
                    .push(quote!(__builder.state::<#inner>();));
                arguments
                    .extract
                    .push(quote!(let #binding: #ty = __call.state::<#inner>()?;));
            }
            ParamKind::Context => {
                arguments.describe.push(quote!(__builder.uses_context();));
                arguments
                    .extract
                    .push(quote!(let #binding: #ty = __call.context();));
            }
        }
        arguments.bindings.push(binding);
    }
    arguments
}

/// `Structured(value)`, at the span of the function's return type.
pub fn structured(item: &Item, value: TokenStream) -> TokenStream {
    let value_ty = &item.output.value;
    quote_spanned!(value_ty.span()=> __mcp::Structured(#value))
}

/// Reads a named argument from `__call` (a `ToolCall`), as its presence says: required,
/// `Option` (absent is `None`), or with a `#[default(..)]`.
pub fn read_argument(input: &InputParam, ty: &Type) -> TokenStream {
    let name = &input.name;
    match &input.presence {
        Presence::Required => quote!(__call.required::<#ty>(#name)),
        Presence::Optional => quote!(__call.optional::<#ty>(#name)),
        Presence::Default(expr) => {
            quote_spanned!(expr.span()=> __call.or_else::<#ty>(#name, || #expr))
        }
    }
}

/// Whether the function's success value is structured output, and the expression that converts
/// `__out` (the function's return value) into a `Result` of the protocol result: `convert` for a
/// value the runtime takes directly, `structured` for any other.
pub fn output(
    item: &Item,
    kind: Macro,
    convert: impl Fn(TokenStream) -> TokenStream,
    structured: impl Fn(TokenStream) -> TokenStream,
) -> (bool, TokenStream) {
    let value_ty = &item.output.value;
    let direct = signature::is_direct_output(value_ty, kind);
    let into = |value: TokenStream| match direct {
        true => convert(value),
        false => structured(value),
    };
    let conversion = if item.output.is_result {
        let ok = into(quote!(__value));
        quote! {
            match __out {
                ::core::result::Result::Ok(__value) => #ok,
                ::core::result::Result::Err(__error) => ::core::result::Result::Err(__mcp::Error::from(__error)),
            }
        }
    } else {
        into(quote!(__out))
    };
    (!direct, conversion)
}
