//! `#[mcp_sdk::main]`: a Tokio entry point that records the binary crate's identity; and
//! `#[mcp_sdk::test]`, Tokio's test attribute through the SDK's re-export.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

pub fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if !attr.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "`#[mcp_sdk::main]` takes no options",
        ));
    }
    let mut function: ItemFn = syn::parse2(item)?;
    if function.sig.asyncness.take().is_none() {
        return Err(syn::Error::new_spanned(
            function.sig.fn_token,
            "`#[mcp_sdk::main]` goes on `async fn main`",
        ));
    }
    let body = &function.block;
    let attrs = &function.attrs;
    let vis = &function.vis;
    let sig = &function.sig;
    Ok(quote! {
        #(#attrs)*
        #vis #sig {
            ::mcp_sdk::__private::set_package(
                ::core::env!("CARGO_PKG_NAME"),
                ::core::env!("CARGO_PKG_VERSION"),
            );
            ::mcp_sdk::__private::block_on(async move #body)
        }
    })
}

/// `#[mcp_sdk::test(..)]` is `#[tokio::test(crate = "mcp_sdk::tokio", ..)]`.
pub fn expand_test(attr: TokenStream, item: TokenStream) -> TokenStream {
    let comma = (!attr.is_empty()).then(|| quote!(,));
    quote! {
        #[::mcp_sdk::tokio::test(crate = "mcp_sdk::tokio" #comma #attr)]
        #item
    }
}
