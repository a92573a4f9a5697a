//! VoxGuard detection engine.
//!
//! Scores call detail records (CDRs) for telecom fraud patterns —
//! Wangiri call-back scams, SIM-box interconnect bypass and international
//! revenue-share fraud (IRSF) — and turns the score into a verdict.
//!
//! The binary streams CDRs as JSON lines on stdin and writes one JSON
//! assessment per line on stdout; see [`run`].

pub mod cdr;
pub mod config;
pub mod engine;

use std::io::{BufRead, Write};

pub use cdr::Cdr;
pub use config::Config;
pub use engine::{Assessment, Engine, Finding, Rule, Verdict};

/// Counts reported at the end of a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub scored: usize,
    pub rejected: usize,
    pub blocked: usize,
}

/// Reads the optional `--config <file>` argument and loads the configuration.
pub fn config_from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
    let mut args = args.into_iter();
    match (args.next().as_deref(), args.next(), args.next()) {
        (None, _, _) => Ok(Config::default()),
        (Some("--config"), Some(path), None) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            let cfg: Config = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            cfg.validate()?;
            Ok(cfg)
        }
        _ => Err("usage: detection-engine [--config <file.json>] < cdrs.jsonl".to_string()),
    }
}

/// Scores every CDR line from `input`, writing assessments to `out` and
/// rejected lines (with their line number) to `errors`.
pub fn run<R: BufRead, W: Write, E: Write>(
    engine: &mut Engine,
    input: R,
    mut out: W,
    mut errors: E,
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    for (index, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match Cdr::from_json(&line) {
            Ok(cdr) => {
                let assessment = engine.assess(&cdr);
                if assessment.verdict == Verdict::Block {
                    summary.blocked += 1;
                }
                serde_json::to_writer(&mut out, &assessment)?;
                writeln!(out)?;
                summary.scored += 1;
            }
            Err(reason) => {
                writeln!(errors, "line {}: {reason}", index + 1)?;
                summary.rejected += 1;
            }
        }
    }
    out.flush()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = concat!(
        r#"{"call_id":"a","caller":"+2348031234567","callee":"+2348039876543","start_ts":1,"duration_secs":60,"answered":true}"#,
        "\n\n",
        "garbage\n",
        r#"{"call_id":"b","caller":"+2348031234567","callee":"+88161234567","start_ts":2,"duration_secs":900,"answered":true}"#,
        "\n",
    );

    #[test]
    fn run_scores_lines_and_reports_rejects() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let summary = run(&mut engine, INPUT.as_bytes(), &mut out, &mut err).unwrap();
        assert_eq!(
            summary,
            Summary {
                scored: 2,
                rejected: 1,
                blocked: 1
            }
        );
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(second["call_id"], "b");
        assert_eq!(second["verdict"], "block");
        assert!(String::from_utf8(err)
            .unwrap()
            .starts_with("line 3: invalid JSON"));
    }

    #[test]
    fn run_propagates_read_errors() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let bad_utf8: &[u8] = &[0xff, 0xfe, b'\n'];
        let result = run(&mut engine, bad_utf8, Vec::new(), Vec::new());
        assert!(result.is_err());
    }

    #[test]
    fn config_defaults_without_args() {
        assert_eq!(config_from_args(Vec::new()), Ok(Config::default()));
    }

    #[test]
    fn config_from_file() {
        let path = std::env::temp_dir().join(format!("voxguard-cfg-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"block_threshold":0.95}"#).unwrap();
        let args = vec!["--config".to_string(), path.display().to_string()];
        let cfg = config_from_args(args).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(cfg.block_threshold, 0.95);
    }

    #[test]
    fn config_errors() {
        let usage = config_from_args(vec!["--verbose".to_string()]).unwrap_err();
        assert!(usage.starts_with("usage"));
        let missing =
            config_from_args(vec!["--config".into(), "/nonexistent/voxguard.json".into()]);
        assert!(missing.unwrap_err().contains("/nonexistent/voxguard.json"));
        let path = std::env::temp_dir().join(format!("voxguard-bad-{}.json", std::process::id()));
        std::fs::write(&path, "[1,2]").unwrap();
        let bad = config_from_args(vec!["--config".into(), path.display().to_string()]);
        std::fs::remove_file(&path).unwrap();
        assert!(bad.is_err());
    }
}
