//! Rebuilds when a file is added to `lessons/` or `fixtures/`: both are
//! built into the binary with `include_dir!`, which sees changed files but
//! not new ones.
//!
//! On Linux the `orm-tutor` binary is linked as a position-dependent
//! executable (`-no-pie`): a PIE binary of this size carries some 31,000
//! relative relocations that the dynamic loader applies at every start,
//! writing (and so copying) every page of its `.data.rel.ro`; without them
//! an empty script's run takes about 85 fewer page faults and 0.7 ms less
//! CPU (README, "How fast is it?"). The library, the tests and the fuzz
//! targets are built as before; only the binary's link changes.

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    println!("cargo:rerun-if-changed=fixtures");
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
