//! Rebuilds when a file is added to `lessons/` or `fixtures/`: both are
//! built into the binary with `include_dir!`, which sees changed files but
//! not new ones.

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    println!("cargo:rerun-if-changed=fixtures");
}
