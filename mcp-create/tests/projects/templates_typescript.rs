//! Acceptance 1, TypeScript, on one installed project: generate it, run its README's install (npm
//! install, tsc) and test (node --test) commands, start the registered command over stdio and HTTP,
//! check the names it installs are reserved, take it through the management lifecycle, reload it
//! through `mcp-create dev` while a client is connected (`add tool ping`, issue 12), then add a
//! tool, a resource and a prompt.

use std::time::Instant;

use crate::support::dev::check_add_reloads;
use crate::support::project::{Project, require};

#[test]
fn typescript_template_installs_passes_its_tests_serves_and_is_managed() {
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
    crate::reserved_names::typescript_names_are_reserved(&project);
    crate::manage::lifecycle(&project);
    check_add_reloads(&project.dest, &command, &args, &project.dev_envs(&[]), 180);
    // `npm test` compiles with tsc before it tests: the server then runs the new source.
    crate::add::add_all_then_test_and_call(&project, None, &[], command);
    eprintln!("typescript end to end: {:.1?}", started.elapsed());
}
