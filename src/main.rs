//! `orm-tutor`: the command line. All logic lives in the library.

fn main() {
    std::process::exit(orm_tutor::cli::main());
}
