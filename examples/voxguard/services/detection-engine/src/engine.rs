//! Stateful scoring of CDR streams.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use crate::cdr::Cdr;
use crate::config::Config;

/// The fraud pattern a rule detects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// "One ring and cut": short unanswered inbound international calls.
    Wangiri,
    /// SIM-box bypass: one local SIM fanning out to many destinations.
    SimBox,
    /// International revenue-share fraud: traffic pumped to premium ranges.
    Irsf,
}

/// What to do with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allow,
    Review,
    Block,
}

/// One rule's contribution to a call's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub score: f64,
    pub detail: String,
}

/// The engine's answer for one CDR.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub call_id: String,
    pub score: f64,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone)]
struct Seen {
    ts: u64,
    callee: String,
    short_ring: bool,
}

/// Scores CDRs one at a time, remembering recent calls per caller.
#[derive(Debug)]
pub struct Engine {
    config: Config,
    history: HashMap<String, VecDeque<Seen>>,
}

impl Engine {
    /// Builds an engine, rejecting an invalid configuration.
    pub fn new(config: Config) -> Result<Self, String> {
        config.validate()?;
        Ok(Self {
            config,
            history: HashMap::new(),
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Number of callers currently tracked in the sliding window.
    pub fn tracked_callers(&self) -> usize {
        self.history.len()
    }

    /// Scores one call and records it for later calls.
    pub fn assess(&mut self, cdr: &Cdr) -> Assessment {
        self.expire(cdr.start_ts);
        let short_ring = self.is_short_ring(cdr);
        let calls = self.history.entry(cdr.caller.clone()).or_default();
        calls.push_back(Seen {
            ts: cdr.start_ts,
            callee: cdr.callee.clone(),
            short_ring,
        });

        let calls = &self.history[&cdr.caller];
        let findings: Vec<Finding> = [
            wangiri(&self.config, short_ring, calls),
            simbox(&self.config, cdr, calls),
            irsf(&self.config, cdr),
        ]
        .into_iter()
        .flatten()
        .collect();

        let score = combine(findings.iter().map(|f| f.score));
        Assessment {
            call_id: cdr.call_id.clone(),
            score,
            verdict: self.verdict(score),
            findings,
        }
    }

    /// Maps a score to a verdict using the configured thresholds.
    pub fn verdict(&self, score: f64) -> Verdict {
        if score >= self.config.block_threshold {
            Verdict::Block
        } else if score >= self.config.review_threshold {
            Verdict::Review
        } else {
            Verdict::Allow
        }
    }

    fn is_short_ring(&self, cdr: &Cdr) -> bool {
        !cdr.answered
            && !self.config.is_domestic(&cdr.caller)
            && cdr.ring_secs <= self.config.wangiri_max_ring_secs
    }

    fn expire(&mut self, now: u64) {
        let oldest = now.saturating_sub(self.config.window_secs);
        self.history.retain(|_, calls| {
            while calls.front().is_some_and(|c| c.ts < oldest) {
                calls.pop_front();
            }
            !calls.is_empty()
        });
    }
}

fn wangiri(cfg: &Config, short_ring: bool, calls: &VecDeque<Seen>) -> Option<Finding> {
    if !short_ring {
        return None;
    }
    let bursts = calls.iter().filter(|c| c.short_ring).count();
    if bursts >= cfg.wangiri_burst_calls {
        Some(Finding {
            rule: Rule::Wangiri,
            score: 0.9,
            detail: format!("{bursts} short international rings in window"),
        })
    } else {
        Some(Finding {
            rule: Rule::Wangiri,
            score: 0.4,
            detail: "short unanswered international ring".to_string(),
        })
    }
}

fn simbox(cfg: &Config, cdr: &Cdr, calls: &VecDeque<Seen>) -> Option<Finding> {
    if !cfg.is_domestic(&cdr.caller) {
        return None;
    }
    let distinct: HashSet<&str> = calls.iter().map(|c| c.callee.as_str()).collect();
    let ratio = distinct.len() as f64 / cfg.simbox_distinct_callees as f64;
    if ratio < 0.5 {
        return None;
    }
    Some(Finding {
        rule: Rule::SimBox,
        score: round(ratio.min(1.0) * 0.85),
        detail: format!("{} distinct callees in window", distinct.len()),
    })
}

fn irsf(cfg: &Config, cdr: &Cdr) -> Option<Finding> {
    let prefix = cfg
        .irsf_prefixes
        .iter()
        .find(|p| cdr.callee.starts_with(p.as_str()))?;
    let long = cdr.answered && cdr.duration_secs >= cfg.irsf_long_call_secs;
    Some(Finding {
        rule: Rule::Irsf,
        score: if long { 0.85 } else { 0.5 },
        detail: if long {
            format!("{}s call to high-risk range {prefix}", cdr.duration_secs)
        } else {
            format!("call to high-risk range {prefix}")
        },
    })
}

/// Probabilistic OR of independent rule scores: 1 - prod(1 - s).
pub fn combine<I: IntoIterator<Item = f64>>(scores: I) -> f64 {
    let miss: f64 = scores
        .into_iter()
        .map(|s| 1.0 - s.clamp(0.0, 1.0))
        .product();
    round(1.0 - miss)
}

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(id: &str, caller: &str, callee: &str, ts: u64) -> Cdr {
        Cdr {
            call_id: id.to_string(),
            caller: caller.to_string(),
            callee: callee.to_string(),
            start_ts: ts,
            ring_secs: 2,
            duration_secs: 0,
            answered: false,
        }
    }

    fn answered(mut cdr: Cdr, secs: u32) -> Cdr {
        cdr.answered = true;
        cdr.duration_secs = secs;
        cdr
    }

    #[test]
    fn rejects_invalid_config() {
        let cfg = Config {
            window_secs: 0,
            ..Config::default()
        };
        assert!(Engine::new(cfg).is_err());
    }

    #[test]
    fn clean_domestic_call_is_allowed() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let a = engine.assess(&answered(
            call("c1", "+2348031234567", "+2348039876543", 10),
            120,
        ));
        assert_eq!(a.verdict, Verdict::Allow);
        assert_eq!(a.score, 0.0);
        assert!(a.findings.is_empty());
    }

    #[test]
    fn single_wangiri_ring_is_allowed_but_flagged() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let a = engine.assess(&call("w1", "+88212345678", "+2348031234567", 10));
        assert_eq!(a.findings.len(), 1);
        assert_eq!(a.findings[0].rule, Rule::Wangiri);
        assert_eq!(a.verdict, Verdict::Allow);
    }

    #[test]
    fn wangiri_burst_is_blocked() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let caller = "+37060012345";
        for i in 0..2 {
            engine.assess(&call(&format!("w{i}"), caller, "+2348031230000", 10 + i));
        }
        let a = engine.assess(&call("w2", caller, "+2348031230001", 20));
        assert_eq!(a.verdict, Verdict::Block);
        assert!(a.findings[0].detail.starts_with("3 short"));
    }

    #[test]
    fn long_ring_is_not_wangiri() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let mut cdr = call("w1", "+37060012345", "+2348031234567", 10);
        cdr.ring_secs = 30;
        assert!(engine.assess(&cdr).findings.is_empty());
    }

    #[test]
    fn window_expiry_forgets_old_calls() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let caller = "+37060012345";
        engine.assess(&call("w0", caller, "+2348031230000", 0));
        engine.assess(&call("w1", caller, "+2348031230000", 1));
        assert_eq!(engine.tracked_callers(), 1);
        let a = engine.assess(&call("w2", caller, "+2348031230000", 10_000));
        assert_eq!(a.verdict, Verdict::Allow);
        assert_eq!(engine.tracked_callers(), 1);
    }

    #[test]
    fn simbox_fan_out_scores_up() {
        let cfg = Config {
            simbox_distinct_callees: 4,
            ..Config::default()
        };
        let mut engine = Engine::new(cfg).unwrap();
        let caller = "+2348030000001";
        let first = engine.assess(&answered(call("s0", caller, "+2348031110000", 1), 30));
        assert!(first.findings.is_empty());
        let mut last = first;
        for i in 1..4u64 {
            let callee = format!("+234803111000{i}");
            last = engine.assess(&answered(
                call(&format!("s{i}"), caller, &callee, 1 + i),
                30,
            ));
        }
        assert_eq!(last.findings[0].rule, Rule::SimBox);
        assert_eq!(last.score, 0.85);
        assert_eq!(last.verdict, Verdict::Block);
    }

    #[test]
    fn irsf_short_and_long_calls() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let short = engine.assess(&answered(
            call("i1", "+2348031234567", "+88161234567", 5),
            30,
        ));
        assert_eq!(short.findings[0].rule, Rule::Irsf);
        assert_eq!(short.verdict, Verdict::Review);
        let long = engine.assess(&answered(
            call("i2", "+2348031234568", "+88161234567", 6),
            900,
        ));
        assert_eq!(long.verdict, Verdict::Block);
        assert!(long.findings[0].detail.contains("900s"));
    }

    #[test]
    fn combine_is_probabilistic_or() {
        assert_eq!(combine([]), 0.0);
        assert_eq!(combine([0.5, 0.5]), 0.75);
        assert_eq!(combine([2.0]), 1.0);
        assert_eq!(combine([-1.0, 0.2]), 0.2);
    }

    #[test]
    fn verdict_thresholds() {
        let engine = Engine::new(Config::default()).unwrap();
        assert_eq!(engine.config().block_threshold, 0.8);
        assert_eq!(engine.verdict(0.49), Verdict::Allow);
        assert_eq!(engine.verdict(0.5), Verdict::Review);
        assert_eq!(engine.verdict(0.8), Verdict::Block);
    }

    #[test]
    fn assessment_serialises_snake_case() {
        let mut engine = Engine::new(Config::default()).unwrap();
        let a = engine.assess(&answered(
            call("i1", "+2348031234567", "+88161234567", 5),
            30,
        ));
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains(r#""verdict":"review""#), "{json}");
        assert!(json.contains(r#""rule":"irsf""#), "{json}");
    }
}
