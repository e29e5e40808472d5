//! The words each language reserves: one table per language, shared by project names
//! ([`super::Names`]) and the names `add` gives tools, resources and prompts.

use crate::new::manifest::Language;

/// Python 3.13's `keyword.kwlist`, lowercased (`false`, `none` and `true` are harmless but kept).
const PYTHON_KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "false", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "none", "nonlocal", "not", "or", "pass", "raise", "return", "true", "try", "while",
    "with", "yield",
];
/// Python's `keyword.softkwlist` (3.12 added `type`).
const PYTHON_SOFT_KEYWORDS: &[&str] = &["_", "case", "match", "type"];
/// Rust 2024: strict keywords (with `gen`), reserved keywords, and the weak `union`.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while",
];
const RUST_RESERVED: &[&str] = &[
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield", "union",
];
/// ECMAScript reserved words (strict mode included) and the global values no binding may take.
const JS_RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "undefined",
    "infinity",
    "nan",
];
/// What every JavaScript object inherits from `Object.prototype` (also in snake_case, the form
/// `add` gives names): a tool of that name collides with the tables that key tools by name.
const OBJECT_PROTOTYPE: &[&str] = &[
    "constructor",
    "__proto__",
    "__definegetter__",
    "__definesetter__",
    "__lookupgetter__",
    "__lookupsetter__",
    "hasownproperty",
    "isprototypeof",
    "propertyisenumerable",
    "tolocalestring",
    "tostring",
    "valueof",
    "has_own_property",
    "is_prototype_of",
    "property_is_enumerable",
    "to_locale_string",
    "to_string",
    "value_of",
];

/// Why `word` cannot be an identifier in `language`, if it cannot (compared case-insensitively).
pub fn keyword(word: &str, language: Language) -> Option<&'static str> {
    let word = word.to_ascii_lowercase();
    let listed = |table: &[&str]| table.contains(&word.as_str());
    match language {
        Language::Python if listed(PYTHON_KEYWORDS) => Some("a Python keyword"),
        Language::Python if listed(PYTHON_SOFT_KEYWORDS) => Some("a Python soft keyword"),
        Language::Rust if listed(RUST_KEYWORDS) => Some("a Rust keyword"),
        Language::Rust if listed(RUST_RESERVED) => Some("a keyword Rust reserves for future use"),
        Language::Typescript if listed(JS_RESERVED) => {
            Some("a reserved word in TypeScript and JavaScript")
        }
        Language::Typescript if listed(OBJECT_PROTOTYPE) => Some(
            "a name every JavaScript object already has (inherited from Object.prototype), which \
             lookups by name would find",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_findings_is_a_keyword() {
        let findings = [
            (
                Language::Python,
                "and lambda elif nonlocal assert match case type _ import",
            ),
            (
                Language::Rust,
                "move unsafe dyn gen box abstract become final macro override priv typeof \
                 unsized virtual yield try do self super crate fn",
            ),
            (
                Language::Typescript,
                "constructor __proto__ toString hasOwnProperty valueOf value_of class enum \
                 await yield",
            ),
        ];
        for (language, words) in findings {
            for word in words.split_whitespace() {
                assert!(keyword(word, language).is_some(), "{language}: {word}");
            }
        }
        assert!(keyword("weather", Language::Rust).is_none());
        // Keywords of one language are fine in another.
        assert!(keyword("def", Language::Rust).is_none());
        assert!(keyword("move", Language::Python).is_none());
    }

    #[test]
    fn the_python_table_is_pythons() {
        let Ok(output) = std::process::Command::new("python3")
            .args([
                "-c",
                "import keyword; print(' '.join(keyword.kwlist + keyword.softkwlist))",
            ])
            .output()
        else {
            panic!("python3 is required by this test: install it");
        };
        let words = String::from_utf8(output.stdout).unwrap();
        for word in words.split_whitespace() {
            assert!(
                keyword(word, Language::Python).is_some(),
                "{word} is missing"
            );
        }
    }
}
