//! The callbacks Tencent Cloud sends: event types, typed bodies, realistic bodies of every type, how
//! they are sent (sealing with `t` and `sign`, the retry schedules), and `sign = md5(key + t)`
//! verification.

pub mod bodies;
pub mod delivery;
pub mod events;
pub mod verify;

pub use delivery::{seal, Retries, RetrySchedule, ANSWER_TIMEOUT};
pub use events::*;
pub use verify::{sign, verify, ExpiryPolicy, KeyMatch, Verification};

use serde::Serialize;
use serde_json::Value;

use crate::lenient;

/// The event types a template (or a relay task, or the console) can configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EventType {
    StreamEnd,
    StreamBegin,
    RecordFile,
    Snapshot,
    Relay,
    AudioAudit,
    ImageAudit,
    PushException,
    RecordStatus,
    RecordException,
    LiveSummary,
}

impl EventType {
    pub const ALL: [EventType; 11] = [
        EventType::StreamBegin,
        EventType::StreamEnd,
        EventType::RecordFile,
        EventType::RecordStatus,
        EventType::Snapshot,
        EventType::ImageAudit,
        EventType::AudioAudit,
        EventType::PushException,
        EventType::RecordException,
        EventType::Relay,
        EventType::LiveSummary,
    ];

    pub fn code(self) -> i64 {
        match self {
            EventType::StreamEnd => 0,
            EventType::StreamBegin => 1,
            EventType::RecordFile => 100,
            EventType::Snapshot => 200,
            EventType::Relay => 314,
            EventType::AudioAudit => 315,
            EventType::ImageAudit => 317,
            EventType::PushException => 321,
            EventType::RecordStatus => 332,
            EventType::RecordException => 341,
            EventType::LiveSummary => 348,
        }
    }

    pub fn from_code(code: i64) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.code() == code)
    }

    /// A short stable name, as used on command lines (`--event stream-begin`).
    pub fn slug(self) -> &'static str {
        match self {
            EventType::StreamEnd => "stream-end",
            EventType::StreamBegin => "stream-begin",
            EventType::RecordFile => "record-file",
            EventType::Snapshot => "snapshot",
            EventType::Relay => "relay",
            EventType::AudioAudit => "audio-audit",
            EventType::ImageAudit => "porn-censorship",
            EventType::PushException => "push-exception",
            EventType::RecordStatus => "record-status",
            EventType::RecordException => "record-exception",
            EventType::LiveSummary => "live-summary",
        }
    }

    /// Accepts the code (`100`), the slug (`record-file`) or a name in either language, in any case and
    /// with `-`, `_` or spaces between words (`interruption`, `Recording file`, `recording-file`, `断流`).
    pub fn parse(s: &str) -> Option<EventType> {
        let s = s.trim();
        if let Ok(code) = s.parse::<i64>() {
            return EventType::from_code(code);
        }
        let norm = |t: &str| {
            t.split(|c: char| c == '-' || c == '_' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let want = norm(s);
        EventType::ALL.into_iter().find(|e| {
            let (en, zh) = e.names();
            norm(e.slug()) == want || norm(en) == want || zh == s
        })
    }

    /// Every spelling [`EventType::parse`] takes as a word, for messages: the English names as slugs.
    pub fn name_list() -> String {
        EventType::ALL
            .iter()
            .map(|e| e.names().0.to_lowercase().replace(' ', "-"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// How the command line shows a type: its English name and code (`Interruption (0)`).
    pub fn label(code: i64) -> String {
        match EventType::from_code(code) {
            Some(e) => format!("{} ({code})", e.names().0),
            None => code.to_string(),
        }
    }

    /// (English, Chinese) names: the one vocabulary of event types. The app's translations are
    /// generated from these (`ui/src/locales/*/vocabulary.json`), the command line prints them, and a
    /// template's URL fields are labelled with the name of the event they receive.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            EventType::StreamEnd => ("Interruption", "断流"),
            EventType::StreamBegin => ("Push", "推流"),
            EventType::RecordFile => ("Recording file", "录制文件"),
            EventType::Snapshot => ("Screenshot", "截图"),
            EventType::Relay => ("Relay", "转推"),
            EventType::AudioAudit => ("Audio audit", "音频审核"),
            EventType::ImageAudit => ("Porn detection", "鉴黄"),
            EventType::PushException => ("Push exception", "推流异常"),
            EventType::RecordStatus => ("Recording status", "录制状态"),
            EventType::RecordException => ("Recording exception", "录制异常"),
            EventType::LiveSummary => ("Live summary", "直播汇总"),
        }
    }

    /// The template field whose URL receives this event (None: configured elsewhere).
    pub fn template_field(self) -> Option<&'static str> {
        match self {
            EventType::StreamBegin => Some("StreamBeginNotifyUrl"),
            EventType::StreamEnd => Some("StreamEndNotifyUrl"),
            EventType::RecordFile => Some("RecordNotifyUrl"),
            EventType::RecordStatus => Some("RecordStatusNotifyUrl"),
            EventType::Snapshot => Some("SnapshotNotifyUrl"),
            EventType::ImageAudit => Some("PornCensorshipNotifyUrl"),
            EventType::AudioAudit => Some("AudioAuditNotifyUrl"),
            EventType::PushException => Some("PushExceptionNotifyUrl"),
            EventType::RecordException => Some("RecordExceptionNotifyUrl"),
            EventType::Relay | EventType::LiveSummary => None,
        }
    }
}

/// A callback body decoded into its event type's model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum CallbackEvent {
    StreamEnd(StreamEvent),
    StreamBegin(StreamEvent),
    RecordFile(RecordFileEvent),
    Snapshot(SnapshotEvent),
    Relay(RelayEvent),
    AudioAudit(AudioAuditEvent),
    ImageAudit(ImageAuditEvent),
    PushException(PushExceptionEvent),
    RecordStatus(RecordStatusEvent),
    RecordException(RecordExceptionEvent),
    LiveSummary(LiveSummaryEvent),
    /// An event type this crate does not model, or a body whose fields do not fit its type's model.
    /// The JSON is kept whole; `problem` says why it was not modelled, if it was a known type.
    Unknown {
        raw: Value,
        problem: Option<String>,
    },
}

/// Why a body is not a callback at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the body is JSON but not an object")]
    NotObject,
}

/// A callback: its common fields and its typed body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Callback {
    pub event_type: Option<i64>,
    /// Expiry time (UNIX seconds), whether sent as number or string.
    pub t: Option<i64>,
    pub sign: Option<String>,
    pub event: CallbackEvent,
}

fn typed<T: serde::de::DeserializeOwned>(raw: &Value, wrap: fn(T) -> CallbackEvent) -> CallbackEvent {
    match serde_json::from_value::<T>(raw.clone()) {
        Ok(v) => wrap(v),
        Err(e) => CallbackEvent::Unknown {
            raw: raw.clone(),
            problem: Some(e.to_string()),
        },
    }
}

/// The expiry `t` of a body: a number, or a numeric string.
pub fn expiry_of(raw: &Value) -> Option<i64> {
    raw.get("t").and_then(|t| lenient::opt_i64(t.clone()).ok().flatten())
}

impl Callback {
    pub fn parse(body: &[u8]) -> Result<Callback, ParseError> {
        let raw: Value = serde_json::from_slice(body).map_err(|e| ParseError::NotJson(e.to_string()))?;
        Callback::from_value(raw)
    }

    pub fn from_value(raw: Value) -> Result<Callback, ParseError> {
        if !raw.is_object() {
            return Err(ParseError::NotObject);
        }
        let event_type = raw
            .get("event_type")
            .and_then(|v| lenient::opt_i64(v.clone()).ok().flatten());
        let t = expiry_of(&raw);
        let sign = raw.get("sign").and_then(Value::as_str).map(str::to_owned);
        let event = match event_type.and_then(EventType::from_code) {
            Some(EventType::StreamEnd) => typed(&raw, CallbackEvent::StreamEnd),
            Some(EventType::StreamBegin) => typed(&raw, CallbackEvent::StreamBegin),
            Some(EventType::RecordFile) => typed(&raw, CallbackEvent::RecordFile),
            Some(EventType::Snapshot) => typed(&raw, CallbackEvent::Snapshot),
            Some(EventType::Relay) => typed(&raw, CallbackEvent::Relay),
            Some(EventType::AudioAudit) => typed(&raw, CallbackEvent::AudioAudit),
            Some(EventType::ImageAudit) => typed(&raw, CallbackEvent::ImageAudit),
            Some(EventType::PushException) => typed(&raw, CallbackEvent::PushException),
            Some(EventType::RecordStatus) => typed(&raw, CallbackEvent::RecordStatus),
            Some(EventType::RecordException) => typed(&raw, CallbackEvent::RecordException),
            Some(EventType::LiveSummary) => typed(&raw, CallbackEvent::LiveSummary),
            None => CallbackEvent::Unknown { raw, problem: None },
        };
        Ok(Callback {
            event_type,
            t,
            sign,
            event,
        })
    }

    /// The stream this event is about, whichever field name its type uses.
    pub fn stream_id(&self) -> Option<&str> {
        let s = match &self.event {
            CallbackEvent::StreamBegin(e) | CallbackEvent::StreamEnd(e) => &e.stream_id,
            CallbackEvent::RecordFile(e) => &e.stream_id,
            CallbackEvent::Snapshot(e) => &e.stream_id,
            CallbackEvent::Relay(e) => &e.stream_id,
            CallbackEvent::AudioAudit(e) => &e.stream_id,
            CallbackEvent::ImageAudit(e) => &e.stream_id,
            CallbackEvent::PushException(e) => &e.stream_id,
            CallbackEvent::RecordStatus(e) => &e.stream_id,
            CallbackEvent::RecordException(e) => &e.stream_id,
            CallbackEvent::LiveSummary(e) => &e.stream_id,
            CallbackEvent::Unknown { raw, .. } => {
                return raw
                    .get("stream_id")
                    .or_else(|| raw.get("streamId"))
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
            }
        };
        Some(s.as_str()).filter(|s| !s.is_empty())
    }

    fn nonempty(s: &str) -> Option<&str> {
        Some(s).filter(|s| !s.is_empty())
    }

    /// The push domain and AppName, whichever field names the type uses (`app`/`appname` or `domain`/`path`).
    pub fn domain_and_app(&self) -> (Option<&str>, Option<&str>) {
        match &self.event {
            CallbackEvent::StreamBegin(e) | CallbackEvent::StreamEnd(e) => {
                (Self::nonempty(&e.app), Self::nonempty(&e.appname))
            }
            CallbackEvent::RecordFile(e) => (Self::nonempty(&e.app), Self::nonempty(&e.appname)),
            CallbackEvent::Snapshot(e) => (Self::nonempty(&e.app), Self::nonempty(&e.appname)),
            CallbackEvent::ImageAudit(e) => (Self::nonempty(&e.app), Self::nonempty(&e.appname)),
            CallbackEvent::AudioAudit(e) => (Self::nonempty(&e.domain), Self::nonempty(&e.path)),
            CallbackEvent::PushException(e) => (Self::nonempty(&e.domain), Self::nonempty(&e.path)),
            CallbackEvent::RecordStatus(e) => (Self::nonempty(&e.domain), Self::nonempty(&e.appname)),
            CallbackEvent::RecordException(e) => (Self::nonempty(&e.domain), Self::nonempty(&e.path)),
            CallbackEvent::LiveSummary(e) => (Self::nonempty(&e.domain), Self::nonempty(&e.path)),
            CallbackEvent::Relay(_) => (None, None),
            CallbackEvent::Unknown { raw, .. } => (
                raw.get("app").or_else(|| raw.get("domain")).and_then(Value::as_str),
                raw.get("appname").or_else(|| raw.get("path")).and_then(Value::as_str),
            ),
        }
    }
}
