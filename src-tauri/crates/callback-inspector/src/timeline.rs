//! All events of one stream in order, with what looks wrong marked: an interruption with no push
//! before it, a second push with no interruption between, a recording that started and never produced
//! a file although the stream ended, long silences, retries and callbacks that did not verify.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::event::{EventSummary, StoredEvent};

/// A silence longer than this between two events of a stream is marked.
pub const GAP_SECONDS: i64 = 600;

/// An event that names no session and comes at most this long before a stream's first push session
/// (a recording status sent a moment before its push) is counted in that session.
pub const LEAD_SECONDS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Anomaly {
    /// An interruption (0) of a push session that no push (1) opened.
    InterruptionWithoutPush,
    /// A push (1) while the previous push session was never interrupted.
    PushWithoutInterruption { previous: String },
    /// A recording started (332) and the stream ended, but no recording file (100) came.
    RecordingWithoutFile,
    /// Nothing was heard for this long before this event.
    Gap { seconds: i64 },
    /// This is a repeated delivery.
    Retry { attempt: u32 },
    /// The signature did not verify.
    Unverified { result: crate::event::Verify },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimelineEntry {
    pub event: EventSummary,
    /// The push session this event belongs to: its own `sequence`, or for an event that names none
    /// (a recording file, say) the session of the stream that came before it (the first session, for
    /// such events at most [`LEAD_SECONDS`] before it).
    pub session: Option<String>,
    /// When it happened by the body's `event_time`, else when it arrived (UNIX seconds).
    pub at: i64,
    pub anomalies: Vec<Anomaly>,
}

/// A timeline as the app shows it: its entries, and whether older callbacks of the stream (or of the
/// push session) were left out because it read only the newest `limit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Timeline {
    pub entries: Vec<TimelineEntry>,
    pub older: bool,
    /// How many callbacks it read at most.
    pub limit: u32,
    /// The most any timeline reads ([`crate::TIMELINE_CAP`]): no "load older" past it.
    pub cap: u32,
}

fn body(e: &StoredEvent) -> Value {
    serde_json::from_slice(&e.request.body).unwrap_or(Value::Null)
}

/// The timeline of `events` (one stream's, any order).
pub fn timeline(events: &[StoredEvent]) -> Vec<TimelineEntry> {
    let mut sorted: Vec<&StoredEvent> = events.iter().collect();
    let at = |e: &StoredEvent| e.facts.event_time.unwrap_or(e.request.received_at / 1000);
    sorted.sort_by_key(|e| (at(e), e.id));
    let mut out: Vec<TimelineEntry> = Vec::with_capacity(sorted.len());
    let mut open_push: Option<String> = None;
    let mut pushes_seen: Vec<String> = Vec::new();
    let mut recording_started: Option<usize> = None;
    let mut last_at: Option<i64> = None;
    let mut current_session: Option<String> = None;
    for e in sorted {
        if e.facts.sequence.is_some() {
            current_session = e.facts.sequence.clone();
        }
        let mut anomalies = Vec::new();
        let t = at(e);
        if let Some(prev) = last_at {
            if t.saturating_sub(prev) > GAP_SECONDS {
                anomalies.push(Anomaly::Gap {
                    seconds: t.saturating_sub(prev),
                });
            }
        }
        last_at = Some(t);
        if e.attempt > 1 {
            anomalies.push(Anomaly::Retry { attempt: e.attempt });
        }
        if !e.check.is_valid() {
            anomalies.push(Anomaly::Unverified {
                result: e.check.verify(),
            });
        }
        let seq = e.facts.sequence.clone().unwrap_or_default();
        // Repeated deliveries and replays from LiveHook say nothing new about the stream's state.
        if e.attempt == 1 && crate::event::replay_of(&e.group).is_none() {
            match e.facts.event_type {
                Some(1) => {
                    if let Some(prev) = open_push.take().filter(|p| *p != seq) {
                        anomalies.push(Anomaly::PushWithoutInterruption { previous: prev });
                    }
                    pushes_seen.push(seq.clone());
                    open_push = Some(seq);
                }
                Some(0) => {
                    if !pushes_seen.contains(&seq) {
                        anomalies.push(Anomaly::InterruptionWithoutPush);
                    }
                    if open_push.as_deref() == Some(seq.as_str()) {
                        open_push = None;
                    }
                    if let Some(i) = recording_started.take() {
                        // The stream ended: a file is due. Mark the start until one arrives.
                        out[i].anomalies.push(Anomaly::RecordingWithoutFile);
                    }
                }
                Some(332) => {
                    let ev = body(e);
                    let what = ev.get("record_event").and_then(Value::as_str).unwrap_or_default();
                    if what.contains("start") {
                        recording_started = Some(out.len());
                    }
                }
                Some(100) => {
                    recording_started = None;
                    // A file that arrives after the interruption clears the mark on the latest start.
                    if let Some(entry) = out
                        .iter_mut()
                        .rev()
                        .find(|x| x.anomalies.contains(&Anomaly::RecordingWithoutFile))
                    {
                        entry.anomalies.retain(|a| *a != Anomaly::RecordingWithoutFile);
                    }
                }
                _ => {}
            }
        }
        out.push(TimelineEntry {
            event: e.summary(),
            session: current_session.clone(),
            at: t,
            anomalies,
        });
    }
    // Events that name no session and came before the stream's first push session (a recording status
    // sent a moment before its push) belong to that first session.
    if let Some((first, starts)) = out.iter().find_map(|x| Some((x.session.clone()?, x.at))) {
        for entry in out.iter_mut().take_while(|x| x.session.is_none()) {
            if starts.saturating_sub(entry.at) <= LEAD_SECONDS {
                entry.session = Some(first.clone());
            }
        }
    }
    out
}

/// The entries of one push session out of a stream's whole timeline (marks made in the stream's
/// context, so a session's events keep what the stream around them says).
/// Why a timeline could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TimelineError {
    #[error("Callback {0} is no longer stored.")]
    Gone(i64),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The timeline of a stream from `store`: whole, or only the push session that the callback
/// `session_of` belongs to (its own `sequence`, or for one that names none, such as a recording file,
/// the session the timeline places it in). It reads the newest `limit` callbacks
/// ([`crate::TIMELINE_MAX`] unless asked, at most [`crate::TIMELINE_CAP`]) and says when older ones
/// were left out. The app and the read API both answer with it.
pub fn read(
    store: &crate::store::Store,
    stream_id: &str,
    session_of: Option<i64>,
    limit: Option<u32>,
) -> Result<Timeline, TimelineError> {
    let limit = limit
        .map_or(crate::TIMELINE_MAX, |n| n as usize)
        .clamp(1, crate::TIMELINE_CAP);
    let made = |entries: Vec<TimelineEntry>, older: bool| Timeline {
        entries,
        older,
        limit: limit as u32,
        cap: crate::TIMELINE_CAP as u32,
    };
    let Some(id) = session_of else {
        // The whole stream: its newest events.
        let read = store.stream_events(stream_id, 0, i64::MAX, limit)?;
        return Ok(made(timeline(&read.events), read.older));
    };
    let event = store.get(id)?.ok_or(TimelineError::Gone(id))?;
    let sequence = match event.facts.sequence {
        Some(seq) => Some(seq),
        None => store.session_near(stream_id, id)?,
    };
    let span = match &sequence {
        Some(seq) => store.session_span(stream_id, seq)?,
        None => None,
    };
    // Only the events between the sessions before and after this one are read.
    let (after, before) = span.unwrap_or((id - 1, id + 1));
    let read = store.stream_events(stream_id, after, before, limit)?;
    let all = timeline(&read.events);
    let entries = match all.iter().find(|e| e.event.id == id).and_then(|e| e.session.clone()) {
        Some(seq) => session(all, &seq),
        None => all.into_iter().filter(|e| e.event.id == id).collect(),
    };
    Ok(made(entries, read.older))
}

pub fn session(entries: Vec<TimelineEntry>, sequence: &str) -> Vec<TimelineEntry> {
    entries
        .into_iter()
        .filter(|e| e.session.as_deref() == Some(sequence))
        .collect()
}
