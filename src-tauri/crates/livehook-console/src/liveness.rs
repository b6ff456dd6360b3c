//! Whether each binding works yet: *pending* from the time it was made (the rule's own `CreateTime`,
//! kept by the cloud, so it survives a restart) until the first callback for its domain (and AppName)
//! reaches the inspector, then *live*. In the demo a binding takes effect at once, so it is live at once.

use serde::Serialize;
use tencent_live::api::CallbackRule;
use ts_rs::TS;

use crate::error::{AppError, AppErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Liveness {
    /// No callback since it was bound yet.
    Pending,
    /// A callback arrived since it was bound (or the demo, where bindings apply at once).
    Live,
}

/// One rule's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BindingState {
    pub domain: String,
    pub app_name: String,
    pub template_id: i64,
    /// When it was bound (UNIX ms), from the rule.
    pub bound_at: Option<i64>,
    pub state: Liveness,
    /// The first callback after binding: its arrival (UNIX ms) and id in the inspector.
    pub first_callback_at: Option<i64>,
    pub first_callback_id: Option<i64>,
    /// The latest callback Tencent's delivery log (as read in this session) shows sent for it since it
    /// was bound (UNIX ms).
    pub delivered_at: Option<i64>,
}

/// The state of every rule: `demo` makes them live at once; otherwise the inspector's database
/// (None: nothing stored) says whether a callback has arrived since each was bound, or `delivered`
/// (what delivery logs showed: `(domain, AppName, latest sending in UNIX ms)`) that one was sent. A
/// domain-wide rule is live by any AppName's callback.
pub fn states(
    rules: &[CallbackRule],
    demo: bool,
    store: Option<&callback_inspector::Store>,
    delivered: &[(String, String, i64)],
) -> Result<Vec<BindingState>, AppError> {
    let mut out = Vec::with_capacity(rules.len());
    for r in rules {
        let bound_at = r.create_time.unix().map(|s| s * 1000);
        let first = match (store, demo) {
            (Some(store), _) => store
                .first_for_domain(&r.domain_name, Some(r.app_name.as_str()), bound_at.unwrap_or(0))
                .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?,
            (None, _) => None,
        };
        let delivered_at = delivered
            .iter()
            .filter(|(d, a, at)| {
                d == &r.domain_name && (r.app_name.is_empty() || a == &r.app_name) && *at >= bound_at.unwrap_or(0)
            })
            .map(|(_, _, at)| *at)
            .max();
        out.push(BindingState {
            domain: r.domain_name.clone(),
            app_name: r.app_name.clone(),
            template_id: r.template_id,
            bound_at,
            state: if demo || first.is_some() || delivered_at.is_some() {
                Liveness::Live
            } else {
                Liveness::Pending
            },
            first_callback_at: first.map(|f| f.1),
            first_callback_id: first.map(|f| f.0),
            delivered_at,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencent_live::api::ApiTime;

    fn rule(domain: &str, app: &str, bound: i64) -> CallbackRule {
        CallbackRule {
            create_time: ApiTime::from_unix(bound),
            update_time: ApiTime::from_unix(bound),
            template_id: 1000,
            domain_name: domain.into(),
            app_name: app.into(),
        }
    }

    #[test]
    fn pending_until_a_callback_is_seen_live_at_once_in_the_demo() {
        let rules = [
            rule("push.example.com", "", 1000),
            rule("push2.example.com", "edu", 1000),
        ];
        let none = states(&rules, false, None, &[]).expect("states");
        assert!(none
            .iter()
            .all(|s| s.state == Liveness::Pending && s.bound_at == Some(1_000_000)));
        let demo = states(&rules, true, None, &[]).expect("states");
        assert!(demo
            .iter()
            .all(|s| s.state == Liveness::Live && s.first_callback_at.is_none()));
        // The delivery log: a domain-wide rule is live by any AppName's callback, an AppName's rule only
        // by its own, and only by callbacks sent after binding.
        let log = [
            ("push.example.com".to_owned(), "live".to_owned(), 1_000_500),
            ("push2.example.com".to_owned(), "live".to_owned(), 2_000_000),
            ("push2.example.com".to_owned(), "edu".to_owned(), 999_000),
        ];
        let by_log = states(&rules, false, None, &log).expect("states");
        assert_eq!(by_log[0].state, Liveness::Live);
        assert_eq!(by_log[0].delivered_at, Some(1_000_500));
        assert_eq!(
            by_log[1].state,
            Liveness::Pending,
            "edu's only callback was sent before binding"
        );
    }
}
