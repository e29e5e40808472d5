//! The options inside `#[tool(..)]`, `#[resource(..)]` and `#[prompt(..)]`.

use proc_macro2::TokenStream;
use syn::{LitBool, LitStr, meta::ParseNestedMeta, parse::Parser};

/// Options a user can give the attribute. Which keys are allowed depends on the macro.
#[derive(Default)]
pub struct Options {
    /// The leading string of `#[resource("uri")]`.
    pub uri: Option<LitStr>,
    pub name: Option<LitStr>,
    pub title: Option<LitStr>,
    pub mime_type: Option<LitStr>,
    pub read_only: Option<bool>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
}

/// Which macro is parsing: decides the keys it accepts.
#[derive(Clone, Copy, PartialEq)]
pub enum Macro {
    Tool,
    Resource,
    Prompt,
}

impl Macro {
    pub fn noun(self) -> &'static str {
        match self {
            Macro::Tool => "tool",
            Macro::Resource => "resource",
            Macro::Prompt => "prompt",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Macro::Tool => &[
                "name",
                "title",
                "read_only",
                "destructive",
                "idempotent",
                "open_world",
            ],
            Macro::Resource => &["name", "title", "mime_type"],
            Macro::Prompt => &["name", "title"],
        }
    }
}

impl Options {
    pub fn parse(attr: TokenStream, kind: Macro) -> syn::Result<Self> {
        let mut options = Self::default();
        let mut tokens = attr.clone();
        if kind == Macro::Resource {
            let (uri, rest) = leading_uri(attr)?;
            options.uri = Some(uri);
            tokens = rest;
        }
        let parser = syn::meta::parser(|meta| options.parse_one(&meta, kind));
        parser.parse2(tokens)?;
        Ok(options)
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>, kind: Macro) -> syn::Result<()> {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !kind.keys().contains(&key.as_str()) {
            return Err(meta.error(format!(
                "unknown `#[{}]` option `{}`; expected one of: {}",
                kind.noun(),
                quote::ToTokens::to_token_stream(&meta.path),
                kind.keys().join(", ")
            )));
        }
        match key.as_str() {
            "name" => self.name = Some(meta.value()?.parse()?),
            "title" => self.title = Some(meta.value()?.parse()?),
            "mime_type" => self.mime_type = Some(meta.value()?.parse()?),
            "read_only" => self.read_only = Some(flag(meta)?),
            "destructive" => self.destructive = Some(flag(meta)?),
            "idempotent" => self.idempotent = Some(flag(meta)?),
            _ => self.open_world = Some(flag(meta)?),
        }
        Ok(())
    }
}

/// Splits `"uri", key = value, ..` into the URI and the rest.
fn leading_uri(attr: TokenStream) -> syn::Result<(LitStr, TokenStream)> {
    let span = proc_macro2::Span::call_site();
    let mut tokens = attr.into_iter();
    let Some(first) = tokens.next() else {
        return Err(syn::Error::new(
            span,
            "`#[resource]` needs a URI: `#[resource(\"weather://{city}/current\")]`",
        ));
    };
    let uri: LitStr = syn::parse2(first.into()).map_err(|error| {
        syn::Error::new(
            error.span(),
            "the first thing in `#[resource(..)]` is its URI in quotes, e.g. \"docs://readme\"",
        )
    })?;
    let rest: TokenStream = tokens.collect();
    let mut rest = rest.into_iter().peekable();
    if let Some(proc_macro2::TokenTree::Punct(comma)) = rest.peek()
        && comma.as_char() == ','
    {
        rest.next();
    }
    Ok((uri, rest.collect()))
}

/// `read_only` alone means true; `read_only = false` is allowed too.
fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(syn::Token![=]) {
        Ok(meta.value()?.parse::<LitBool>()?.value)
    } else {
        Ok(true)
    }
}
