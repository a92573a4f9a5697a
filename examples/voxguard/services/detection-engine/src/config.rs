//! Tunable thresholds for the detection rules.

use serde::{Deserialize, Serialize};

/// Engine configuration. `Config::default()` holds production-like values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Country calling code of the operator's home network, without `+`.
    pub home_country_code: String,
    /// Sliding window, in seconds, for per-caller behaviour.
    pub window_secs: u64,
    /// Wangiri: an unanswered inbound international call ringing at most this long.
    pub wangiri_max_ring_secs: u32,
    /// Wangiri: this many short rings from one caller inside the window is a burst.
    pub wangiri_burst_calls: usize,
    /// SIM-box: this many distinct callees from one local caller inside the window.
    pub simbox_distinct_callees: usize,
    /// IRSF: destination prefixes (with `+`) known for revenue-share fraud.
    pub irsf_prefixes: Vec<String>,
    /// IRSF: calls to a risky prefix at least this long score higher.
    pub irsf_long_call_secs: u32,
    /// Score at or above which a call is sent for review.
    pub review_threshold: f64,
    /// Score at or above which a call is blocked.
    pub block_threshold: f64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            home_country_code: "234".to_string(),
            window_secs: 3600,
            wangiri_max_ring_secs: 5,
            wangiri_burst_calls: 3,
            simbox_distinct_callees: 20,
            irsf_prefixes: ["+881", "+882", "+883", "+979", "+247", "+675"]
                .iter()
                .map(|p| p.to_string())
                .collect(),
            irsf_long_call_secs: 600,
            review_threshold: 0.5,
            block_threshold: 0.8,
        }
    }
}

impl Config {
    /// Rejects configurations that would make verdicts meaningless.
    pub fn validate(&self) -> Result<(), String> {
        if self.home_country_code.is_empty()
            || !self.home_country_code.bytes().all(|b| b.is_ascii_digit())
        {
            return Err("home_country_code must be digits".to_string());
        }
        if self.window_secs == 0 {
            return Err("window_secs must be positive".to_string());
        }
        if self.wangiri_burst_calls == 0 || self.simbox_distinct_callees == 0 {
            return Err("burst and distinct-callee thresholds must be positive".to_string());
        }
        let in_unit = |v: f64| (0.0..=1.0).contains(&v);
        if !in_unit(self.review_threshold) || !in_unit(self.block_threshold) {
            return Err("thresholds must lie in [0, 1]".to_string());
        }
        if self.review_threshold > self.block_threshold {
            return Err("review_threshold must not exceed block_threshold".to_string());
        }
        Ok(())
    }

    /// True when `number` belongs to the home network's country code.
    pub fn is_domestic(&self, number: &str) -> bool {
        number
            .strip_prefix('+')
            .is_some_and(|rest| rest.starts_with(&self.home_country_code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        assert_eq!(Config::default().validate(), Ok(()));
    }

    #[test]
    fn rejects_bad_country_code() {
        let cfg = Config {
            home_country_code: "2a4".into(),
            ..Config::default()
        };
        assert!(cfg.validate().is_err());
    }

    #[test]
    fn rejects_zero_window_and_thresholds() {
        let cfg = Config {
            window_secs: 0,
            ..Config::default()
        };
        assert!(cfg.validate().unwrap_err().contains("window"));
        let cfg = Config {
            wangiri_burst_calls: 0,
            ..Config::default()
        };
        assert!(cfg.validate().unwrap_err().contains("burst"));
    }

    #[test]
    fn rejects_out_of_range_or_inverted_thresholds() {
        let cfg = Config {
            block_threshold: 1.5,
            ..Config::default()
        };
        assert!(cfg.validate().unwrap_err().contains("[0, 1]"));
        let cfg = Config {
            review_threshold: 0.9,
            block_threshold: 0.7,
            ..Config::default()
        };
        assert!(cfg.validate().unwrap_err().contains("exceed"));
    }

    #[test]
    fn partial_json_config_uses_defaults() {
        let cfg: Config = serde_json::from_str(r#"{"block_threshold":0.9}"#).unwrap();
        assert_eq!(cfg.block_threshold, 0.9);
        assert_eq!(cfg.home_country_code, "234");
    }

    #[test]
    fn domestic_detection() {
        let cfg = Config::default();
        assert!(cfg.is_domestic("+2348031234567"));
        assert!(!cfg.is_domestic("+447700900123"));
        assert!(!cfg.is_domestic("2348031234567"));
    }
}
