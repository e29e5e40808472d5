//! Colour: clap's styles for help and usage errors, and the `error:` prefix of runtime errors.
//! Both go through anstream, which honours `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE` and whether
//! the stream is a terminal.

use clap::builder::styling::{AnsiColor, Effects, Style, Styles};

/// The help and error styles (cargo's palette).
pub const STYLES: Styles = Styles::styled()
    .header(AnsiColor::Green.on_default().effects(Effects::BOLD))
    .usage(AnsiColor::Green.on_default().effects(Effects::BOLD))
    .literal(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
    .placeholder(AnsiColor::Cyan.on_default())
    .error(AnsiColor::Red.on_default().effects(Effects::BOLD))
    .valid(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
    .invalid(AnsiColor::Yellow.on_default().effects(Effects::BOLD));

/// The style of the `error:` prefix.
const ERROR: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);

/// Prints `error: MESSAGE` on stderr, the prefix coloured when stderr takes colour.
pub fn print_error(message: &str) {
    use std::io::Write;
    let mut stderr = anstream::stderr();
    // stderr may be closed: nothing to do about it, and no reason to panic.
    let _ = writeln!(stderr, "{ERROR}error:{ERROR:#} {message}");
}
