//! `detection-engine`: reads CDR JSON lines on stdin, prints one JSON
//! assessment per line on stdout, and a summary on stderr.

use std::io::{self, BufWriter};
use std::process::ExitCode;

use detection_engine::{config_from_args, run, Engine};

fn main() -> ExitCode {
    let result = config_from_args(std::env::args().skip(1))
        .and_then(Engine::new)
        .and_then(|mut engine| {
            let out = BufWriter::new(io::stdout().lock());
            run(&mut engine, io::stdin().lock(), out, io::stderr()).map_err(|e| e.to_string())
        });
    match result {
        Ok(s) => {
            eprintln!(
                "scored={} rejected={} blocked={}",
                s.scored, s.rejected, s.blocked
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("detection-engine: {e}");
            ExitCode::FAILURE
        }
    }
}
