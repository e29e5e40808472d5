//! A sandbox per test: a temporary folder with a work directory and a registry file, and the
//! `mcp-create` binary pointed at both (never at the real home) and at the fixture templates.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;
use walkdir::WalkDir;

/// The fixture templates: rust (vendors the SDK), python (alias and variant), typescript.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates")
}

/// One test's sandbox.
pub struct Sandbox {
    /// Removed with the sandbox.
    pub root: TempDir,
    /// The current directory of every run.
    pub work: PathBuf,
    /// `MCP_SERVERS_CONFIG` of every run.
    pub config: PathBuf,
    /// `--templates-dir` of every run: the fixtures unless a test changes it.
    pub templates: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().canonicalize().unwrap();
        let work = base.join("work");
        fs::create_dir(&work).unwrap();
        Sandbox {
            root,
            config: base.join("servers.json"),
            work,
            templates: fixtures(),
        }
    }

    /// `mcp-create --templates-dir <templates> <args>` in the work directory.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mcp-create"));
        command
            .arg("--templates-dir")
            .arg(&self.templates)
            .args(args)
            .current_dir(&self.work)
            .env("MCP_SERVERS_CONFIG", &self.config)
            .env_remove("HOME");
        command
    }

    /// Runs `mcp-create` with `args` and returns what it did.
    pub fn run(&self, args: &[&str]) -> Run {
        Run(self.command(args).output().unwrap())
    }

    /// Runs `mcp-create` with `args`, expecting success.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(
            run.0.status.success(),
            "mcp-create {args:?} failed:\n{}",
            run.stderr()
        );
        run.stdout()
    }

    /// Runs `mcp-create` with `args`, expecting it to fail with `code` and `needle` in its error,
    /// and to leave every file of the sandbox as it was.
    pub fn fails(&self, args: &[&str], code: i32, needle: &str) -> String {
        let before = self.tree();
        let run = self.run(args);
        let stderr = run.stderr();
        assert_eq!(
            run.0.status.code(),
            Some(code),
            "mcp-create {args:?}:\n{stderr}"
        );
        assert!(
            stderr.contains(needle),
            "mcp-create {args:?}: {needle:?} not in:\n{stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(
            self.tree(),
            before,
            "mcp-create {args:?} changed the sandbox"
        );
        stderr
    }

    /// Every file and folder of the sandbox with its content (folders map to None).
    pub fn tree(&self) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
        WalkDir::new(self.root.path())
            .into_iter()
            .map(|entry| {
                let entry = entry.unwrap();
                let content = entry
                    .file_type()
                    .is_file()
                    .then(|| fs::read(entry.path()).unwrap());
                (entry.path().to_owned(), content)
            })
            .collect()
    }

    /// The registry, parsed.
    pub fn registry(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(&fs::read_to_string(&self.config).unwrap()).unwrap()
    }

    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.work.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// The output of one run.
pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
}
