//! Command-line arguments (clap) and the commands they run.

use std::io::Read;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::fixture::Fixture;
use crate::tutor::{DbTarget, Tutor};

/// orm-tutor: learn the SQLAlchemy ORM by seeing the SQL it sends.
#[derive(Debug, Parser)]
#[command(name = "orm-tutor", version, about)]
pub struct Cli {
    /// The fixture to load (a folder under fixtures/).
    #[arg(long, global = true, default_value = "chat")]
    pub fixture: String,
    /// Work on this SQLite file instead of an in-memory database.
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Never use colors.
    #[arg(long, global = true)]
    pub no_color: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output format of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a script as the REPL would run its lines (FILE `-` reads stdin).
    Run {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        file: PathBuf,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("orm-tutor: {message}");
            2
        }
    }
}

fn run(cli: Cli) -> Result<i32, String> {
    let fixture = Fixture::find(&cli.fixture).map_err(|e| e.to_string())?;
    let target = match &cli.db {
        Some(p) => DbTarget::File(p.clone()),
        None => DbTarget::Memory,
    };
    match cli.command {
        Some(Command::Run { format, file }) => {
            let source = if file.as_os_str() == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| format!("reading stdin: {e}"))?;
                s
            } else {
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?
            };
            let mut tutor = Tutor::start(fixture, target).map_err(|e| e.to_string())?;
            let steps = tutor.run_script(&source);
            match format {
                Format::Json => print!("{}", crate::trace::trace_json(&tutor.fixture.name, &steps)),
                Format::Text => {
                    for s in &steps {
                        print!("{}", crate::trace::step_json(s));
                        println!();
                    }
                }
            }
            Ok(0)
        }
        None => Err("the REPL is being written; use `orm-tutor run FILE`".into()),
    }
}
