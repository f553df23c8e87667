//! `orm-tutor`: the command line. All logic lives in the library.

/// mimalloc: loading rows allocates many small objects (instances, their
/// attribute maps, values), where it is markedly quicker than glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(orm_tutor::cli::main());
}
