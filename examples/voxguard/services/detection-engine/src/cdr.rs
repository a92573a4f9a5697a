//! Call detail records (CDRs) as they arrive from the switch mediation layer.

use serde::{Deserialize, Serialize};

/// One call detail record.
///
/// Numbers are E.164 strings (`+<country code><subscriber number>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cdr {
    /// Unique identifier assigned by the switch.
    pub call_id: String,
    /// Calling party (A-number).
    pub caller: String,
    /// Called party (B-number).
    pub callee: String,
    /// Call setup time, seconds since the Unix epoch.
    pub start_ts: u64,
    /// Seconds the phone rang before answer or abandon.
    #[serde(default)]
    pub ring_secs: u32,
    /// Conversation time in seconds (0 when unanswered).
    #[serde(default)]
    pub duration_secs: u32,
    /// Whether the call was answered.
    #[serde(default)]
    pub answered: bool,
}

impl Cdr {
    /// Parses one JSON line into a CDR and validates it.
    pub fn from_json(line: &str) -> Result<Self, String> {
        let cdr: Cdr = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
        cdr.validate()?;
        Ok(cdr)
    }

    /// Checks the fields a parser cannot check.
    pub fn validate(&self) -> Result<(), String> {
        if self.call_id.trim().is_empty() {
            return Err("call_id must not be empty".to_string());
        }
        for (name, number) in [("caller", &self.caller), ("callee", &self.callee)] {
            if !is_e164(number) {
                return Err(format!("{name} {number:?} is not an E.164 number"));
            }
        }
        if !self.answered && self.duration_secs > 0 {
            return Err("unanswered call cannot have a duration".to_string());
        }
        Ok(())
    }
}

/// Returns true for `+` followed by 7 to 15 digits.
pub fn is_e164(number: &str) -> bool {
    match number.strip_prefix('+') {
        Some(digits) => {
            (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_record() {
        let cdr = Cdr::from_json(
            r#"{"call_id":"c1","caller":"+2348031234567","callee":"+2348039876543","start_ts":100,"ring_secs":4,"duration_secs":60,"answered":true}"#,
        )
        .unwrap();
        assert_eq!(cdr.call_id, "c1");
        assert_eq!(cdr.duration_secs, 60);
        assert!(cdr.answered);
    }

    #[test]
    fn optional_fields_default() {
        let cdr = Cdr::from_json(
            r#"{"call_id":"c2","caller":"+2348031234567","callee":"+2348039876543","start_ts":5}"#,
        )
        .unwrap();
        assert_eq!(cdr.ring_secs, 0);
        assert_eq!(cdr.duration_secs, 0);
        assert!(!cdr.answered);
    }

    #[test]
    fn rejects_bad_json() {
        let err = Cdr::from_json("{not json").unwrap_err();
        assert!(err.starts_with("invalid JSON"), "{err}");
    }

    #[test]
    fn rejects_empty_call_id() {
        let err = Cdr::from_json(
            r#"{"call_id":" ","caller":"+2348031234567","callee":"+2348039876543","start_ts":5}"#,
        )
        .unwrap_err();
        assert_eq!(err, "call_id must not be empty");
    }

    #[test]
    fn rejects_non_e164_numbers() {
        let err = Cdr::from_json(
            r#"{"call_id":"c3","caller":"08031234567","callee":"+2348039876543","start_ts":5}"#,
        )
        .unwrap_err();
        assert!(err.contains("caller"), "{err}");
    }

    #[test]
    fn rejects_duration_on_unanswered_call() {
        let err = Cdr::from_json(
            r#"{"call_id":"c4","caller":"+2348031234567","callee":"+2348039876543","start_ts":5,"duration_secs":3}"#,
        )
        .unwrap_err();
        assert!(err.contains("unanswered"), "{err}");
    }

    #[test]
    fn e164_rules() {
        assert!(is_e164("+2348031234567"));
        assert!(!is_e164("+12345"));
        assert!(!is_e164("+23480312345678901"));
        assert!(!is_e164("+23480a1234567"));
        assert!(!is_e164("2348031234567"));
    }
}
