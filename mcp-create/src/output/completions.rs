//! `completions SHELL`: the script that registers mcp-create's completion with a shell. The script
//! calls `mcp-create` back with `MCP_CREATE_COMPLETE=<shell>` set, so registered server names and
//! client names are completed from the registry as it is at that moment (clap_complete's dynamic
//! completion: every shell listed gets them).

use std::io::Write;

use clap::ValueEnum;
use clap_complete::env::{EnvCompleter, Shells};

/// The variable that turns a run of mcp-create into a completion request.
pub const VAR: &str = "MCP_CREATE_COMPLETE";

/// How to install the script, shown by `completions --help` (and the README).
pub const INSTALL: &str = "Install:
  bash        mcp-create completions bash > ~/.local/share/bash-completion/completions/mcp-create
  zsh         mcp-create completions zsh > ~/.zfunc/_mcp-create   (with fpath+=~/.zfunc before compinit)
  fish        mcp-create completions fish > ~/.config/fish/completions/mcp-create.fish
  powershell  mcp-create completions powershell >> $PROFILE
  elvish      mcp-create completions elvish >> ~/.config/elvish/rc.elv
The script runs `mcp-create` from PATH to complete registered server and client names.";

/// The shells a script can be written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl Shell {
    fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Powershell => "powershell",
            Shell::Elvish => "elvish",
        }
    }
}

/// Writes the registration script for `shell`.
pub fn write(shell: Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let shells = Shells::builtins();
    let completer: &dyn EnvCompleter = shells
        .completer(shell.name())
        .expect("every Shell is a built-in of clap_complete");
    completer.write_registration(VAR, "mcp-create", "mcp-create", "mcp-create", out)
}
