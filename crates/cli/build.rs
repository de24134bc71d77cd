//! Links the functions that runs execute next to one another, in the order of
//! `link-order.txt`, when the binary is linked by the lld the Rust toolchain ships (the default
//! for x86-64 Linux).
//!
//! The kernel maps a binary's code in blocks around each page a run touches, so functions
//! scattered over the whole binary make most of it resident. Placed together, the functions
//! `bench layout` saw runs execute keep the resident code close to what runs: a no-op upgrade
//! at 1,000 revisions peaks at about 3 MiB less (see `bench/README.md`).

use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=link-order.txt");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if !linked_by_rust_lld() {
        return;
    }
    let manifest_dir = env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let order = Path::new(&manifest_dir).join("link-order.txt");
    let arg = "cargo:rustc-link-arg-bin=clipdex-migrate";
    println!("{arg}=-Wl,--symbol-ordering-file={}", order.display());
    // The list names one build's functions; one renamed since is simply left where it falls.
    println!("{arg}=-Wl,--no-warn-symbol-ordering");
}

/// Whether the binary is linked by the toolchain's own lld: the default on x86-64 Linux with
/// glibc, unless a linker or linker flags were chosen, which may not know the option.
fn linked_by_rust_lld() -> bool {
    let var = |name| env::var(name).unwrap_or_default();
    let chosen_linker =
        env::var_os("RUSTC_LINKER").is_some() || var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && !chosen_linker
}
