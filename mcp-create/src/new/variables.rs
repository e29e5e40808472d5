//! The variables every template gets (templates/README.md, "Variables every template gets").

use std::collections::BTreeMap;

use crate::new::names::Names;

/// Variable name -> value, as templates see them.
pub type Variables = BTreeMap<String, String>;

/// Names a template's `[variables]` may not redefine.
pub const BUILTIN: &[&str] = &[
    "display_name",
    "project_name",
    "module_name",
    "struct_name",
    "description",
    "port",
    "transport",
    "sdk_version",
    "mcp_create_version",
    "sdk_path",
];

/// What the built-in variables are made of.
#[derive(Debug, Clone, Copy)]
pub struct Builtins<'a> {
    pub names: &'a Names,
    pub description: &'a str,
    pub port: u16,
    pub transport: &'a str,
    pub sdk_version: &'a str,
    /// Where the vendored SDK goes, for templates with `vendor_sdk = true`.
    pub sdk_path: Option<&'a str>,
}

impl Builtins<'_> {
    /// The built-in variables, over which `extra` (template defaults and variant values) is laid.
    pub fn with(&self, extra: Variables) -> Variables {
        let names = self.names;
        let mut vars = extra;
        for (key, value) in [
            ("display_name", names.display_name.as_str()),
            ("project_name", &names.project_name),
            ("module_name", &names.module_name),
            ("struct_name", &names.struct_name),
            ("description", self.description),
            ("transport", self.transport),
            ("sdk_version", self.sdk_version),
            ("mcp_create_version", env!("CARGO_PKG_VERSION")),
        ] {
            vars.insert(key.to_owned(), value.to_owned());
        }
        vars.insert("port".to_owned(), self.port.to_string());
        if let Some(path) = self.sdk_path {
            vars.insert("sdk_path".to_owned(), path.to_owned());
        }
        vars
    }
}
