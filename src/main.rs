//! `orm-tutor`: the command line. All logic lives in the library.

/// mimalloc: loading rows allocates many small objects (instances, their
/// attribute maps, values), where it is markedly quicker than glibc's malloc.
/// Built with `no_thp` (Cargo.toml): mimalloc then does not ask for
/// transparent huge pages, whose compaction on Linux's default `madvise`
/// setting cost more system time than the whole load of 1M rows (measured
/// at 100k users: 1.5 s of system time down to 0.4 s).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(orm_tutor::cli::main());
}
