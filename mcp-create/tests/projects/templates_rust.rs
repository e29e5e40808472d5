//! Acceptance 1, Rust, on one built project: generate it, run its README's install and test
//! commands (sharing the workspace's target folder), talk to the release binary over stdio and
//! HTTP, take it through the management lifecycle, reload it through `mcp-create dev` while a
//! client is connected (`add tool ping`, issue 12), then add a tool, a resource and a prompt. Then
//! Rust servers sharing a Cargo workspace.

use std::fs;
use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

use crate::support::dev::check_add_reloads;
use crate::support::project::{
    Project, cargo_envs, files_under, path_with_cargo, sh, shared_target_dir, temp_dir,
};
use mcp_create::new::vendor::Sdk;
use mcp_create::{NewArgs, Plan, Templates, generate};

#[test]
fn rust_template_builds_passes_its_tests_serves_and_is_managed() {
    let started = Instant::now();
    // A name no crate of the workspace uses: the binary lands in the shared target folder.
    let project = Project::generate("rust", "Rust E2E Server");

    let target = shared_target_dir(env!("CARGO_TARGET_TMPDIR"));
    let envs = cargo_envs(env!("CARGO_TARGET_TMPDIR"));
    project.install_and_test(&envs);

    // The registry points at the release binary (under the project's target/, or where
    // CARGO_TARGET_DIR said when mcp-create ran); the README's commands ran with the shared target
    // folder, so the binary is there.
    let (command, args) = project.registered_command();
    assert_eq!(project.run, format!("target/release/{}", project.key));
    assert!(
        command.is_absolute() && command.ends_with(format!("release/{}", project.key)),
        "registered command {}",
        command.display()
    );
    assert!(args.is_empty(), "{args:?}");
    let binary = target.join("release").join(&project.key);
    assert!(binary.is_file(), "{} was built", binary.display());
    project.check_serves(&binary, &args);

    // The management commands start what the registry says: the binary in the shared folder.
    let mut entry = project.registry_entry();
    entry.insert("command".into(), json!(binary));
    project.sandbox.register(&project.key, Value::Object(entry));
    crate::manage::lifecycle(&project);
    // The rebuild is `cargo build --release` in the shared target folder: incremental.
    check_add_reloads(&project.dest, &binary, &args, &project.dev_envs(&envs), 600);
    crate::add::add_all_then_test_and_call(&project, Some(&project.install), &envs, binary);
    eprintln!("rust end to end: {:.1?}", started.elapsed());
}

/// A workspace root manifest with the profile the generated projects carry (which a member's
/// manifest cannot set), so that the dependencies built for them in the shared target folder are
/// reused rather than built again with full debug info.
const WORKSPACE: &str = r#"[workspace]
resolver = "3"
members = []

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false
"#;

/// Acceptance 4 (finding 11): three Rust servers generated one after another into one Cargo
/// workspace share one vendored mcp-sdk, and one `cargo test --workspace` builds and tests them.
#[test]
fn three_rust_servers_in_one_cargo_workspace_pass_one_cargo_test_workspace() {
    let started = Instant::now();
    let dir = temp_dir();
    let root = dir.path().canonicalize().unwrap();
    fs::write(root.join("Cargo.toml"), WORKSPACE).unwrap();
    fs::create_dir(root.join("servers")).unwrap();
    let names = ["WS Alpha", "WS Beta", "WS Gamma"];
    let mut keys = Vec::new();
    for (i, name) in names.iter().enumerate() {
        // The last one sits elsewhere in the workspace: its path to the SDK differs.
        let parent = if i == 2 {
            root.clone()
        } else {
            root.join("servers")
        };
        keys.push(generate_rust(&parent, &root.join("servers.json"), name));
    }

    let manifests: Vec<_> = files_under(&root)
        .into_iter()
        .filter(|f| f.ends_with("Cargo.toml"))
        .collect();
    let sdk_copies: Vec<_> = manifests
        .iter()
        .filter(|f| f.parent().is_some_and(|d| d.ends_with("mcp-sdk")))
        .collect();
    assert_eq!(
        sdk_copies,
        [Path::new("vendor/mcp-sdk/Cargo.toml")],
        "one mcp-sdk for the workspace"
    );
    for (key, sdk_path) in [
        (&keys[0], "../../vendor/mcp-sdk"),
        (&keys[1], "../../vendor/mcp-sdk"),
        (&keys[2], "../vendor/mcp-sdk"),
    ] {
        let member = if key == &keys[2] {
            root.join(key)
        } else {
            root.join("servers").join(key)
        };
        let manifest = fs::read_to_string(member.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("mcp-sdk = {{ path = \"{sdk_path}\" }}")),
            "{key}:\n{manifest}"
        );
        assert!(!member.join("vendor").exists(), "{key} vendors no copy");
    }
    let registry = ["servers.json", "servers.json.bak"].map(Path::new);
    for file in files_under(&root)
        .iter()
        .filter(|f| !registry.contains(&f.as_path()))
    {
        let text = fs::read_to_string(root.join(file)).unwrap_or_default();
        assert!(
            !text.contains(root.to_str().unwrap()),
            "{} holds the absolute path {}",
            file.display(),
            root.display()
        );
    }

    let envs = cargo_envs(env!("CARGO_TARGET_TMPDIR"));
    // `--release`, as the template's README says: the dependencies the other Rust tests built.
    let output = sh(&root, "cargo test --workspace --release", &envs);
    // Each server's two test files ran; the vendored SDK's own tests are left out.
    for test in ["Running tests/server.rs", "Running tests/transports.rs"] {
        assert_eq!(output.matches(test).count(), 3, "{test}:\n{output}");
    }
    assert!(!output.contains("deps/mcp_sdk-"), "{output}");
    assert!(
        !output.contains("profiles for the non root package"),
        "{output}"
    );
    assert!(!output.contains("FAILED"), "{output}");
    eprintln!("three servers in one workspace: {:.1?}", started.elapsed());
}

/// A workspace that has its own mcp-sdk package: the generated server's dependency points at it
/// and nothing is vendored; Cargo loads the workspace (one package named mcp-sdk).
#[test]
fn a_workspace_with_its_own_mcp_sdk_gets_it_used_as_it_is() {
    let dir = temp_dir();
    let root = dir.path().canonicalize().unwrap();
    fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"libs/*\"]\n",
    )
    .unwrap();
    for file in Sdk::embedded().vendor().unwrap() {
        let path = root
            .join("libs")
            .join(file.path.strip_prefix("vendor/").unwrap());
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, file.contents).unwrap();
    }
    let before: Vec<_> = files_under(&root.join("libs"));
    let key = generate_rust(&root, &root.join("servers.json"), "Own SDK Server");

    let manifest = fs::read_to_string(root.join(&key).join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("mcp-sdk = { path = \"../libs/mcp-sdk\" }"),
        "{manifest}"
    );
    assert!(!root.join("vendor").exists() && !root.join(&key).join("vendor").exists());
    assert_eq!(
        files_under(&root.join("libs")),
        before,
        "the SDK is left as it is"
    );

    let envs = [("PATH", path_with_cargo())];
    let metadata = sh(
        &root,
        "cargo metadata --no-deps --offline --format-version 1",
        &envs,
    );
    let json = metadata
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_default();
    let metadata: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("cargo metadata: {e}\n{metadata}"));
    let sdks: Vec<_> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == "mcp-sdk")
        .map(|p| p["manifest_path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sdks,
        [root.join("libs/mcp-sdk/Cargo.toml").to_string_lossy()],
        "one mcp-sdk, the workspace's"
    );
}

/// Generates the Rust server `name` into `parent` through the library, registered in `config`;
/// returns its project name.
fn generate_rust(parent: &Path, config: &Path, name: &str) -> String {
    let templates = Templates::embedded().unwrap();
    let args = NewArgs {
        template: "rust".into(),
        path: Some(parent.to_owned()),
        ..NewArgs::new(name)
    };
    let plan =
        Plan::new(&args, &templates, Some(config)).unwrap_or_else(|e| panic!("plan {name:?}: {e}"));
    generate(&plan).unwrap_or_else(|e| panic!("generate {name:?}: {e}"));
    plan.names.project_name.clone()
}
