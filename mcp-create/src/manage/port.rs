//! Whether a TCP port is taken, and by what: `start` names the holder instead of a bare "in use".

use std::net::{Ipv4Addr, TcpListener};

/// Whether something listens on `port` of the loopback or any address. Another failure to bind
/// (no such address here, a privileged port) is left for the server's own bind to report.
pub fn port_in_use(port: u16) -> bool {
    [Ipv4Addr::LOCALHOST, Ipv4Addr::UNSPECIFIED]
        .iter()
        .any(|ip| {
            TcpListener::bind((*ip, port)).is_err_and(|e| e.kind() == std::io::ErrorKind::AddrInUse)
        })
}

/// What `/proc/net/tcp` and `tcp6` show bound to `port`, as "pid 12 (`python3 -m x`), listening;
/// a socket in TIME_WAIT to 127.0.0.1:80"; empty where `/proc` tells nothing.
pub fn holders(port: u16) -> String {
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
    sockets
        .iter()
        .map(|socket| {
            let state = state_name(socket.state);
            let owner = owners
                .iter()
                .find(|(inode, _)| *inode == socket.inode)
                .map(|(_, owner)| owner.clone())
                .unwrap_or_else(|| "a socket of no process mcp-create can see".into());
            match socket.state {
                LISTEN => format!("{owner}, listening"),
                _ => format!("{owner}, {state} with {}", socket.remote),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

const LISTEN: u8 = 0x0A;

/// One line of `/proc/net/tcp`.
struct Socket {
    local_port: u16,
    remote: String,
    state: u8,
    inode: u64,
}

impl Socket {
    /// `sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...`
    fn parse(line: &str) -> Option<Self> {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let port_of = |address: &str| u16::from_str_radix(address.rsplit(':').next()?, 16).ok();
        let remote = fields.get(2)?;
        Some(Self {
            local_port: port_of(fields.get(1)?)?,
            remote: format!("port {}", port_of(remote)?),
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

/// The processes that hold `sockets` open, as (inode, "pid N (`command`)"), from `/proc/*/fd`.
fn owners(sockets: &[Socket]) -> Vec<(u64, String)> {
    let wanted: Vec<String> = sockets
        .iter()
        .filter(|socket| socket.inode != 0)
        .map(|socket| format!("socket:[{}]", socket.inode))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for pid in processes
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
    {
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            let target = target.to_string_lossy();
            if let Some(socket) = wanted.iter().find(|w| **w == target) {
                let inode = socket["socket:[".len()..socket.len() - 1]
                    .parse()
                    .unwrap_or(0);
                found.push((inode, format!("pid {pid} (`{}`)", command_line(pid))));
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
    fn a_listener_is_named_with_its_process() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(port_in_use(port));
        let holders = holders(port);
        assert!(
            holders.contains(&format!("pid {}", std::process::id()))
                && holders.ends_with("listening"),
            "{holders}"
        );
    }
}
