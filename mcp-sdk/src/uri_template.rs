//! URI templates of resources (RFC 6570 level 1: `weather://{city}/current`).

use std::collections::HashMap;

/// A parsed URI template.
#[derive(Clone, Debug)]
pub(crate) struct UriTemplate {
    source: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Literal(String),
    Variable(String),
}

impl UriTemplate {
    /// Parses `source`; the macro has already checked its syntax, so this cannot fail for
    /// templates from `#[resource]`. Unbalanced braces are taken literally.
    pub fn parse(source: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_owned()));
            }
            parts.push(Part::Variable(rest[open + 1..open + close].to_owned()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        Self {
            source: source.to_owned(),
            parts,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the template has no variables (a plain resource rather than a template).
    pub fn is_fixed(&self) -> bool {
        self.parts
            .iter()
            .all(|part| matches!(part, Part::Literal(_)))
    }

    /// The variables' values if `uri` matches. A variable matches one or more characters other
    /// than `/`, `?` and `#`; values are percent-decoded.
    pub fn matches(&self, uri: &str) -> Option<HashMap<String, String>> {
        let mut values = HashMap::new();
        let mut rest = uri;
        for (index, part) in self.parts.iter().enumerate() {
            match part {
                Part::Literal(literal) => rest = rest.strip_prefix(literal.as_str())?,
                Part::Variable(name) => {
                    let end = match self.parts.get(index + 1) {
                        Some(Part::Literal(next)) => rest.find(next.as_str())?,
                        _ => rest.len(),
                    };
                    let value = &rest[..end];
                    if value.is_empty() || value.contains(['/', '?', '#']) {
                        return None;
                    }
                    values.insert(name.clone(), percent_decode(value)?);
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(values)
    }
}

fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = value.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_variables_between_literals() {
        let template = UriTemplate::parse("weather://{city}/current");
        let values = template.matches("weather://Paris/current").unwrap();
        assert_eq!(values["city"], "Paris");
        assert_eq!(
            template.matches("weather://New%20York/current").unwrap()["city"],
            "New York"
        );
        assert!(template.matches("weather://Paris/forecast").is_none());
        assert!(template.matches("weather:///current").is_none());
        assert!(template.matches("weather://a/b/current").is_none());
    }

    #[test]
    fn fixed_templates_match_only_themselves() {
        let template = UriTemplate::parse("info://server");
        assert!(template.is_fixed());
        assert!(template.matches("info://server").is_some());
        assert!(template.matches("info://server2").is_none());
    }

    #[test]
    fn a_trailing_variable_takes_the_rest() {
        let template = UriTemplate::parse("greeting://{name}");
        assert_eq!(template.matches("greeting://Ada").unwrap()["name"], "Ada");
        assert!(template.matches("greeting://").is_none());
    }
}
