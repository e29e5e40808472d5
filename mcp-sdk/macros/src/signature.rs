//! What a tool (or prompt) function's arguments and return type mean to MCP.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{Attribute, Expr, FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, Type};

use crate::{
    attrs::Macro,
    docs::{doc_text, is_doc},
};

/// Collects several errors so one compile shows them all.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn error(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn finish(self) -> Result<(), syn::Error> {
        self.0.map_or(Ok(()), Err)
    }
}

/// One argument of the user's function.
pub struct Param {
    /// The attributes kept on the argument when the function is re-emitted (not docs, not `default`).
    pub kept_attrs: Vec<Attribute>,
    pub pat: Pat,
    pub ty: Type,
    pub kind: ParamKind,
}

pub enum ParamKind {
    /// Part of the input schema.
    Input(InputParam),
    /// `State<T>`: injected from the server's state, carrying `T`.
    State(Type),
    /// `Context`: injected per request.
    Context,
}

pub struct InputParam {
    /// The property name in the schema (the argument name without `r#`).
    pub name: String,
    pub doc: String,
    pub presence: Presence,
}

pub enum Presence {
    Required,
    /// `Option<T>`: absent or null means `None`.
    Optional,
    /// `#[default(expr)]`.
    Default(Expr),
}

/// Reads the arguments of the function under `kind`.
pub fn params(
    inputs: impl IntoIterator<Item = FnArg>,
    kind: Macro,
    errors: &mut Errors,
) -> Vec<Param> {
    let what = kind.noun();
    let mut params = Vec::new();
    for input in inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                errors.error(
                    receiver,
                    format!("a {what} is a free function, not a method; share data with a `State<T>` argument"),
                );
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        let ident = match &*typed.pat {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => pat.ident.clone(),
            other => {
                errors.error(
                    other,
                    format!("unsupported argument pattern; {what} arguments are plain names like `city: String`"),
                );
                continue;
            }
        };
        let kind = match injected(&typed.ty) {
            Some(kind) => kind,
            None => ParamKind::Input(input_param(&ident, &typed.attrs, &typed.ty, kind, errors)),
        };
        params.push(Param {
            kept_attrs: typed
                .attrs
                .iter()
                .filter(|attr| !is_doc(attr) && !attr.path().is_ident("default"))
                .cloned()
                .collect(),
            pat: (*typed.pat).clone(),
            ty: (*typed.ty).clone(),
            kind,
        });
    }
    params
}

fn input_param(
    ident: &Ident,
    attrs: &[Attribute],
    ty: &Type,
    kind: Macro,
    errors: &mut Errors,
) -> InputParam {
    let what = kind.noun();
    let name = ident.to_string().trim_start_matches("r#").to_owned();
    if let Some(reference) = first_reference(ty) {
        errors.error(
            reference,
            format!(
                "argument `{name}` borrows (`{}`), but a {what} owns its arguments: each call \
                 decodes them from the client's request; take `{}` instead",
                reference.to_token_stream().to_string().replace("& ", "&"),
                owned(reference)
                    .to_token_stream()
                    .to_string()
                    .replace(" <", "<")
                    .replace("< ", "<")
                    .replace(" >", ">")
            ),
        );
    }
    let doc = doc_text(attrs);
    // A resource's arguments are its URI variables: the URI template documents them.
    if doc.is_empty() && kind != Macro::Resource {
        errors.error(
            ident,
            format!(
                "argument `{name}` has no doc comment; add `/// <what it is>` above it: \
                 it becomes the description the model reads for this {what} argument"
            ),
        );
    }
    let default = attrs.iter().find(|attr| attr.path().is_ident("default"));
    let presence = match default {
        Some(attr) => match attr.parse_args::<Expr>() {
            Ok(expr) => Presence::Default(expr),
            Err(_) => {
                errors.error(
                    attr,
                    "write the default value in parentheses: `#[default(3)]`",
                );
                Presence::Required
            }
        },
        None if last_segment(ty).is_some_and(|(name, _)| name == "Option") => Presence::Optional,
        None => Presence::Required,
    };
    InputParam {
        name,
        doc,
        presence,
    }
}

/// The first `&T` in `ty` (itself, or inside `Option<&str>`, `Vec<&T>` ..).
fn first_reference(ty: &Type) -> Option<&syn::TypeReference> {
    match ty {
        Type::Reference(reference) => Some(reference),
        Type::Paren(inner) => first_reference(&inner.elem),
        Type::Group(inner) => first_reference(&inner.elem),
        Type::Slice(slice) => first_reference(&slice.elem),
        Type::Array(array) => first_reference(&array.elem),
        Type::Tuple(tuple) => tuple.elems.iter().find_map(first_reference),
        Type::Path(path) => {
            path.path
                .segments
                .iter()
                .find_map(|segment| match &segment.arguments {
                    PathArguments::AngleBracketed(args) => {
                        args.args.iter().find_map(|arg| match arg {
                            GenericArgument::Type(ty) => first_reference(ty),
                            _ => None,
                        })
                    }
                    _ => None,
                })
        }
        _ => None,
    }
}

/// The owned type to take instead of `reference`: `String` for `&str`, `Vec<T>` for `&[T]`, `T`.
fn owned(reference: &syn::TypeReference) -> Type {
    match &*reference.elem {
        elem if is_str(elem) => syn::parse_quote!(String),
        Type::Slice(slice) => {
            let elem = &slice.elem;
            syn::parse_quote!(Vec<#elem>)
        }
        elem => elem.clone(),
    }
}

/// `State<T>` and `Context` arguments are injected, not read from the client's arguments.
fn injected(ty: &Type) -> Option<ParamKind> {
    let (name, args) = last_segment(ty)?;
    match name.as_str() {
        "Context" if args.is_none() => Some(ParamKind::Context),
        "State" => Some(ParamKind::State(args?.clone())),
        _ => None,
    }
}

/// The name of the last path segment of `ty` and its first type argument, if any.
pub fn last_segment(ty: &Type) -> Option<(String, Option<&Type>)> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    let first_arg = match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    };
    Some((segment.ident.to_string(), first_arg))
}

/// What a function returns, seen through an optional `Result`.
pub struct Output {
    /// The success type (`()` when the function returns nothing).
    pub value: Type,
    pub is_result: bool,
}

pub fn output(ret: &ReturnType, what: &str, errors: &mut Errors) -> Output {
    let ty: Type = match ret {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    let (value, is_result) = match last_segment(&ty) {
        Some((name, Some(inner))) if name == "Result" => (inner.clone(), true),
        _ => (ty, false),
    };
    if let Some(reason) = unsupported(&value) {
        errors.error(
            &value,
            format!(
                "unsupported {what} return type: {reason}; return String, (), a type that implements \
                 Serialize + JsonSchema, rmcp content, or `mcp_sdk::Result` of one of those"
            ),
        );
    }
    Output { value, is_result }
}

fn unsupported(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::ImplTrait(_) => Some("`impl Trait` has no schema"),
        Type::TraitObject(_) => Some("a trait object has no schema"),
        Type::Reference(reference) if !is_str(&reference.elem) => {
            Some("borrowed data cannot outlive the call")
        }
        Type::Ptr(_) | Type::BareFn(_) | Type::Never(_) | Type::Infer(_) => {
            Some("it cannot be sent to a client")
        }
        Type::Paren(inner) => unsupported(&inner.elem),
        Type::Group(inner) => unsupported(&inner.elem),
        _ => None,
    }
}

fn is_str(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.is_ident("str"))
}

/// mcp-sdk's content types (and text), which a tuple may combine into mixed content.
const CONTENT: &[&str] = &[
    "String",
    "Image",
    "Audio",
    "Embedded",
    "ResourceLink",
    "Content",
];

/// Whether the runtime turns `ty` into a result directly (text or rmcp types); every other type is
/// structured output, sent as JSON.
pub fn is_direct_output(ty: &Type, kind: Macro) -> bool {
    if let Type::Tuple(tuple) = ty {
        // `()` is an empty result; a tuple of content blocks is mixed content.
        let content = |ty: &Type| match ty {
            Type::Reference(reference) => is_str(&reference.elem),
            _ => last_segment(ty).is_some_and(|(name, _)| CONTENT.contains(&name.as_str())),
        };
        return match tuple.elems.is_empty() {
            true => kind == Macro::Tool,
            false => kind != Macro::Resource && tuple.elems.iter().all(content),
        };
    }
    if let Type::Reference(reference) = ty {
        return is_str(&reference.elem);
    }
    let direct: &[&str] = match kind {
        Macro::Tool => &[
            "CallToolResult",
            "ContentBlock",
            "Image",
            "Audio",
            "Embedded",
            "ResourceLink",
            "Content",
        ],
        Macro::Resource => &["ReadResourceResult", "ResourceContents", "Blob"],
        Macro::Prompt => return true,
    };
    match last_segment(ty) {
        Some((name, _)) if name == "String" || direct.contains(&name.as_str()) => true,
        Some((name, Some(inner))) if name == "Vec" => {
            last_segment(inner).is_some_and(|(name, _)| direct.contains(&name.as_str()))
        }
        _ => false,
    }
}

/// The function's arguments with the attributes this crate consumed removed.
pub fn stripped_inputs(params: &[Param]) -> Vec<TokenStream> {
    params
        .iter()
        .map(|param| {
            let Param {
                kept_attrs,
                pat,
                ty,
                ..
            } = param;
            quote!(#(#kept_attrs)* #pat: #ty)
        })
        .collect()
}

/// A fresh identifier for the `index`th argument inside generated code.
pub fn binding(index: usize) -> Ident {
    Ident::new(&format!("__arg{index}"), Span::mixed_site())
}
