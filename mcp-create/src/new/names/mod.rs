//! What the user types as NAME, checked and turned into the forms templates need.

mod keywords;

use heck::{ToKebabCase, ToSnakeCase, ToTitleCase, ToUpperCamelCase};

use crate::error::{Error, Result};
use crate::new::manifest::Language;

pub use keywords::keyword;

/// Longest name accepted (crates.io's limit).
const MAX_LEN: usize = 64;

/// The forms of one project name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// For titles and prose: as typed when it has capitals ("Weather API"), else title-cased.
    pub display_name: String,
    /// kebab-case: directory, package, binary and registry key (`weather-api`).
    pub project_name: String,
    /// snake_case: Python package, Rust crate identifier (`weather_api`).
    pub module_name: String,
    /// PascalCase (`WeatherApi`).
    pub struct_name: String,
}

impl Names {
    /// Checks `input` for a project in `language` and derives its forms.
    pub fn new(input: &str, language: Language) -> Result<Names> {
        check(input, language).map_err(|reason| Error::InvalidName {
            name: input.to_owned(),
            reason,
        })
    }
}

fn check(input: &str, language: Language) -> Result<Names, String> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("the name is empty; give the server a name, e.g. `mcp-create weather`".into());
    }
    if let Some(reason) = path_like(&name) {
        return Err(reason);
    }
    let first = name.chars().next().unwrap_or_default();
    if first.is_ascii_digit() {
        return Err(format!(
            "it starts with a digit, which a package name cannot; put a word first, e.g. \"mcp-{}\"",
            name.to_kebab_case()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || " -_".contains(*c)))
    {
        let suggestion: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        return Err(format!(
            "{bad:?} cannot be part of a package name; use ASCII letters, digits, spaces, '-' or '_', \
             e.g. \"{}\"",
            suggestion.to_kebab_case()
        ));
    }
    if !first.is_ascii_alphabetic() {
        return Err(format!(
            "it must start with a letter, e.g. \"{}\"",
            name.to_kebab_case()
        ));
    }
    if name.len() > MAX_LEN {
        return Err(format!(
            "it is {} characters long; use at most {MAX_LEN}",
            name.len()
        ));
    }
    let names = Names {
        display_name: if name.chars().any(|c| c.is_ascii_uppercase()) {
            name.clone()
        } else {
            name.to_title_case()
        },
        project_name: name.to_kebab_case(),
        module_name: name.to_snake_case(),
        struct_name: name.to_upper_camel_case(),
    };
    for form in [&names.project_name, &names.module_name] {
        if let Some(reason) = reserved(form, language) {
            return Err(format!(
                "\"{form}\" is {reason}; choose another name, e.g. \"{}-server\"",
                names.project_name
            ));
        }
    }
    Ok(names)
}

/// A reason when `name` looks like a path rather than a name.
fn path_like(name: &str) -> Option<String> {
    if !(name.contains(['/', '\\']) || name.contains("..") || name == ".") {
        return None;
    }
    let (dir, last) = name.rsplit_once(['/', '\\']).unwrap_or(("..", name));
    let example = match last {
        "" | "." | ".." => "weather",
        last => last,
    };
    let dir = if dir.is_empty() { "/" } else { dir };
    Some(format!(
        "a name cannot be a path (it becomes the directory name); choose the directory with --path, \
         e.g. `mcp-create {example} --path {dir}`"
    ))
}

/// Why `form` cannot name a project in `language`, if it cannot.
fn reserved(form: &str, language: Language) -> Option<String> {
    let listed = |words: &str| words.split_whitespace().any(|word| word == form);
    if form == "all" {
        return Some("the word that means every server in `start all` and `stop all`".into());
    }
    if listed(WINDOWS_RESERVED) {
        return Some("a reserved device name on Windows".into());
    }
    if let Some(reason) = keyword(form, language) {
        return Some(reason.into());
    }
    let groups: &[(&str, &str)] = match language {
        Language::Rust => &[
            (RUST_BUILTIN_CRATES, "the name of a crate built into Rust"),
            (
                CARGO_DIRS,
                "a directory name that cargo uses for build output",
            ),
        ],
        Language::Python => &[(
            PYTHON_STDLIB,
            "a Python standard-library module, which the package would shadow",
        )],
        Language::Typescript => &[
            (NODE_BUILTINS, "the name of a Node.js built-in module"),
            (NPM_RESERVED, "a name npm does not allow"),
        ],
    };
    if let Some((_, reason)) = groups.iter().find(|(words, _)| listed(words)) {
        return Some((*reason).to_owned());
    }
    let normal = |name: &str| name.to_ascii_lowercase().replace(['-', '.'], "_");
    let form = normal(form);
    dependencies(language)
        .any(|name| normal(name) == form)
        .then_some(match language {
            Language::Rust => "the name of a crate in the generated project's dependency graph",
            Language::Python => {
                "the name of a package or module that the generated project installs, which it \
                 would clash with"
            }
            Language::Typescript => "the name of a package the generated project installs",
        })
        .map(str::to_owned)
}

/// The packages and modules each template installs, directly or not: the committed
/// templates/<language>/reserved-names.txt (see `mcp-create/tests/projects/reserved_names.rs`, which checks
/// and regenerates them), one name a line, `#` starts a comment.
pub fn dependencies(language: Language) -> impl Iterator<Item = &'static str> {
    let text = match language {
        Language::Rust => RUST_DEPENDENCIES,
        Language::Python => PYTHON_DEPENDENCIES,
        Language::Typescript => TYPESCRIPT_DEPENDENCIES,
    };
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

const RUST_DEPENDENCIES: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/embed/templates/rust/reserved-names.txt"
));
const PYTHON_DEPENDENCIES: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/embed/templates/python/reserved-names.txt"
));
const TYPESCRIPT_DEPENDENCIES: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/embed/templates/typescript/reserved-names.txt"
));

// The word lists below are whitespace-separated.

/// Device names Windows reserves in every folder.
const WINDOWS_RESERVED: &str = "\
    con prn aux nul com1 com2 com3 com4 com5 com6 com7 com8 com9 lpt1 lpt2 lpt3 lpt4 lpt5 lpt6 \
    lpt7 lpt8 lpt9";
const RUST_BUILTIN_CRATES: &str = "alloc core proc_macro proc-macro std test";
const CARGO_DIRS: &str = "build deps examples incremental";
const PYTHON_STDLIB: &str = "\
    abc argparse array ast asyncio base64 calendar cmd code collections contextlib copy csv \
    dataclasses datetime decimal difflib dis email enum functools glob hashlib heapq html http \
    importlib inspect io ipaddress itertools json logging math operator os pathlib pickle \
    platform queue random re secrets select selectors shutil signal site socket sqlite3 ssl stat \
    statistics string struct subprocess sys tempfile test threading time token tokenize types \
    typing unittest urllib uuid warnings weakref xml zipfile zlib";
const NODE_BUILTINS: &str = "\
    assert async_hooks buffer child_process cluster console constants crypto dgram \
    diagnostics_channel dns domain events fs http http2 https inspector module net os path \
    perf_hooks process punycode querystring readline repl stream string_decoder sys test timers \
    tls trace_events tty url util v8 vm wasi worker_threads zlib";
const NPM_RESERVED: &str = "node_modules node-modules favicon.ico";

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Names {
        Names::new(input, Language::Rust).unwrap()
    }

    fn reason(input: &str, language: Language) -> String {
        match Names::new(input, language) {
            Err(Error::InvalidName { reason, .. }) => reason,
            other => panic!("{input:?} should be rejected, got {other:?}"),
        }
    }

    #[test]
    fn derives_every_form() {
        let names = ok("Weather API");
        assert_eq!(names.display_name, "Weather API");
        assert_eq!(names.project_name, "weather-api");
        assert_eq!(names.module_name, "weather_api");
        assert_eq!(names.struct_name, "WeatherApi");
        let names = ok("weather_api");
        assert_eq!(names.display_name, "Weather Api");
        assert_eq!(names.project_name, "weather-api");
        let names = ok("my_server2");
        assert_eq!(
            (names.project_name.as_str(), names.struct_name.as_str()),
            ("my-server2", "MyServer2")
        );
        assert_eq!(ok("  weather  ").display_name, "Weather");
    }

    #[test]
    fn rejects_empty_and_blank() {
        assert!(reason("", Language::Rust).contains("empty"));
        assert!(reason("   ", Language::Rust).contains("mcp-create weather"));
    }

    #[test]
    fn rejects_paths_and_says_use_path() {
        assert!(reason("../x", Language::Rust).contains("`mcp-create x --path ..`"));
        assert!(reason("a/b", Language::Rust).contains("`mcp-create b --path a`"));
        assert!(reason("a\\b", Language::Rust).contains("--path"));
        assert!(reason("..", Language::Rust).contains("`mcp-create weather --path ..`"));
        assert!(reason("/abs", Language::Rust).contains("--path /"));
    }

    #[test]
    fn rejects_a_leading_digit_or_symbol() {
        assert!(reason("2fa", Language::Python).contains("\"mcp-2fa\""));
        assert!(reason("_weather", Language::Rust).contains("start with a letter"));
    }

    #[test]
    fn rejects_characters_no_package_name_has() {
        let why = reason("weather.api", Language::Typescript);
        assert!(
            why.contains("'.'") && why.contains("\"weather-api\""),
            "{why}"
        );
        assert!(reason("météo", Language::Rust).contains("ASCII"));
        assert!(reason("a:b", Language::Rust).contains("':'"));
    }

    #[test]
    fn rejects_too_long() {
        assert!(reason(&"a".repeat(65), Language::Rust).contains("at most 64"));
        assert_eq!(ok(&"a".repeat(64)).project_name.len(), 64);
    }

    #[test]
    fn rejects_windows_device_names() {
        for name in ["con", "NUL", "com1", "lpt9"] {
            assert!(reason(name, Language::Python).contains("Windows"), "{name}");
        }
        ok("console-api");
    }

    #[test]
    fn rejects_rust_keywords_and_builtin_crates() {
        assert!(reason("fn", Language::Rust).contains("Rust keyword"));
        assert!(reason("Self", Language::Rust).contains("Rust keyword"));
        assert!(reason("test", Language::Rust).contains("built into Rust"));
        assert!(reason("proc-macro", Language::Rust).contains("built into Rust"));
        assert!(reason("deps", Language::Rust).contains("cargo"));
        assert!(reason("mcp-sdk", Language::Rust).contains("dependency graph"));
        assert!(reason("fn", Language::Rust).contains("\"fn-server\""));
        // Keywords of other languages are fine in Rust.
        ok("def");
    }

    #[test]
    fn rejects_python_keywords_and_shadowed_modules() {
        assert!(reason("import", Language::Python).contains("Python keyword"));
        assert!(reason("json", Language::Python).contains("standard-library"));
        assert!(reason("test", Language::Python).contains("standard-library"));
        assert!(reason("mcp", Language::Python).contains("installs"));
        Names::new("fn", Language::Python).unwrap();
    }

    #[test]
    fn rejects_typescript_reserved_words_and_node_builtins() {
        assert!(reason("class", Language::Typescript).contains("reserved word"));
        assert!(reason("fs", Language::Typescript).contains("Node.js"));
        assert!(reason("child process", Language::Typescript).contains("Node.js"));
        Names::new("weather", Language::Typescript).unwrap();
    }

    /// Findings 4, 6 and 8: each name is refused in its language, saying why and suggesting one
    /// that works.
    #[test]
    fn names_that_break_a_project_are_refused_with_a_reason() {
        let table = [
            (Language::Python, "and", "Python keyword"),
            (Language::Python, "lambda", "Python keyword"),
            (Language::Python, "nonlocal", "Python keyword"),
            (Language::Python, "jsonschema", "installs"),
            (Language::Python, "jwt", "installs"),
            (Language::Python, "pydantic", "installs"),
            (Language::Python, "pydantic-core", "installs"),
            (Language::Python, "pyjwt", "installs"),
            (Language::Python, "typing-extensions", "installs"),
            (Language::Python, "starlette", "installs"),
            (Language::Python, "uvicorn", "installs"),
            (Language::Python, "anyio", "installs"),
            (Language::Rust, "move", "Rust keyword"),
            (Language::Rust, "gen", "Rust keyword"),
            (Language::Rust, "box", "reserves"),
            (Language::Rust, "tokio", "dependency graph"),
            (Language::Rust, "serde", "dependency graph"),
            (Language::Rust, "serde-json", "dependency graph"),
            (Language::Rust, "rmcp", "dependency graph"),
            (Language::Rust, "mcp-sdk", "dependency graph"),
            (Language::Typescript, "constructor", "Object.prototype"),
            (Language::Typescript, "zod", "installs"),
            (Language::Typescript, "typescript", "installs"),
            (Language::Typescript, "hono", "installs"),
            (Language::Typescript, "jose", "installs"),
        ];
        for (language, name, why) in table {
            let reason = reason(name, language);
            assert!(reason.contains(why), "{language} {name}: {reason}");
            assert!(reason.contains("-server\""), "{language} {name}: {reason}");
        }
        for language in [Language::Rust, Language::Python, Language::Typescript] {
            assert!(reason("all", language).contains("`start all`"));
            assert!(reason("All", language).contains("`stop all`"));
        }
        ok("all-weather");
    }
}
