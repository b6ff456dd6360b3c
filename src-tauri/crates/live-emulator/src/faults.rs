//! Fault injection: make the next N calls of an action (or a share of them) slow, fail, or lose their
//! answer, so clients' retry and reconciliation paths can be exercised on purpose.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// What happens to a call that a fault catches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait this long before handling the call.
    Latency { ms: u64 },
    /// Handle the call, then break the connection instead of answering: the client cannot know it worked.
    Drop,
    /// Break the connection without handling the call.
    Reset,
    /// Answer with this HTTP status and no API envelope (a gateway failure).
    Http { status: u16 },
    /// Answer with this Tencent error code (HTTP 200, `Response.Error`).
    Error { code: String, message: Option<String> },
}

/// One rule: which action, what to do, and for how many calls or what share of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// An action name, or `*` for every action.
    pub action: String,
    #[serde(flatten)]
    pub fault: FaultKind,
    /// Catch the next `count` calls (then the rule is used up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Catch each call with this probability (0–1), until removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
}

impl FaultRule {
    pub fn next(action: &str, count: u32, fault: FaultKind) -> FaultRule {
        FaultRule {
            action: action.to_owned(),
            fault,
            count: Some(count),
            rate: None,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        match (self.count, self.rate) {
            (Some(0), _) => Err("count must be at least 1".into()),
            (None, None) => Err("give count (next N calls) or rate (share of calls, 0–1)".into()),
            (_, Some(r)) if !(0.0..=1.0).contains(&r) => Err("rate must be between 0 and 1".into()),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub fn add(&self, rule: FaultRule) -> Result<(), String> {
        rule.validate()?;
        self.lock().push(rule);
        Ok(())
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().clone()
    }

    /// The fault for this call of `action`, if a rule catches it (using up one of its count).
    pub fn take(&self, action: &str, unit: f64) -> Option<FaultKind> {
        let mut rules = self.lock();
        let index = rules.iter().position(|r| {
            (r.action == "*" || r.action == action) && (r.count.is_some() || r.rate.is_some_and(|p| unit < p))
        })?;
        let fault = rules[index].fault.clone();
        if let Some(n) = rules[index].count.as_mut() {
            *n -= 1;
            if *n == 0 {
                rules.remove(index);
            }
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_rules_are_used_up_in_order() {
        let f = Faults::default();
        f.add(FaultRule::next("A", 2, FaultKind::Drop)).expect("valid");
        f.add(FaultRule::next("*", 1, FaultKind::Reset)).expect("valid");
        assert_eq!(f.take("B", 0.5), Some(FaultKind::Reset));
        assert_eq!(f.take("B", 0.5), None);
        assert_eq!(f.take("A", 0.5), Some(FaultKind::Drop));
        assert_eq!(f.take("A", 0.5), Some(FaultKind::Drop));
        assert_eq!(f.take("A", 0.5), None);
    }

    #[test]
    fn rate_rules_catch_a_share() {
        let f = Faults::default();
        let rule = FaultRule {
            action: "A".into(),
            fault: FaultKind::Http { status: 503 },
            count: None,
            rate: Some(0.25),
        };
        f.add(rule).expect("valid");
        assert_eq!(f.take("A", 0.1), Some(FaultKind::Http { status: 503 }));
        assert_eq!(f.take("A", 0.9), None);
        assert_eq!(f.list().len(), 1, "rate rules stay");
    }

    #[test]
    fn rejects_rules_that_would_never_or_always_end_wrongly() {
        let f = Faults::default();
        assert!(f
            .add(FaultRule {
                count: None,
                rate: None,
                ..FaultRule::next("A", 1, FaultKind::Drop)
            })
            .is_err());
        assert!(f.add(FaultRule::next("A", 0, FaultKind::Drop)).is_err());
        assert!(f
            .add(FaultRule {
                count: None,
                rate: Some(2.0),
                ..FaultRule::next("A", 1, FaultKind::Drop)
            })
            .is_err());
    }
}
