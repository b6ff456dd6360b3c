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
}

/// The state of every rule: `demo` makes them live at once; otherwise the inspector's database
/// (None: nothing stored) says whether a callback has arrived since each was bound.
pub fn states(
    rules: &[CallbackRule],
    demo: bool,
    store: Option<&callback_inspector::Store>,
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
        out.push(BindingState {
            domain: r.domain_name.clone(),
            app_name: r.app_name.clone(),
            template_id: r.template_id,
            bound_at,
            state: if demo || first.is_some() {
                Liveness::Live
            } else {
                Liveness::Pending
            },
            first_callback_at: first.map(|f| f.1),
            first_callback_id: first.map(|f| f.0),
        });
    }
    Ok(out)
}
