//! The one writer as users meet it, through the real `mcp-create` binary in a sandbox: concurrent
//! installs, uninstalls and registrations all land; a client saving its own config meanwhile keeps
//! its change (or the command fails and says why); read-only files, symbolic links, byte order
//! marks, CRLF line ends, inline TOML tables, duplicate keys and foreign entries are handled.
//! One JSON client (claude-desktop), one JSONC client (zed) and one TOML client (codex).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::Sandbox;
use crate::support::clients::{config_path, fixtures, put};
use mcp_create::clients::{Format, table};

const CLIENTS: [&str; 3] = ["claude-desktop", "zed", "codex"];

fn fixture_config(client: &str) -> String {
    let ext = if client == "codex" { "toml" } else { "json" };
    fs::read_to_string(fixtures().join(format!("configs/{client}.{ext}"))).unwrap()
}

/// A sandbox with the good fixture server registered as `weather`.
fn weather_sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    sandbox
}

/// Writes `client`'s fixture config where `client` keeps it in `sandbox`; returns that path.
fn fixture_in(sandbox: &Sandbox, client: &str) -> PathBuf {
    let path = config_path(sandbox, client);
    put(&path, &fixture_config(client));
    path
}

/// The server names in `client`'s config at `path`.
fn entries(client: &str, path: &Path) -> BTreeSet<String> {
    let client = table::find(client).unwrap();
    let text = fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    match client.format {
        Format::Toml => {
            let doc: toml_edit::DocumentMut = text.parse().unwrap();
            doc.get(client.container.key())
                .and_then(|item| item.as_table_like())
                .map(|t| t.iter().map(|(k, _)| k.to_owned()).collect())
                .unwrap_or_default()
        }
        format => {
            let jsonc = format == Format::Jsonc;
            let servers =
                mcp_create::clients::json_edit::servers(text, jsonc, &[client.container.key()])
                    .unwrap();
            servers.keys().cloned().collect()
        }
    }
}

/// A change another program makes to the file: a key of its own near the top.
fn outside_change(client: &str, text: &str, n: usize) -> String {
    if client == "codex" {
        format!("outside_{n} = {n}\n{text}")
    } else {
        text.replacen('{', &format!("{{\"outside_{n}\": {n},"), 1)
    }
}

fn spawn(sandbox: &Sandbox, args: &[&str]) -> Child {
    spawn_command(sandbox.command(args))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `install weather --client <client> --no-check`, started with the writer pausing `millis` between
/// its read and its write (the writer's test pause).
fn install_paused(sandbox: &Sandbox, client: &str, millis: &str) -> Child {
    let args = ["install", "weather", "--client", client, "--no-check"];
    let mut command = sandbox.command(&args);
    command.env(mcp_create::writer::PAUSE_VAR, millis);
    spawn_command(command)
}

fn spawn_command(mut command: std::process::Command) -> Child {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `make(i)` for i in 0..10 at the same time; every run must succeed.
fn ten_at_once(sandbox: &Sandbox, make: impl Fn(usize) -> Vec<String>) -> Vec<Output> {
    let children: Vec<Child> = (0..10)
        .map(|i| {
            let args = make(i);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            spawn(sandbox, &args)
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for output in &outputs {
        assert!(output.status.success(), "{}", text(output));
    }
    outputs
}

/// Acceptance 2: ten concurrent installs leave ten entries, ten concurrent uninstalls leave none,
/// and what else the file held stays.
#[test]
fn ten_concurrent_installs_and_uninstalls_all_land() {
    let sandbox = Sandbox::new();
    for i in 0..10 {
        sandbox.register_script(&format!("s{i}"), "good.py");
    }
    for client in CLIENTS {
        let path = config_path(&sandbox, client);
        let original = fixture_config(client);
        put(&path, &original);
        let outputs = ten_at_once(&sandbox, |i| {
            [
                "install",
                &format!("s{i}"),
                "--client",
                client,
                "--no-check",
            ]
            .map(String::from)
            .to_vec()
        });
        assert!(outputs.iter().all(|o| text(o).contains("Installed")));
        let expected: BTreeSet<String> = (0..10)
            .map(|i| format!("s{i}"))
            .chain(["other".into()])
            .collect();
        assert_eq!(entries(client, &path), expected, "{client}");

        let outputs = ten_at_once(&sandbox, |i| {
            ["uninstall", &format!("s{i}"), "--client", client]
                .map(String::from)
                .to_vec()
        });
        assert!(outputs.iter().all(|o| text(o).contains("Removed")));
        assert_eq!(entries(client, &path), BTreeSet::from(["other".into()]));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            original,
            "{client}: back to the original bytes"
        );
    }
}

/// Acceptance 2: another program saves the file while `install` is between its read and its
/// write (made wide by the writer's test pause): both changes are in the file.
#[test]
fn an_outside_change_during_an_install_is_kept_with_ours() {
    let sandbox = weather_sandbox();
    for client in CLIENTS {
        let path = fixture_in(&sandbox, client);
        let child = install_paused(&sandbox, client, "1200");
        std::thread::sleep(Duration::from_millis(400));
        let theirs = outside_change(client, &fs::read_to_string(&path).unwrap(), 1);
        fs::write(&path, theirs).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{client}: {}", text(&output));
        assert!(text(&output).contains("Installed"));
        let now = fs::read_to_string(&path).unwrap();
        assert!(
            now.contains("outside_1"),
            "{client}: their change is lost:\n{now}"
        );
        assert!(
            entries(client, &path).contains("weather"),
            "{client}:\n{now}"
        );
        sandbox.ok(&["uninstall", "weather", "--client", client]);
    }
}

/// Acceptance 2: a program that keeps saving the file during every attempt makes `install` fail
/// non-zero, saying so; every change of that program is in the file.
#[test]
fn an_install_that_cannot_land_fails_and_says_why() {
    let sandbox = weather_sandbox();
    for client in CLIENTS {
        let path = fixture_in(&sandbox, client);
        let child = install_paused(&sandbox, client, "150");
        let (mut n, start) = (0, Instant::now());
        let mut child = Some(child);
        let mut output = None;
        while output.is_none() {
            n += 1;
            // Saved whole (temporary file + rename), so that mcp-create never reads half a file.
            let now = fs::read_to_string(&path).unwrap();
            let saved = path.with_extension("outside");
            fs::write(&saved, outside_change(client, &now, n)).unwrap();
            fs::rename(&saved, &path).unwrap();
            std::thread::sleep(Duration::from_millis(30));
            let running = child.as_mut().unwrap();
            if running.try_wait().unwrap().is_some() {
                output = Some(child.take().unwrap().wait_with_output().unwrap());
            }
            assert!(start.elapsed() < Duration::from_secs(60), "install hangs");
        }
        let output = output.unwrap();
        let said = text(&output);
        assert!(!output.status.success(), "{client}: {said}");
        assert!(
            said.contains("changed again each time") && said.contains("was not written"),
            "{said}"
        );
        assert!(!said.contains("Installed"), "{said}");
        let now = fs::read_to_string(&path).unwrap();
        for k in 1..=n {
            assert!(
                now.contains(&format!("outside_{k}")),
                "{client}: lost {k}:\n{now}"
            );
        }
        assert!(!entries(client, &path).contains("weather"));
    }
}

/// Finding 9: a read-only config is refused with a message, and left as it was.
#[cfg(unix)]
#[test]
fn a_read_only_config_is_refused_and_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = weather_sandbox();
    sandbox.register_script("other", "good.py");
    for client in CLIENTS {
        let path = fixture_in(&sandbox, client);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let before = sandbox.tree();
        let stderr = sandbox.fails(&["install", "weather", "--client", client, "--no-check"]);
        assert!(
            stderr.contains("read-only") && stderr.contains(&path.display().to_string()),
            "{stderr}"
        );
        let stderr = sandbox.fails(&["uninstall", "other", "--client", client, "--force"]);
        assert!(stderr.contains("read-only"), "{stderr}");
        assert_eq!(
            sandbox.tree(),
            before,
            "{client}: nothing changed, no backup"
        );
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o444);
    }
}

/// Finding 9: a config kept as a symbolic link is written through (the link stays a link); a
/// dangling link gets the file it points to.
#[cfg(unix)]
#[test]
fn symlinked_configs_are_written_through() {
    let sandbox = weather_sandbox();
    for client in CLIENTS {
        let link = config_path(&sandbox, client);
        let target = sandbox.base.join(format!("dotfiles/{client}.conf"));
        put(&target, &fixture_config(client));
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        sandbox.ok(&["install", "weather", "--client", client, "--no-check"]);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(entries(client, &target).contains("weather"));
        sandbox.ok(&["uninstall", "weather", "--client", client]);
        assert_eq!(fs::read_to_string(&target).unwrap(), fixture_config(client));

        fs::remove_file(&target).unwrap();
        sandbox.ok(&["install", "weather", "--client", client, "--no-check"]);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(entries(client, &target).contains("weather"), "{client}");
        fs::remove_file(&link).unwrap();
    }
}

/// Writes `original` at `path`, installs `weather` into `client` (it must be there) and uninstalls it
/// (the file must be `original` again); returns the file as the install left it.
fn round_trip(sandbox: &Sandbox, client: &str, path: &Path, original: &str) -> String {
    put(path, original);
    sandbox.ok(&["install", "weather", "--client", client, "--no-check"]);
    let installed = fs::read_to_string(path).unwrap();
    assert!(entries(client, path).contains("weather"), "{client}");
    sandbox.ok(&["uninstall", "weather", "--client", client]);
    assert_eq!(fs::read_to_string(path).unwrap(), original, "{client}");
    installed
}

/// Finding 9: a UTF-8 byte order mark is understood and kept; uninstall gives back the bytes.
#[test]
fn a_byte_order_mark_is_kept() {
    let sandbox = weather_sandbox();
    for client in CLIENTS {
        let path = config_path(&sandbox, client);
        let original = format!("\u{feff}{}", fixture_config(client));
        let installed = round_trip(&sandbox, client, &path, &original);
        assert!(installed.starts_with('\u{feff}'), "{client}");
    }
}

/// Finding 9: CRLF line ends stay CRLF, new lines included.
#[test]
fn crlf_line_ends_are_kept() {
    let sandbox = weather_sandbox();
    for client in CLIENTS {
        let path = config_path(&sandbox, client);
        let original = fixture_config(client).replace('\n', "\r\n");
        let installed = round_trip(&sandbox, client, &path, &original);
        assert!(
            !installed.replace("\r\n", "").contains('\n'),
            "{client}: a bare LF:\n{installed:?}"
        );
    }
}

/// Finding 9: Codex's `mcp_servers = { .. }` inline table is edited in place, its entries kept.
#[test]
fn an_inline_codex_table_is_accepted() {
    let sandbox = weather_sandbox();
    let path = config_path(&sandbox, "codex");
    let original = "model = \"o3\"\nmcp_servers = { other = { command = \"/opt/other\" } }\n\n[profiles.fast]\nmodel = \"mini\"\n";
    put(&path, original);
    sandbox.ok(&["install", "weather", "--client", "codex", "--no-check"]);
    assert_eq!(
        entries("codex", &path),
        BTreeSet::from(["other".into(), "weather".into()])
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("[profiles.fast]\nmodel = \"mini\"\n"),
        "{text}"
    );
    sandbox.ok(&["uninstall", "weather", "--client", "codex"]);
    assert_eq!(entries("codex", &path), BTreeSet::from(["other".into()]));
}

/// Finding 9: two `mcpServers` keys are ambiguous (the client reads one, an editor the other):
/// refused, naming the file and the line, the file unchanged.
#[test]
fn a_duplicate_container_key_is_refused() {
    let sandbox = weather_sandbox();
    for client in ["claude-desktop", "zed"] {
        let path = config_path(&sandbox, client);
        let key = table::find(client).unwrap().container.key();
        let twice = format!("{{\n  \"{key}\": {{}},\n  \"theme\": \"x\",\n  \"{key}\": {{}}\n}}\n");
        put(&path, &twice);
        let before = sandbox.tree();
        let stderr = sandbox.fails(&["install", "weather", "--client", client, "--no-check"]);
        assert!(
            stderr.contains(&path.display().to_string())
                && stderr.contains("more than once")
                && stderr.contains("line 4"),
            "{stderr}"
        );
        assert_eq!(sandbox.tree(), before);
    }
}

/// Finding 9: `uninstall` removes only an entry mcp-create would have written for that server,
/// unless --force; it says why.
#[test]
fn uninstall_of_a_foreign_entry_needs_force() {
    let sandbox = Sandbox::new();
    sandbox.register_script("other", "good.py");
    for client in CLIENTS {
        // The fixtures hold a hand-written "other" entry (/opt/other/bin/other).
        let path = config_path(&sandbox, client);
        let original = fixture_config(client);
        put(&path, &original);
        let stderr = sandbox.fails(&["uninstall", "other", "--client", client]);
        assert!(
            stderr.contains("not the one mcp-create would install") && stderr.contains("--force"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), original);
        sandbox.ok(&["uninstall", "other", "--client", client, "--force"]);
        assert!(!entries(client, &path).contains("other"));
    }
    // An entry whose server is not registered is not recognisably ours either.
    let path = config_path(&sandbox, "claude-desktop");
    put(
        &path,
        "{\"mcpServers\": {\"ghost\": {\"command\": \"/x\"}}}",
    );
    let stderr = sandbox.fails(&["uninstall", "ghost", "--client", "claude-desktop"]);
    assert!(
        stderr.contains("no server named \"ghost\" is registered")
            && stderr.contains("left in place"),
        "{stderr}"
    );
}

/// The registry: ten concurrent `new` all end up registered.
#[test]
fn ten_concurrent_registrations_all_land() {
    let sandbox = Sandbox::new();
    let projects = sandbox.base.join("projects");
    fs::create_dir_all(&projects).unwrap();
    let projects = projects.display().to_string();
    ten_at_once(&sandbox, |i| {
        let name = format!("srv{i}");
        ["new", &name, "--template", "python", "--path", &projects]
            .map(String::from)
            .to_vec()
    });
    let registry: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&fs::read_to_string(&sandbox.config).unwrap()).unwrap();
    let names: BTreeSet<&str> = registry.keys().map(String::as_str).collect();
    let expected: BTreeSet<String> = (0..10).map(|i| format!("srv{i}")).collect();
    assert_eq!(
        names,
        expected.iter().map(String::as_str).collect(),
        "{registry:?}"
    );
    let leftovers: Vec<PathBuf> = fs::read_dir(&sandbox.base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".lock") || p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
