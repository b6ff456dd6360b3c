//! How the receiver answers. By default `200 {"code":0}` once the callback is stored; a rule can
//! answer otherwise for a path or an event type: another status, a delay (past Tencent's 20 s timeout
//! if wanted), or failing the first N attempts of each delivery so its retries can be watched.

use serde::{Deserialize, Serialize};

use crate::event::Answer;

/// The longest delay a rule may ask for: past Tencent's 20 s timeout, with room to spare.
pub const MAX_DELAY_MS: u64 = 60_000;

/// One rule; the first that matches a request decides its answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResponseRule {
    /// Match requests to this path exactly (e.g. `/live/record`); None: any path.
    pub path: Option<String>,
    /// Match this event type; None: any.
    pub event_type: Option<i64>,
    /// Answer with this status (default 200).
    pub status: Option<u16>,
    /// Wait this long before answering.
    pub delay_ms: u64,
    /// Answer 500 to the first N attempts of each delivery, then as above.
    pub fail_first: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("rule {index}: status {status} is not an HTTP status (100–599)")]
    Status { index: usize, status: u16 },
    #[error("rule {index}: a delay of {delay_ms} ms is over the limit of {MAX_DELAY_MS} ms")]
    Delay { index: usize, delay_ms: u64 },
    #[error("rule {index}: the path must start with /")]
    Path { index: usize },
}

impl ResponseRule {
    fn matches(&self, path: &str, event_type: Option<i64>) -> bool {
        self.path.as_deref().is_none_or(|p| p == path) && self.event_type.is_none_or(|t| Some(t) == event_type)
    }

    fn describe(&self) -> String {
        let mut scope = Vec::new();
        if let Some(p) = &self.path {
            scope.push(format!("path {p}"));
        }
        if let Some(t) = self.event_type {
            scope.push(format!("event type {t}"));
        }
        if scope.is_empty() {
            scope.push("every request".to_owned());
        }
        scope.join(", ")
    }
}

/// Check a set of rules before using it.
pub fn validate(rules: &[ResponseRule]) -> Result<(), RuleError> {
    for (index, r) in rules.iter().enumerate() {
        if let Some(status) = r.status {
            if !(100..=599).contains(&status) {
                return Err(RuleError::Status { index, status });
            }
        }
        if r.delay_ms > MAX_DELAY_MS {
            return Err(RuleError::Delay {
                index,
                delay_ms: r.delay_ms,
            });
        }
        if r.path.as_deref().is_some_and(|p| !p.starts_with('/')) {
            return Err(RuleError::Path { index });
        }
    }
    Ok(())
}

/// The answer for a request, given which attempt of its delivery it is.
pub fn answer(rules: &[ResponseRule], path: &str, event_type: Option<i64>, attempt: u32) -> Answer {
    let Some(rule) = rules.iter().find(|r| r.matches(path, event_type)) else {
        return Answer::ok();
    };
    let (status, why) = if attempt <= rule.fail_first {
        (
            500,
            format!(
                "{}: fail the first {} attempts (this is attempt {attempt})",
                rule.describe(),
                rule.fail_first
            ),
        )
    } else {
        let status = rule.status.unwrap_or(200);
        (status, format!("{}: answer {status}", rule.describe()))
    };
    let body = if status == 200 {
        r#"{"code":0}"#.to_owned()
    } else {
        serde_json::json!({"code": status, "message": format!("LiveHook inspector rule: {why}")}).to_string()
    };
    Answer {
        status,
        delay_ms: rule.delay_ms,
        body,
        rule: Some(if rule.delay_ms > 0 {
            format!("{why}, after {} ms", rule.delay_ms)
        } else {
            why
        }),
    }
}
