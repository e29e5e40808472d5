//! `template.toml`: what a template declares about itself (see templates/README.md).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// The language of the generated project; decides which names are reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Rust,
    Python,
    Typescript,
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Language::Rust => "rust",
            Language::Python => "python",
            Language::Typescript => "typescript",
        })
    }
}

/// The parsed `template.toml`. Unknown keys are errors, so a typo cannot go unnoticed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// What `--template` takes.
    pub name: String,
    pub language: Language,
    /// One line for `mcp-create templates`.
    pub description: String,
    /// Other names `--template` accepts for the same template.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Globs (template-relative source paths) of files copied without rendering.
    #[serde(default)]
    pub verbatim: Vec<String>,
    /// Globs (template-relative source paths) of files never copied.
    #[serde(default)]
    pub skip: Vec<String>,
    /// Extra variables with their defaults.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// Named presets: another `--template` name that sets variables and skips files.
    #[serde(default)]
    pub variants: BTreeMap<String, Variant>,
    /// Write the embedded mcp-sdk into the project as `vendor/` and set `sdk_path`.
    #[serde(default)]
    pub vendor_sdk: bool,
    pub commands: Commands,
}

/// A preset of a template, chosen with `--template <variant name>`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// One line for `mcp-create templates`; the template's when absent.
    pub description: Option<String>,
    /// Values that override the template's variables.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// Globs added to the template's `skip`.
    #[serde(default)]
    pub skip: Vec<String>,
}

/// Shell commands run from the project directory; rendered with the template's variables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commands {
    pub install: String,
    pub test: String,
    /// Starts the server over stdio; the registry's `command` and `args` come from it.
    pub run: String,
}
