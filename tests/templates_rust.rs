//! Acceptance 1, Rust: generate a project, run its README's install and test commands (sharing
//! the workspace's target folder), then talk to the release binary over stdio and HTTP.

use std::ffi::OsString;
use std::time::Instant;

use workspace_tests::{
    Project, check_http_health, check_stdio, path_with_cargo, shared_target_dir,
};

#[test]
fn rust_template_builds_passes_its_tests_and_serves_stdio_and_http() {
    let started = Instant::now();
    // A name no crate of the workspace uses: the binary lands in the shared target folder.
    let project = Project::generate("rust", "Rust E2E Server");
    project.assert_readme_gives_commands();

    let target = shared_target_dir(env!("CARGO_TARGET_TMPDIR"));
    let envs = [
        ("CARGO_TARGET_DIR", OsString::from(&target)),
        ("PATH", path_with_cargo()),
    ];
    project.sh(&project.install, &envs);
    project.sh(&project.test, &envs);

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

    check_stdio(&binary, &args, &project.dest);
    check_http_health(&binary, &args, &project.dest, &project.key);
    eprintln!("rust end to end: {:.1?}", started.elapsed());
}
