//! `man --out DIR`: one roff man page per command, from the same clap definitions as `--help`.

use std::path::{Path, PathBuf};

/// Writes `mcp-create.1` and `mcp-create-<sub>.1` for every visible subcommand of `command` into
/// `dir`; returns the files written.
pub fn write(mut command: clap::Command, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    command.build();
    let mut written = Vec::new();
    page(&command, "mcp-create", dir, &mut written)?;
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = format!("mcp-create-{}", sub.get_name());
        page(sub, &name, dir, &mut written)?;
    }
    Ok(written)
}

fn page(
    command: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let command = command.clone().name(name.to_owned());
    let path = dir.join(format!("{name}.1"));
    let mut text = Vec::new();
    clap_mangen::Man::new(command).render(&mut text)?;
    std::fs::write(&path, text)?;
    written.push(path);
    Ok(())
}
