//! The options inside `#[tool(...)]`.

use proc_macro2::TokenStream;
use syn::{LitBool, LitStr, meta::ParseNestedMeta, parse::Parser};

/// Options a user can give `#[tool(..)]`.
#[derive(Default)]
pub struct ToolOptions {
    pub name: Option<LitStr>,
    pub title: Option<LitStr>,
    pub read_only: Option<bool>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
}

const KEYS: &str = "name, title, read_only, destructive, idempotent, open_world";

impl ToolOptions {
    pub fn parse(attr: TokenStream) -> syn::Result<Self> {
        let mut options = Self::default();
        let parser = syn::meta::parser(|meta| options.parse_one(&meta));
        parser.parse2(attr)?;
        Ok(options)
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "name" => self.name = Some(meta.value()?.parse()?),
            "title" => self.title = Some(meta.value()?.parse()?),
            "read_only" => self.read_only = Some(flag(meta)?),
            "destructive" => self.destructive = Some(flag(meta)?),
            "idempotent" => self.idempotent = Some(flag(meta)?),
            "open_world" => self.open_world = Some(flag(meta)?),
            _ => {
                return Err(meta.error(format!(
                    "unknown `#[tool]` option `{}`; expected one of: {KEYS}",
                    quote::ToTokens::to_token_stream(&meta.path)
                )));
            }
        }
        Ok(())
    }
}

/// `read_only` alone means true; `read_only = false` is allowed too.
fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(syn::Token![=]) {
        Ok(meta.value()?.parse::<LitBool>()?.value)
    } else {
        Ok(true)
    }
}
