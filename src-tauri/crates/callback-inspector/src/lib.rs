//! The event inspector: an HTTP receiver for Tencent Cloud Live callbacks that verifies each one with
//! every key it knows, keeps it durably in SQLite before answering, answers as the user's rules say,
//! and the tools around it (queries, timelines, replay, export, test events). No `tauri` here: the
//! desktop app and `livehook inspector` both use it.

pub mod api;
pub mod details;
pub mod event;
pub mod live;
pub mod receiver;
pub mod remote;
pub mod rules;
pub mod store;
pub mod timeline;
pub mod tools;

pub use event::{Answer, Captured, Check, EventSummary, Facts, NamedKey, StoredEvent, Verify, VerifyFilter};
pub use live::{Update, Watch};
pub use receiver::{start, Live, ReceiverConfig, ReceiverError, RunningReceiver, BODY_LIMIT};
pub use rules::ResponseRule;
pub use store::{
    Arrival, Filter, ForwardRecord, Page, Retention, Store, StoreError, StreamEvents, Traffic, TrafficSeries,
    MAX_BUCKETS, MAX_IDS, TIMELINE_CAP, TIMELINE_MAX,
};
