//! What one subscriber sees of the arrivals: the callbacks its own filter keeps (decided here, with the
//! same rules as the store's SQL, so no front end decides again), the stored count with every update,
//! and a notice when it fell behind instead of a list that silently drifts from the store.

use std::collections::HashSet;

use serde::Serialize;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

use crate::event::EventSummary;
use crate::receiver::Live;
use crate::store::{Filter, ForwardRecord, Store};

/// One message to a subscriber.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Update {
    /// A callback this subscriber's filter keeps, and how many callbacks are stored now.
    Received { event: EventSummary, stored: u64 },
    /// `count` callbacks arrived that the filter hides (since the last update), and how many are stored
    /// now.
    Hidden { count: u64, stored: u64 },
    /// This subscriber fell behind and `missed` arrivals went by unread: what it shows is no longer
    /// complete; read the list again.
    Missed { missed: u64 },
    /// The user's own handler answered a forwarded callback.
    Forwarded { record: ForwardRecord },
    /// A request could not be stored; it was answered 503 so its sender tries again.
    StoreFailed { message: String },
    /// A remote receiver's live stream dropped (why); it is being reopened.
    Disconnected { message: String },
    /// The remote receiver's live stream is open again, and what arrived meanwhile has been sent.
    Reconnected,
}

/// Arrivals taken together when they are already waiting: a burst the filter hides is one update.
const BURST: usize = 256;

/// One subscriber's view of a receiver's arrivals.
#[derive(Debug)]
pub struct Watch {
    rx: broadcast::Receiver<Live>,
    filter: Filter,
    store: Option<Store>,
    /// The newest callback heard and the count it came with: handlers announce concurrently, so an
    /// older callback's count may come after a newer one's and must not move the count back.
    newest: (i64, u64),
}

impl Watch {
    /// `store` decides a text search (only its index knows the words); without one, a text search
    /// keeps nothing, as the list would.
    pub fn new(rx: broadcast::Receiver<Live>, filter: Filter, store: Option<Store>) -> Watch {
        let filter = Filter {
            limit: None,
            before_id: None,
            ..filter
        };
        Watch {
            rx,
            filter,
            store,
            newest: (0, 0),
        }
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The next updates in arrival order: waits for one arrival, then takes what else is already
    /// waiting. None once the receiver has stopped.
    pub async fn next(&mut self) -> Option<Vec<Update>> {
        let mut missed = 0u64;
        let mut batch = Vec::new();
        match self.rx.recv().await {
            Ok(live) => batch.push(live),
            Err(RecvError::Lagged(n)) => missed += n,
            Err(RecvError::Closed) => return None,
        }
        while batch.len() < BURST {
            match self.rx.try_recv() {
                Ok(live) => batch.push(live),
                Err(TryRecvError::Lagged(n)) => missed += n,
                // Empty, or closed: a closed channel answers the next call.
                Err(_) => break,
            }
        }
        // What the filter keeps without the text search; then what the search keeps of those.
        let candidates: HashSet<i64> = batch
            .iter()
            .filter_map(|l| match l {
                Live::Received { event, .. } if self.filter.keeps(event) => Some(event.id),
                _ => None,
            })
            .collect();
        let (kept, search_failed) = match self.text_search(&candidates).await {
            Ok(kept) => (kept, false),
            Err(e) => {
                // The arrivals are not lost: the subscriber is told to read the list again.
                tracing::warn!("a live text search failed: {e}");
                missed += candidates.len() as u64;
                (HashSet::new(), true)
            }
        };
        let mut out = Vec::with_capacity(batch.len() + 2);
        let mut hidden = 0u64;
        let mut stored_now = None;
        for live in batch {
            match live {
                Live::Received { event, stored } => {
                    if event.id > self.newest.0 {
                        self.newest = (event.id, stored);
                    }
                    let stored = self.newest.1;
                    stored_now = Some(stored);
                    if kept.contains(&event.id) {
                        out.push(Update::Received { event, stored });
                    } else if !(search_failed && candidates.contains(&event.id)) {
                        hidden += 1;
                    }
                }
                Live::Forwarded { record } => out.push(Update::Forwarded { record }),
                Live::StoreFailed { message } => out.push(Update::StoreFailed { message }),
            }
        }
        if let (true, Some(stored)) = (hidden > 0, stored_now) {
            out.push(Update::Hidden { count: hidden, stored });
        }
        if missed > 0 {
            out.push(Update::Missed { missed });
        }
        Some(out)
    }

    /// Which of `ids` the text search keeps (all of them when the filter searches no text).
    async fn text_search(&self, ids: &HashSet<i64>) -> Result<HashSet<i64>, String> {
        if !self.filter.searches_text() {
            return Ok(ids.clone());
        }
        let Some(store) = self.store.clone() else {
            return Ok(HashSet::new());
        };
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let filter = Filter {
            limit: Some(BURST as u32),
            ids: Some(ids.iter().copied().collect()),
            ..self.filter.clone()
        };
        tokio::task::spawn_blocking(move || store.query(&filter))
            .await
            .map_err(|e| e.to_string())?
            .map(|page| page.items.iter().map(|e| e.id).collect())
            .map_err(|e| e.to_string())
    }
}
