//! The registry of templates: embedded in the binary (or read from a directory), checked on load,
//! and looked up by name, alias or variant.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{GlobSet, GlobSetBuilder};
use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};
use crate::new::manifest::{Manifest, Variant};
use crate::new::tree::{self, SourceFile};
use crate::new::variables;

/// templates/ of the checkout, without caches (see build.rs).
static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embed/templates");

/// The manifest's file name inside a template directory.
pub const MANIFEST: &str = "template.toml";

/// One template: its manifest and the files it renders.
#[derive(Debug)]
pub struct Template {
    pub manifest: Manifest,
    /// Every file but the manifest, sorted, with paths relative to the template's directory.
    pub files: Vec<SourceFile>,
}

/// A template chosen by `--template`, with the variant that name selected, if any.
#[derive(Debug, Clone, Copy)]
pub struct Choice<'a> {
    pub template: &'a Template,
    pub variant: Option<(&'a str, &'a Variant)>,
}

impl Choice<'_> {
    /// The name that selects exactly this choice again: the variant's, else the template's.
    pub fn name(&self) -> &str {
        self.variant
            .map_or(&self.template.manifest.name, |(name, _)| name)
    }

    /// The template's variables with the variant's values applied.
    pub fn variables(&self) -> BTreeMap<String, String> {
        let mut vars = self.template.manifest.variables.clone();
        if let Some((_, variant)) = self.variant {
            vars.extend(variant.variables.clone());
        }
        vars
    }

    /// The template's skip globs and the variant's.
    pub fn skip(&self) -> Vec<String> {
        let mut skip = self.template.manifest.skip.clone();
        if let Some((_, variant)) = self.variant {
            skip.extend(variant.skip.iter().cloned());
        }
        skip
    }
}

/// All templates, sorted by name.
#[derive(Debug)]
pub struct Templates {
    templates: Vec<Template>,
}

impl Templates {
    /// The templates built into this binary.
    pub fn embedded() -> Result<Templates> {
        Templates::from_files(tree::embedded(&EMBEDDED))
    }

    /// The templates in `dir`, laid out like templates/ (one folder per template).
    pub fn from_dir(dir: &Path) -> Result<Templates> {
        let templates = Templates::from_files(tree::from_disk(dir)?)?;
        if templates.templates.is_empty() {
            return Err(Error::Template {
                template: dir.display().to_string(),
                reason: format!(
                    "no folder in it has a {MANIFEST}; point at the folder that holds one folder per template"
                ),
            });
        }
        Ok(templates)
    }

    /// Groups files by their first folder; every folder with a manifest is a template.
    fn from_files(files: Vec<SourceFile>) -> Result<Templates> {
        let mut folders: BTreeMap<String, Vec<SourceFile>> = BTreeMap::new();
        for file in files {
            if let Some((folder, rest)) = file.path.split_once('/') {
                let file = SourceFile {
                    path: rest.to_owned(),
                    contents: file.contents,
                };
                folders.entry(folder.to_owned()).or_default().push(file);
            }
        }
        let mut templates = Vec::new();
        for (folder, mut files) in folders {
            let Some(at) = files.iter().position(|f| f.path == MANIFEST) else {
                continue;
            };
            let manifest = parse_manifest(&folder, &files.remove(at).contents)?;
            templates.push(Template { manifest, files });
        }
        templates.sort_by(|a, b| a.manifest.name.cmp(&b.manifest.name));
        let templates = Templates { templates };
        templates.check_names_unique()?;
        Ok(templates)
    }

    /// Every template, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.templates.iter()
    }

    /// The template that `name` (a name, alias or variant, any case) selects.
    pub fn resolve(&self, name: &str) -> Result<Choice<'_>> {
        let wanted = name.trim().to_ascii_lowercase();
        for template in &self.templates {
            let manifest = &template.manifest;
            if manifest.name == wanted || manifest.aliases.contains(&wanted) {
                return Ok(Choice {
                    template,
                    variant: None,
                });
            }
            if let Some((name, variant)) = manifest.variants.get_key_value(&wanted) {
                return Ok(Choice {
                    template,
                    variant: Some((name, variant)),
                });
            }
        }
        let mut available: Vec<&str> = self
            .templates
            .iter()
            .flat_map(|t| accepted_names(&t.manifest))
            .collect();
        available.sort_unstable();
        Err(Error::UnknownTemplate {
            name: name.to_owned(),
            available: available.join(", "),
        })
    }

    fn check_names_unique(&self) -> Result<()> {
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for template in &self.templates {
            let owner = template.manifest.name.as_str();
            for name in accepted_names(&template.manifest) {
                if let Some(first) = owners.insert(name, owner) {
                    return Err(Error::Template {
                        template: owner.to_owned(),
                        reason: format!(
                            "the name {name:?} is already taken by template {first}; rename one of them"
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Every name that selects the template: its name, aliases and variants.
pub fn accepted_names(manifest: &Manifest) -> impl Iterator<Item = &str> {
    std::iter::once(manifest.name.as_str())
        .chain(manifest.aliases.iter().map(String::as_str))
        .chain(manifest.variants.keys().map(String::as_str))
}

/// A glob set over template-relative source paths; `*` stays within one path component.
pub fn glob_set(template: &str, globs: &[String]) -> Result<GlobSet> {
    let mut set = GlobSetBuilder::new();
    for glob in globs {
        let glob = globset::GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::Template {
                template: template.to_owned(),
                reason: format!("invalid glob {glob:?}: {e}"),
            })?;
        set.add(glob);
    }
    set.build().map_err(|e| Error::Template {
        template: template.to_owned(),
        reason: e.to_string(),
    })
}

/// Parses and checks one manifest of the folder `folder`.
fn parse_manifest(folder: &str, contents: &[u8]) -> Result<Manifest> {
    let file = format!("{folder}/{MANIFEST}");
    let text = String::from_utf8_lossy(contents);
    let manifest: Manifest = toml_edit::de::from_str(&text).map_err(|source| Error::Manifest {
        template: folder.to_owned(),
        file,
        source: Box::new(source),
    })?;
    let invalid = |reason: String| Error::Template {
        template: manifest.name.clone(),
        reason,
    };
    if let Some(name) = manifest
        .variables
        .keys()
        .find(|v| variables::BUILTIN.contains(&v.as_str()))
    {
        return Err(invalid(format!(
            "[variables] redefines the built-in variable {name:?}; rename it"
        )));
    }
    for (name, variant) in &manifest.variants {
        if let Some(var) = variant
            .variables
            .keys()
            .find(|v| !manifest.variables.contains_key(*v))
        {
            return Err(invalid(format!(
                "variant {name:?} sets {var:?}, which [variables] does not declare; declare it with a default"
            )));
        }
    }
    for globs in std::iter::once(&manifest.verbatim)
        .chain(std::iter::once(&manifest.skip))
        .chain(manifest.variants.values().map(|v| &v.skip))
    {
        glob_set(&manifest.name, globs)?;
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> Templates {
        Templates::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates"))
            .unwrap()
    }

    #[test]
    fn resolves_names_aliases_and_variants() {
        let templates = fixtures();
        assert_eq!(templates.resolve("rust").unwrap().name(), "rust");
        assert_eq!(
            templates
                .resolve("Python-FastMCP")
                .unwrap()
                .template
                .manifest
                .name,
            "python"
        );
        let minimal = templates.resolve("minimal-python").unwrap();
        assert_eq!(minimal.template.manifest.name, "python");
        assert_eq!(minimal.name(), "minimal-python");
        assert_eq!(minimal.variables()["layout"], "minimal");
        assert!(minimal.skip().iter().any(|g| g.contains("prompts")));
        assert_eq!(
            templates.resolve("typescript-node").unwrap().name(),
            "typescript"
        );
    }

    #[test]
    fn a_folder_without_templates_is_an_error() {
        let single = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates/python");
        let err = Templates::from_dir(&single).unwrap_err().to_string();
        assert!(err.contains("no folder in it has a template.toml"), "{err}");
    }

    #[test]
    fn unknown_template_lists_the_available_ones() {
        let err = fixtures().resolve("go").unwrap_err().to_string();
        assert!(err.contains("\"go\""), "{err}");
        assert!(
            err.contains(
                "minimal-python, python, python-fastmcp, rust, typescript, typescript-node"
            ),
            "{err}"
        );
    }

    #[test]
    fn rejects_duplicate_names() {
        let manifest = |name: &str, alias: &str| {
            SourceFile {
            path: format!("{name}/{MANIFEST}"),
            contents: format!(
                "name = \"{name}\"\nlanguage = \"rust\"\ndescription = \"d\"\naliases = [\"{alias}\"]\n\
                 [commands]\ninstall = \"i\"\ntest = \"t\"\nrun = \"r\"\n"
            )
            .into_bytes()
            .into(),
        }
        };
        let err =
            Templates::from_files(vec![manifest("a", "same"), manifest("b", "same")]).unwrap_err();
        assert!(
            err.to_string()
                .contains("\"same\" is already taken by template a"),
            "{err}"
        );
    }

    #[test]
    fn rejects_bad_manifests() {
        let bad = |body: &str| {
            let file = SourceFile {
                path: format!("x/{MANIFEST}"),
                contents: body.as_bytes().to_vec().into(),
            };
            Templates::from_files(vec![file]).unwrap_err().to_string()
        };
        let base = "name = \"x\"\nlanguage = \"rust\"\ndescription = \"d\"\n";
        let commands = "[commands]\ninstall = \"i\"\ntest = \"t\"\nrun = \"r\"\n";
        assert!(bad(&format!("{base}colour = 1\n{commands}")).contains("x/template.toml"));
        assert!(
            bad(&format!("{base}[variables]\nport = \"1\"\n{commands}"))
                .contains("built-in variable \"port\"")
        );
        assert!(
            bad(&format!(
                "{base}[variants.y.variables]\nlayout = \"m\"\n{commands}"
            ))
            .contains("does not declare")
        );
        assert!(bad(&format!("{base}skip = [\"[\"]\n{commands}")).contains("invalid glob"));
    }

    /// Non-empty folders of the embedded templates/, split by whether they hold a manifest.
    fn embedded_folders() -> (Vec<String>, Vec<String>) {
        EMBEDDED
            .dirs()
            .filter(|dir| !dir.entries().is_empty())
            .map(|dir| dir.path().to_string_lossy().into_owned())
            .partition(|name| EMBEDDED.get_file(format!("{name}/{MANIFEST}")).is_some())
    }

    #[test]
    fn embedded_templates_load_and_their_folders_all_have_manifests() {
        let (with_manifest, without) = embedded_folders();
        assert!(
            !with_manifest.is_empty(),
            "templates/ has no folder with a {MANIFEST} yet"
        );
        assert!(
            without.is_empty(),
            "templates/{without:?} have files but no {MANIFEST}"
        );
        let templates = Templates::embedded().unwrap();
        assert_eq!(templates.iter().count(), with_manifest.len());
    }

    #[test]
    fn embedded_seed_aliases_resolve_where_their_template_exists() {
        let templates = Templates::embedded().unwrap();
        for (alias, target) in [
            ("python-fastmcp", "python"),
            ("minimal-python", "python"),
            ("typescript-node", "typescript"),
        ] {
            if templates.resolve(target).is_ok() {
                let choice = templates
                    .resolve(alias)
                    .unwrap_or_else(|e| panic!("seed alias {alias}: {e}"));
                assert_eq!(choice.template.manifest.name, target);
            }
        }
    }
}
