//! Acceptance 1, TypeScript: generate a project, run its README's install (npm install, tsc) and
//! test (node --test) commands, then start the registered command over stdio and HTTP; then
//! acceptance 1 of `mcp-create dev` (issue 12): `add tool ping` while a client is connected through it.

use std::time::Instant;

use crate::support::dev::check_add_reloads;
use crate::support::project::{Project, require};

#[test]
fn typescript_template_installs_passes_its_tests_and_serves_stdio_and_http() {
    let started = Instant::now();
    let what = "the TypeScript template's end-to-end test needs Node.js 20 or newer with npm \
                (https://nodejs.org, or your system's nodejs and npm packages)";
    let node = require("node", &["--version"], what);
    let major: u32 = node
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    assert!(major >= 20, "node {node} is too old: {what}");
    let npm = require("npm", &["--version"], what);
    eprintln!("node {node}, npm {npm}");

    let project = Project::generate("typescript", "TS E2E Server");
    project.install_and_test(&[]);

    let (command, args) = project.registered_command();
    assert_eq!(command.to_str(), Some("node"), "registered command");
    assert!(
        args.first()
            .is_some_and(|script| std::path::Path::new(script).is_file()),
        "{args:?}"
    );
    project.check_serves(&command, &args);
    check_add_reloads(&project.dest, &command, &args, &project.dev_envs(&[]), 180);
    eprintln!("typescript end to end: {:.1?}", started.elapsed());
}
