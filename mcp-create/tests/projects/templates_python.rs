//! Acceptance 1, Python: generate a project, run its README's install (venv + pip) and test
//! (pytest) commands, then start the registered command over stdio and HTTP; then acceptance 1 of `mcp-create dev`
//! (issue 12): `add tool ping` while a client is connected through it.

use std::time::Instant;

use crate::support::dev::check_add_reloads;
use crate::support::project::{Project, require};

#[test]
fn python_template_installs_passes_its_tests_and_serves_stdio_and_http() {
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
    check_add_reloads(&project.dest, &command, &args, &project.dev_envs(&[]), 60);
    eprintln!("python end to end: {:.1?}", started.elapsed());
}
