//! Carrying out a [`Plan`]: render, write, join the workspace, register.

use std::path::PathBuf;

use crate::config::{self, Registered};
use crate::error::{Error, Result};
use crate::manage::port::port_in_use;
use crate::new::plan::Plan;
use crate::new::render::{self, OutFile};
use crate::new::stage;
use crate::new::workspace::{self, WorkspaceChange};

/// What [`generate`] did (or, on a dry run, would do).
#[derive(Debug)]
pub struct Generated {
    /// The project folder.
    pub dest: PathBuf,
    /// Every file of the project, relative to `dest`, sorted.
    pub files: Vec<String>,
    /// Files that already existed and were kept (`--force`).
    pub kept: Vec<String>,
    /// The registry write, unless `--no-register` or a dry run.
    pub registered: Option<Registered>,
}

/// Renders the project of `plan` and, unless it is a dry run, writes it, registers it and adds
/// it to the enclosing Cargo workspace. Nothing is written before every file rendered. With a
/// registration, the project is written while the registry is locked, with the port picked there
/// (see [`config::register`]), so concurrent runs never share a port.
pub fn generate(plan: &Plan<'_>) -> Result<Generated> {
    let files = project_files(plan)?;
    let kept = stage::collisions(&plan.dest, &files)?;
    if plan.dry_run {
        return Ok(Generated {
            dest: plan.dest.clone(),
            files: paths(&files),
            kept,
            registered: None,
        });
    }
    let incomplete = |step: &'static str| {
        let dest = plan.dest.clone();
        move |source| Error::Incomplete {
            dest,
            step,
            source: Box::new(source),
        }
    };
    let mut written = None;
    let registered = match &plan.registration {
        None => {
            written = Some((paths(&files), stage::write_project(&plan.dest, &files)?));
            None
        }
        Some(registration) => {
            let registered = config::register(registration, port_in_use, |port| {
                let plan = plan.with_port(port)?;
                let files = project_files(&plan)?;
                written = Some((paths(&files), stage::write_project(&plan.dest, &files)?));
                let registration = plan.registration.expect("with_port keeps the registration");
                Ok(registration.entry)
            });
            match (registered, &written) {
                (Ok(registered), _) => Some(registered),
                (Err(error), None) => return Err(error),
                (Err(error), Some(_)) => return Err(incomplete("registering it")(error)),
            }
        }
    };
    let (files, kept) = written.expect("the project was written");
    if let Some(sdk) = &plan.sdk {
        sdk.write_shared()
            .map_err(incomplete("vendoring mcp-sdk for the workspace"))?;
    }
    if let Some(change) = &plan.workspace {
        workspace::apply(change).map_err(incomplete("adding it to the Cargo workspace"))?;
    }
    Ok(Generated {
        dest: plan.dest.clone(),
        files,
        kept,
        registered,
    })
}

fn paths(files: &[OutFile]) -> Vec<String> {
    files.iter().map(|f| f.path.clone()).collect()
}

/// Every file of the project in memory: the rendered template, the vendored SDK, and the
/// project's Cargo.toml made standalone or not as the workspace requires.
pub fn project_files(plan: &Plan<'_>) -> Result<Vec<OutFile>> {
    let mut files = render::render(&plan.choice, &plan.variables)?;
    if let Some(sdk) = &plan.sdk {
        files.extend(sdk.project_files()?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let standalone = match plan.workspace {
        Some(WorkspaceChange::Standalone) => true,
        Some(WorkspaceChange::Add { .. } | WorkspaceChange::Covered { .. }) => false,
        Some(WorkspaceChange::Excluded { .. }) | None => return Ok(files),
    };
    if let Some(manifest) = files.iter_mut().find(|f| f.path == "Cargo.toml") {
        let text = String::from_utf8_lossy(&manifest.contents);
        let edited = workspace::set_standalone(&text, standalone).map_err(|e| Error::Template {
            template: plan.choice.template.manifest.name.clone(),
            reason: format!("its Cargo.toml does not parse once rendered: {e}"),
        })?;
        manifest.contents = edited.into_bytes();
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new::args::NewArgs;
    use crate::new::templates::Templates;

    /// Another process registers the same name between the plan and the write: the name is
    /// checked again under the registry's lock, before anything is written.
    #[test]
    fn a_name_registered_meanwhile_is_refused_before_writing() {
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates");
        let templates = Templates::from_dir(&fixtures).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        let args = NewArgs {
            template: "python".into(),
            path: Some(dir.path().to_owned()),
            ..NewArgs::new("weather")
        };
        let plan = Plan::new(&args, &templates, Some(&config)).unwrap();
        std::fs::write(&config, r#"{"weather": {}}"#).unwrap();
        let err = generate(&plan).unwrap_err();
        assert!(matches!(err, Error::AlreadyRegistered { .. }), "{err}");
        assert!(!plan.dest.exists(), "nothing was written");
    }

    /// Every embedded template renders for each of these names, with nothing of this machine in it.
    #[test]
    fn every_embedded_template_renders_for_the_acceptance_names() {
        let templates = Templates::embedded().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let machine_paths = [
            checkout,
            dir.path()
                .canonicalize()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        ];
        let mut rendered = 0;
        for template in templates.iter() {
            for name in ["weather", "Weather API", "my_server2"] {
                let args = NewArgs {
                    template: template.manifest.name.clone(),
                    path: Some(dir.path().to_owned()),
                    no_register: true,
                    dry_run: true,
                    ..NewArgs::new(name)
                };
                let plan = Plan::new(&args, &templates, None).unwrap();
                let files = project_files(&plan).unwrap_or_else(|e| {
                    panic!(
                        "{} for {name:?}: {:#}",
                        template.manifest.name,
                        anyhow::Error::from(e)
                    )
                });
                assert!(!files.is_empty());
                for file in &files {
                    let text = String::from_utf8_lossy(&file.contents);
                    for path in &machine_paths {
                        assert!(
                            !text.contains(path.as_str()),
                            "{} has the absolute path {path}",
                            file.path
                        );
                    }
                    let dunders = ["__init__.py", "__main__.py"];
                    let leftover = file
                        .path
                        .split('/')
                        .any(|part| !dunders.contains(&part) && part.split("__").count() > 2);
                    assert!(
                        !leftover,
                        "{} keeps a path token that names no variable",
                        file.path
                    );
                }
                rendered += 1;
            }
        }
        assert!(rendered > 0, "no embedded template rendered");
    }
}
