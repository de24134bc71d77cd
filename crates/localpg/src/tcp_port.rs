//! The TCP port a cluster that listens on 127.0.0.1 gets.
//!
//! It is chosen below the range the kernel hands out to outgoing connections. A port from that
//! range, which is what binding port 0 gives, can be taken by any client connection (a test's
//! connection to another cluster, say) in the time `initdb` takes, and the server then fails
//! to start with "Address already in use".

use std::hash::{BuildHasher, RandomState};
use std::net::TcpListener;
use std::ops::Range;

use crate::error::LocalPgError;

/// A port on 127.0.0.1 that nothing is bound to right now, outside the outgoing range when
/// there is room below it.
pub(crate) fn free() -> Result<u16, LocalPgError> {
    let candidates = FIRST_CANDIDATE..outgoing_range().start;
    if candidates.len() >= MIN_CANDIDATES {
        // Tries in a random order, so that clusters started at once rarely try the same port.
        let seed = RandomState::new().hash_one("localpg tcp port");
        let span = candidates.len() as u64;
        for attempt in 0..TRIES {
            let offset = seed.wrapping_add(attempt.wrapping_mul(STRIDE)) % span;
            let port = candidates.start + offset as u16;
            if TcpListener::bind(("127.0.0.1", port)).is_ok() {
                return Ok(port);
            }
        }
    }
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(LocalPgError::io("finding a free TCP port"))?;
    let address = listener
        .local_addr()
        .map_err(LocalPgError::io("finding a free TCP port"))?;
    Ok(address.port())
}

/// The ports the kernel gives outgoing connections (Linux's default where it cannot be read;
/// other systems use 49152 and up, which it also keeps clear of).
fn outgoing_range() -> Range<u16> {
    let text = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range");
    let bounds: Vec<u16> = text
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|bound| bound.parse().ok())
        .collect();
    match bounds[..] {
        [low, high] if low <= high => low..high.saturating_add(1),
        _ => 32_768..61_000,
    }
}

const FIRST_CANDIDATE: u16 = 10_000;
const MIN_CANDIDATES: usize = 1_000;
const TRIES: u64 = 64;
/// A prime, so that successive tries spread over the candidates.
const STRIDE: u64 = 7_919;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_is_free_and_outside_the_outgoing_range() {
        let outgoing = outgoing_range();
        for _ in 0..20 {
            let port = free().unwrap();
            assert!(!outgoing.contains(&port), "{port} in {outgoing:?}");
            assert!(port >= FIRST_CANDIDATE, "{port}");
            TcpListener::bind(("127.0.0.1", port)).expect("the port is free");
        }
    }
}
