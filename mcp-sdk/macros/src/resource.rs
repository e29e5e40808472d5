//! `#[resource("scheme://{var}/path")]`: an `async fn` whose arguments are the URI's variables.

use proc_macro2::TokenStream;
use quote::quote;

use crate::{
    attrs::Macro,
    extract,
    item::{self, Item},
    signature::{Errors, ParamKind},
};

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    item::expand(Macro::Resource, attr, item, generate)
}

fn generate(item: &Item, errors: &mut Errors) -> TokenStream {
    let ident = &item.function.sig.ident;
    let Some(uri) = &item.options.uri else {
        return TokenStream::new(); // the attribute did not parse; its error is already collected
    };
    let variables = match uri_variables(&uri.value()) {
        Ok(variables) => variables,
        Err(message) => {
            errors.error(uri, message);
            return TokenStream::new();
        }
    };
    for param in &item.params {
        if let ParamKind::Input(input) = &param.kind
            && !variables.contains(&input.name)
        {
            errors.error(
                &param.pat,
                format!(
                    "argument `{}` is not a variable of the URI `{}`; a resource's arguments are its URI \
                     variables ({}), plus State<T> and Context",
                    input.name,
                    uri.value(),
                    list(&variables)
                ),
            );
        }
    }
    for variable in &variables {
        let taken = item
            .params
            .iter()
            .any(|p| matches!(&p.kind, ParamKind::Input(i) if &i.name == variable));
        if !taken {
            errors.error(uri, format!("the URI variable `{{{variable}}}` has no argument; add `{variable}: String` to the function"));
        }
    }

    let name = item.mcp_name();
    let description = &item.description;
    let arguments = extract::arguments(item, |input, ty| {
        let variable = &input.name;
        (None, quote!(__call.variable::<#ty>(#variable)))
    });
    let into = |value| quote!(__mcp::IntoResourceOutput::into_resource_output(#value, &__uri, __mime.as_deref()));
    let (_, convert) = extract::output(item, Macro::Resource, into, |value| {
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
    let mime_type = item
        .options
        .mime_type
        .as_ref()
        .map(|mime| quote!(__builder.mime_type(#mime);));
    quote! {
        impl ::mcp_sdk::__private::ResourceItem for #ident {
            fn resource() -> ::mcp_sdk::__private::ResourceEntry {
                use ::mcp_sdk::__private as __mcp;
                let mut __builder = __mcp::ResourceBuilder::new(#uri, #name, #description, __mcp::package!());
                #title
                #mime_type
                #(#describe)*
                __builder.build(|mut __call: __mcp::ResourceCall| ::std::boxed::Box::pin(async move {
                    #(#extract)*
                    let (__uri, __mime) = (__call.uri().to_owned(), __call.mime_type().map(str::to_owned));
                    let __out = #ident::call(#(#bindings),*).await;
                    #convert
                }))
            }
        }
    }
}

/// The `{name}` variables of a URI template (RFC 6570 level 1), or what is wrong with it.
fn uri_variables(uri: &str) -> Result<Vec<String>, String> {
    let mut variables = Vec::new();
    let mut rest = uri;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{{` without `}}` in the URI `{uri}`"))?;
        let name = &after[..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{{{name}}}` in the URI `{uri}` is not a variable name; write `{{city}}`"
            ));
        }
        if variables.iter().any(|v| v == name) {
            return Err(format!("the URI `{uri}` uses `{{{name}}}` twice"));
        }
        variables.push(name.to_owned());
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("`}}` without `{{` in the URI `{uri}`"));
    }
    Ok(variables)
}

fn list(variables: &[String]) -> String {
    match variables.is_empty() {
        true => "it has none".into(),
        false => variables
            .iter()
            .map(|v| format!("{{{v}}}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
