//! Rendering a template into memory: strict tera over file contents, `__var__` tokens in paths,
//! `skip` and `verbatim` globs. Nothing here touches the disk.

use std::collections::BTreeSet;
use std::path::{Component, Path};
use std::time::SystemTime;

use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::new::templates::{Choice, glob_set};
use crate::new::variables::Variables;

/// One file of the project to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// '/'-separated, relative to the project directory.
    pub path: String,
    pub contents: Vec<u8>,
    /// The modification time to give the written file; `None` for now. Vendored sources keep the
    /// SDK's own, as files unpacked from a crate do, so that cargo reuses one build of them for
    /// every project that shares a target folder.
    pub modified: Option<SystemTime>,
}

/// Renders every file of `choice` with `vars`, in source path order.
pub fn render(choice: &Choice<'_>, vars: &Variables) -> Result<Vec<OutFile>> {
    let template = choice.template;
    let name = &template.manifest.name;
    let skip = glob_set(name, &choice.skip())?;
    let verbatim = glob_set(name, &template.manifest.verbatim)?;
    let mut tera = engine();
    let mut sources = Vec::new();
    for file in template.files.iter().filter(|f| !skip.is_match(&f.path)) {
        let text = std::str::from_utf8(&file.contents)
            .ok()
            .filter(|_| !verbatim.is_match(&file.path));
        if let Some(text) = text {
            tera.add_raw_template(&file.path, text)
                .map_err(render_error(name, &file.path))?;
        }
        sources.push((file, text.is_some()));
    }
    let context = context(vars);
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(sources.len());
    for (file, rendered) in sources {
        let path = output_path(name, &file.path, vars)?;
        if !seen.insert(path.clone()) {
            return Err(Error::Template {
                template: name.clone(),
                reason: format!("two files would be written to {path}; rename one of them"),
            });
        }
        let contents = if rendered {
            tera.render(&file.path, &context)
                .map_err(render_error(name, &file.path))?
                .into_bytes()
        } else {
            file.contents.to_vec()
        };
        out.push(OutFile {
            path,
            contents,
            modified: None,
        });
    }
    Ok(out)
}

/// Renders one string of the manifest (such as `commands.run`) with `vars`.
pub fn render_str(template: &str, what: &str, text: &str, vars: &Variables) -> Result<String> {
    let mut tera = engine();
    tera.add_raw_template(what, text)
        .map_err(render_error(template, what))?;
    tera.render(what, &context(vars))
        .map_err(render_error(template, what))
}

/// Tera without autoescaping: we write source code, not HTML.
fn engine() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::new());
    tera
}

fn context(vars: &Variables) -> Context {
    let mut context = Context::new();
    for (key, value) in vars {
        context.insert(key, value);
    }
    context
}

fn render_error<'a>(template: &'a str, file: &'a str) -> impl FnOnce(tera::Error) -> Error + 'a {
    move |source| Error::Render {
        template: template.to_owned(),
        file: file.to_owned(),
        source: Box::new(source),
    }
}

/// `source` with each `__var__` token replaced, checked to stay inside the project.
fn output_path(template: &str, source: &str, vars: &Variables) -> Result<String> {
    let mut path = source.to_owned();
    for (key, value) in vars {
        let token = format!("__{key}__");
        if path.contains(&token) {
            path = path.replace(&token, value);
        }
    }
    let inside = !path.contains('\\')
        && Path::new(&path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && !path.split('/').any(str::is_empty);
    if inside {
        Ok(path)
    } else {
        Err(Error::Template {
            template: template.to_owned(),
            reason: format!(
                "{source} would be written to {path:?}, outside the project; fix its path tokens"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new::manifest::{Commands, Language, Manifest};
    use crate::new::templates::Template;
    use crate::new::tree::SourceFile;

    fn template(files: &[(&str, &str)], verbatim: &[&str], skip: &[&str]) -> Template {
        Template {
            manifest: Manifest {
                name: "t".into(),
                language: Language::Python,
                description: "d".into(),
                aliases: vec![],
                verbatim: verbatim.iter().map(|s| s.to_string()).collect(),
                skip: skip.iter().map(|s| s.to_string()).collect(),
                variables: Default::default(),
                variants: Default::default(),
                vendor_sdk: false,
                commands: Commands {
                    install: "i".into(),
                    test: "t".into(),
                    run: "r".into(),
                },
            },
            files: files
                .iter()
                .map(|(path, text)| SourceFile {
                    path: path.to_string(),
                    contents: text.as_bytes().to_vec().into(),
                })
                .collect(),
        }
    }

    fn vars() -> Variables {
        [
            ("module_name", "weather_api"),
            ("project_name", "weather-api"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    fn run(template: &Template) -> Result<Vec<OutFile>> {
        render(
            &Choice {
                template,
                variant: None,
            },
            &vars(),
        )
    }

    #[test]
    fn renders_contents_and_path_tokens() {
        let t = template(
            &[(
                "src/__module_name__/__init__.py",
                "NAME = \"{{ project_name }}\"\n",
            )],
            &[],
            &[],
        );
        let out = run(&t).unwrap();
        assert_eq!(out[0].path, "src/weather_api/__init__.py");
        assert_eq!(out[0].contents, b"NAME = \"weather-api\"\n");
    }

    #[test]
    fn undefined_variable_is_an_error_naming_file_and_variable() {
        let t = template(&[("README.md", "# {{ projct_name }}\n")], &[], &[]);
        let err = run(&t).unwrap_err();
        let chain = format!("{:#}", anyhow::Error::from(err));
        assert!(
            chain.contains("README.md") && chain.contains("projct_name"),
            "{chain}"
        );
    }

    #[test]
    fn syntax_error_names_the_file() {
        let t = template(&[("a.txt", "{% if %}")], &[], &[]);
        assert!(
            run(&t)
                .unwrap_err()
                .to_string()
                .contains("cannot render a.txt")
        );
    }

    #[test]
    fn verbatim_and_skip_globs() {
        let files = [
            ("keep/{{x}}.txt", "{{ raw }}"),
            ("skip/me.txt", "{{ nope }}"),
            ("deep/skip/me.txt", "x"),
        ];
        let t = template(&files, &["keep/**"], &["skip/*"]);
        let out = run(&t).unwrap();
        let paths: Vec<_> = out.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["keep/{{x}}.txt", "deep/skip/me.txt"]);
        assert_eq!(out[0].contents, b"{{ raw }}");
    }

    #[test]
    fn binary_files_are_copied_as_they_are() {
        let mut t = template(&[], &[], &[]);
        t.files.push(SourceFile {
            path: "logo.png".into(),
            contents: vec![0x89, b'{', b'{', 0xff].into(),
        });
        assert_eq!(run(&t).unwrap()[0].contents, [0x89, b'{', b'{', 0xff]);
    }

    #[test]
    fn tokens_cannot_escape_the_project() {
        let mut vars = vars();
        vars.insert("description".into(), "../../etc".into());
        let t = template(&[("__description__/x", "")], &[], &[]);
        let err = render(
            &Choice {
                template: &t,
                variant: None,
            },
            &vars,
        )
        .unwrap_err();
        assert!(err.to_string().contains("outside the project"), "{err}");
    }

    #[test]
    fn render_str_is_strict_too() {
        assert_eq!(
            render_str("t", "commands.run", ".venv/bin/{{ project_name }}", &vars()).unwrap(),
            ".venv/bin/weather-api"
        );
        assert!(render_str("t", "commands.run", "{{ nope }}", &vars()).is_err());
    }
}
