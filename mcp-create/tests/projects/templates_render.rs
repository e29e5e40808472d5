//! Acceptance 2: every template (and variant) renders for the names `weather`, `Weather API` and
//! `my_server2`, and the projects written hold no absolute path of the machine that generated
//! them: not the temporary folder, not the checkout, not $HOME. vendor/ is checked too.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::support::project::{ACCEPTANCE_NAMES, checkout, files_under, temp_dir};
use mcp_create::{NewArgs, Plan, Templates, generate, new::templates::accepted_names};

/// A description that a careless template would break (TOML, JSON, Rust strings, tera).
const DESCRIPTION: &str = r#"Weather "now" \ later, {{ not a variable }} ünïcødé"#;

#[test]
fn every_template_renders_for_the_acceptance_names_without_machine_paths() {
    let started = Instant::now();
    let templates = Templates::embedded().unwrap();
    let choices: Vec<String> = templates
        .iter()
        .flat_map(|t| {
            let aliases = &t.manifest.aliases;
            accepted_names(&t.manifest)
                .filter(|name| !aliases.iter().any(|alias| alias == name))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    for expected in ["rust", "python", "typescript", "minimal-python"] {
        assert!(
            choices.iter().any(|c| c == expected),
            "{expected} in {choices:?}"
        );
    }

    let dir = temp_dir();
    let home = std::env::var("HOME").ok().filter(|home| home.len() > 1);
    let mut projects = 0;
    for choice in &choices {
        for name in ACCEPTANCE_NAMES {
            let parent = dir.path().join(format!("{choice}-{}", projects));
            std::fs::create_dir(&parent).unwrap();
            let args = NewArgs {
                template: choice.clone(),
                path: Some(parent.clone()),
                no_register: true,
                // Quotes, a backslash and braces must survive in every file format.
                description: Some(DESCRIPTION.to_owned()),
                ..NewArgs::new(name)
            };
            let plan = Plan::new(&args, &templates, None)
                .unwrap_or_else(|e| panic!("{choice} {name:?}: {e}"));
            let generated = generate(&plan).unwrap_or_else(|e| panic!("{choice} {name:?}: {e}"));
            assert_eq!(
                generated.dest,
                parent
                    .canonicalize()
                    .unwrap()
                    .join(&plan.names.project_name)
            );

            // Both spellings of the temporary folder: as given and with links resolved.
            let mut machine = vec![
                parent.to_string_lossy().into_owned(),
                parent
                    .canonicalize()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                checkout().to_string_lossy().into_owned(),
                env!("CARGO_MANIFEST_DIR").to_owned(),
            ];
            machine.extend(home.clone());
            let files = files_under(&generated.dest);
            assert!(
                files.iter().any(|f| f == Path::new("README.md")),
                "{choice}: {files:?}"
            );
            for file in &files {
                let text =
                    String::from_utf8_lossy(&std::fs::read(generated.dest.join(file)).unwrap())
                        .into_owned();
                for path in &machine {
                    assert!(
                        !text.contains(path.as_str())
                            && !file.to_string_lossy().contains(path.as_str()),
                        "{choice} {name:?}: {} holds the absolute path {path}",
                        file.display()
                    );
                }
            }
            let readme = std::fs::read_to_string(generated.dest.join("README.md")).unwrap();
            assert!(
                readme.contains(&plan.names.display_name),
                "{choice} {name:?}: README title"
            );
            if plan.choice.template.manifest.language == mcp_create::new::manifest::Language::Rust {
                cargo_reads_the_manifests(&generated.dest);
                let project = rust_version(&generated.dest.join("Cargo.toml"));
                let sdk = rust_version(&generated.dest.join("vendor/mcp-sdk/Cargo.toml"));
                assert_eq!(
                    project, sdk,
                    "the project's rust-version is the vendored SDK's"
                );
            }
            projects += 1;
        }
    }
    eprintln!(
        "rendered and checked {projects} projects in {:.2?}",
        started.elapsed()
    );
}

/// `cargo metadata --no-deps` loads the project's Cargo.toml and the vendored crates' manifests.
fn cargo_reads_the_manifests(project: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(project)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata in {}:\n{}",
        project.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The `rust-version` of a Cargo.toml.
fn rust_version(manifest: &Path) -> String {
    let text = std::fs::read_to_string(manifest).unwrap();
    let line = text
        .lines()
        .find(|line| line.starts_with("rust-version"))
        .unwrap_or_else(|| panic!("{} has a rust-version", manifest.display()));
    line.split('"').nth(1).unwrap_or_default().to_owned()
}
