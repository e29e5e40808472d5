//! Acceptance 1, Python, on one installed project: generate it, run its README's install (venv +
//! pip) and test (pytest) commands, start the registered command over stdio and HTTP, check the
//! names it installs are reserved, take it through the management lifecycle, reload it through
//! `mcp-create dev` while a client is connected (`add tool ping`, issue 12), then add a tool, a
//! resource and a prompt. One install serves every step: pip is the slow part.

use std::time::Instant;

use crate::support::dev::check_add_reloads;
use crate::support::project::{Project, require};

#[test]
fn python_template_installs_passes_its_tests_serves_and_is_managed() {
    let started = Instant::now();
    let version = require(
        "python3",
        &[
            "-c",
            "import sys, venv, ensurepip; print(sys.version.split()[0])",
        ],
        "the Python template's end-to-end test needs python3 (3.10 or newer) with venv and \
         ensurepip; on Debian or Ubuntu: apt-get install python3-venv",
    );
    eprintln!("python3 {version}");
    let project = Project::generate("python", "Python E2E Server");
    project.install_and_test(&[]);

    let (command, args) = project.registered_command();
    assert!(
        command.is_absolute() && command.is_file(),
        "registered command {}",
        command.display()
    );
    project.check_serves(&command, &args);
    crate::reserved_names::python_names_are_reserved(&project);
    crate::manage::lifecycle(&project);
    check_add_reloads(&project.dest, &command, &args, &project.dev_envs(&[]), 60);
    crate::add::add_all_then_test_and_call(&project, None, &[], command);
    eprintln!("python end to end: {:.1?}", started.elapsed());
}
