//! Whether a TCP port is taken, and by what: `start` waits out a server that is still exiting, and
//! names the holder of a port that stays taken.

use std::collections::HashMap;
use std::fmt;
use std::net::{Ipv4Addr, TcpListener};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Whether something listens on `port` of the loopback or any address. Another failure to bind
/// (no such address here, a privileged port) is left for the server's own bind to report.
pub fn port_in_use(port: u16) -> bool {
    [Ipv4Addr::LOCALHOST, Ipv4Addr::UNSPECIFIED]
        .iter()
        .any(|ip| {
            TcpListener::bind((*ip, port)).is_err_and(|e| e.kind() == std::io::ErrorKind::AddrInUse)
        })
}

/// Waits for `port` to be free, up to `grace` while no live process holds it: a server just
/// killed or stopped keeps its listening socket until its last thread has exited, a moment after
/// its main thread is gone (which is what `status` and `stop` go by). A port a live process
/// holds fails at once. Returns who holds the port when it stays taken.
pub fn wait_free(port: u16, grace: Duration) -> Result<(), Holders> {
    let deadline = Instant::now() + grace;
    loop {
        if !port_in_use(port) {
            return Ok(());
        }
        let holders = Holders::of(port);
        if !holders.owners.is_empty() || Instant::now() >= deadline {
            return Err(holders);
        }
        sleep(Duration::from_millis(50));
    }
}

/// What `/proc/net/tcp` and `tcp6` show bound to a port, with the processes that hold those
/// sockets open. Displayed as "pid 12 (`python3 -m x`), listening" or "a socket of no process
/// mcp-create can see, TIME_WAIT with port 41000", joined by "; ".
#[derive(Debug)]
pub struct Holders {
    sockets: Vec<Socket>,
    owners: HashMap<u64, String>,
}

impl Holders {
    /// Reads `/proc` now.
    pub fn of(port: u16) -> Self {
        let sockets: Vec<Socket> = ["/proc/net/tcp", "/proc/net/tcp6"]
            .iter()
            .filter_map(|table| std::fs::read_to_string(table).ok())
            .flat_map(|table| {
                table
                    .lines()
                    .skip(1)
                    .filter_map(Socket::parse)
                    .collect::<Vec<_>>()
            })
            .filter(|socket| socket.local_port == port)
            .collect();
        let owners = owners(&sockets);
        Self { sockets, owners }
    }
}

impl fmt::Display for Holders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sockets.is_empty() {
            return f.write_str("no socket on it shows in /proc/net");
        }
        let described: Vec<String> = self
            .sockets
            .iter()
            .map(|socket| {
                let owner = self
                    .owners
                    .get(&socket.inode)
                    .map_or("a socket of no process mcp-create can see", String::as_str);
                match socket.state {
                    LISTEN => format!("{owner}, listening"),
                    state => format!(
                        "{owner}, {} with port {}",
                        state_name(state),
                        socket.remote_port
                    ),
                }
            })
            .collect();
        f.write_str(&described.join("; "))
    }
}

const LISTEN: u8 = 0x0A;

/// One line of `/proc/net/tcp`.
#[derive(Debug)]
struct Socket {
    local_port: u16,
    remote_port: u16,
    state: u8,
    inode: u64,
}

impl Socket {
    /// `sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...`
    fn parse(line: &str) -> Option<Self> {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let port_of = |address: &str| u16::from_str_radix(address.rsplit(':').next()?, 16).ok();
        Some(Self {
            local_port: port_of(fields.get(1)?)?,
            remote_port: port_of(fields.get(2)?)?,
            state: u8::from_str_radix(fields.get(3)?, 16).ok()?,
            inode: fields.get(9)?.parse().ok()?,
        })
    }
}

fn state_name(state: u8) -> &'static str {
    match state {
        0x01 => "ESTABLISHED",
        0x02 => "SYN_SENT",
        0x03 => "SYN_RECV",
        0x04 => "FIN_WAIT1",
        0x05 => "FIN_WAIT2",
        0x06 => "TIME_WAIT",
        0x07 => "CLOSE",
        0x08 => "CLOSE_WAIT",
        0x09 => "LAST_ACK",
        LISTEN => "LISTEN",
        0x0B => "CLOSING",
        _ => "an unknown state",
    }
}

/// The processes that hold `sockets` open, by inode: "pid N (`command`)", from `/proc/*/fd`.
fn owners(sockets: &[Socket]) -> HashMap<u64, String> {
    let wanted: HashMap<String, u64> = sockets
        .iter()
        .filter(|socket| socket.inode != 0)
        .map(|socket| (format!("socket:[{}]", socket.inode), socket.inode))
        .collect();
    let mut found = HashMap::new();
    if wanted.is_empty() {
        return found;
    }
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return found;
    };
    let pids = processes
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok());
    for pid in pids {
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            if let Some(inode) = wanted.get(&*target.to_string_lossy()) {
                found.insert(*inode, format!("pid {pid} (`{}`)", command_line(pid)));
            }
        }
    }
    found
}

fn command_line(pid: u32) -> String {
    let bytes = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let bytes = bytes.strip_suffix(&[0]).unwrap_or(&bytes);
    String::from_utf8_lossy(bytes).replace('\0', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_a_live_process_holds_fails_at_once_naming_it() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let started = Instant::now();
        let holders = wait_free(port, Duration::from_secs(30))
            .unwrap_err()
            .to_string();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "it did not wait"
        );
        assert!(
            holders.contains(&format!("pid {}", std::process::id()))
                && holders.ends_with("listening"),
            "{holders}"
        );
        drop(listener);
        assert!(wait_free(port, Duration::ZERO).is_ok());
    }
}
