//! What the inspector keeps of one request: the request whole, what it says (event type, stream,
//! domain, AppName), whether its signature holds and with which key, and the answer it got.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tencent_live::callback::{self, Callback, ExpiryPolicy, Verification};
use tencent_live::secret::Secret;

/// A callback key the receiver checks signatures with, and what to call it when it matches.
#[derive(Debug, Clone)]
pub struct NamedKey {
    /// E.g. `template 1234 (main_hooks)` or `added by hand`.
    pub label: String,
    pub key: Secret,
}

impl NamedKey {
    pub fn new(label: impl Into<String>, key: impl Into<String>) -> NamedKey {
        NamedKey {
            label: label.into(),
            key: Secret::new(key.into()),
        }
    }
}

/// A request as it arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Captured {
    /// UNIX milliseconds.
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub remote: String,
    /// The body as received (for a refused body, the first bytes only).
    pub body: Vec<u8>,
    /// The body's full size in bytes, even when only part of it was kept.
    pub body_size: u64,
    /// The body was over the limit and refused with 413.
    pub too_large: bool,
}

/// The outcome of checking a request, as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case", rename_all_fields = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Check {
    Valid {
        key: String,
        expires_in: i64,
    },
    Expired {
        key: String,
        ago: i64,
    },
    NotYetValid {
        key: String,
        ahead: i64,
    },
    BadSign,
    Unsigned,
    /// Not a JSON object: kept and flagged.
    Malformed {
        error: String,
    },
    /// Over the size limit: refused with 413, recorded.
    TooLarge {
        limit: u64,
    },
}

/// A verification result without its details: what the `verify` column stores, filters choose and the
/// UI names (its display names are [`Verify::names`], exported to the UI's translations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Verify {
    Valid,
    Expired,
    NotYetValid,
    BadSign,
    Unsigned,
    Malformed,
    TooLarge,
}

impl Verify {
    pub const ALL: [Verify; 7] = [
        Verify::Valid,
        Verify::Expired,
        Verify::NotYetValid,
        Verify::BadSign,
        Verify::Unsigned,
        Verify::Malformed,
        Verify::TooLarge,
    ];

    /// The stable name stored in the `verify` column and used by filters and on command lines.
    pub fn slug(self) -> &'static str {
        match self {
            Verify::Valid => "valid",
            Verify::Expired => "expired",
            Verify::NotYetValid => "not_yet_valid",
            Verify::BadSign => "bad_sign",
            Verify::Unsigned => "unsigned",
            Verify::Malformed => "malformed",
            Verify::TooLarge => "too_large",
        }
    }

    pub fn parse(slug: &str) -> Option<Verify> {
        Verify::ALL.into_iter().find(|v| v.slug() == slug)
    }

    /// (English, Chinese) names, as the app and the command line show them.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Verify::Valid => ("Verified", "校验通过"),
            Verify::Expired => ("Expired", "已过期"),
            Verify::NotYetValid => ("Not yet valid", "尚未生效"),
            Verify::BadSign => ("Bad sign", "签名错误"),
            Verify::Unsigned => ("Unsigned", "未签名"),
            Verify::Malformed => ("Malformed", "格式错误"),
            Verify::TooLarge => ("Too large", "过大"),
        }
    }
}

/// Which verification results a filter keeps: one of them, or every one but `valid`. On the wire and on
/// command lines: a result's slug, or `invalid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum VerifyFilter {
    Is(Verify),
    /// Every result but `valid`.
    Invalid,
}

impl VerifyFilter {
    /// The (English, Chinese) names of `invalid`.
    pub const INVALID_NAMES: (&'static str, &'static str) = ("Not verified", "未通过");

    pub fn parse(s: &str) -> Result<VerifyFilter, String> {
        match s.trim() {
            "invalid" => Ok(VerifyFilter::Invalid),
            v => Verify::parse(v).map(VerifyFilter::Is).ok_or_else(|| {
                let all: Vec<&str> = Verify::ALL.iter().map(|v| v.slug()).collect();
                format!(
                    "unknown verification result \"{v}\"; use invalid or one of {}",
                    all.join(", ")
                )
            }),
        }
    }

    pub fn keeps(self, v: Verify) -> bool {
        match self {
            VerifyFilter::Is(want) => v == want,
            VerifyFilter::Invalid => v != Verify::Valid,
        }
    }
}

impl TryFrom<String> for VerifyFilter {
    type Error = String;
    fn try_from(s: String) -> Result<VerifyFilter, String> {
        VerifyFilter::parse(&s)
    }
}

impl From<VerifyFilter> for String {
    fn from(f: VerifyFilter) -> String {
        match f {
            VerifyFilter::Is(v) => v.slug().to_owned(),
            VerifyFilter::Invalid => "invalid".to_owned(),
        }
    }
}

impl Check {
    /// The result without its details.
    pub fn verify(&self) -> Verify {
        match self {
            Check::Valid { .. } => Verify::Valid,
            Check::Expired { .. } => Verify::Expired,
            Check::NotYetValid { .. } => Verify::NotYetValid,
            Check::BadSign => Verify::BadSign,
            Check::Unsigned => Verify::Unsigned,
            Check::Malformed { .. } => Verify::Malformed,
            Check::TooLarge { .. } => Verify::TooLarge,
        }
    }

    /// The stable name stored in the `verify` column and used by filters.
    pub fn slug(&self) -> &'static str {
        self.verify().slug()
    }

    pub fn key_label(&self) -> Option<&str> {
        match self {
            Check::Valid { key, .. } | Check::Expired { key, .. } | Check::NotYetValid { key, .. } => Some(key),
            _ => None,
        }
    }

    pub fn is_valid(&self) -> bool {
        matches!(self, Check::Valid { .. })
    }
}

/// What a body says, for the indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Facts {
    pub event_type: Option<i64>,
    pub stream_id: Option<String>,
    pub domain: Option<String>,
    pub app_name: Option<String>,
    /// The push session (`sequence`), for the timeline.
    pub sequence: Option<String>,
    /// When the event happened (UNIX seconds), when the body says.
    pub event_time: Option<i64>,
}

/// What one request says, whether it verifies, and which delivery it is an attempt of.
#[derive(Debug, Clone, PartialEq)]
pub struct Examined {
    pub facts: Facts,
    pub check: Check,
    /// See [`group_key`].
    pub group: String,
}

/// Read the facts of a body, check its signature with every key, and find its delivery group; the
/// body is parsed once for all three, and the parsed value is not copied.
pub fn examine(path: &str, body: &[u8], keys: &[NamedKey], now: i64, policy: ExpiryPolicy) -> Examined {
    let raw: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Examined {
                facts: Facts::default(),
                check: Check::Malformed { error: e.to_string() },
                group: group_hash(path, body),
            }
        }
    };
    // Everything read from the raw value comes first: the typed parse below takes it.
    let group = match raw.as_object() {
        Some(map) => group_of_object(path, map),
        None => group_hash(path, body),
    };
    let text = |k: &str| {
        raw.get(k)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    // A push session is Tencent's `sequence` (push and interruption share it). The audio audit's `seq`
    // and the recording's `session_id` name other things; taking them split one push into several.
    let sequence = text("sequence");
    let event_time = raw
        .get("event_time")
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()));
    let secrets: Vec<Secret> = keys.iter().map(|k| k.key.clone()).collect();
    let verification = callback::verify(&raw, &secrets, now, policy);
    let cb = match Callback::from_value(raw) {
        Ok(cb) => cb,
        Err(e) => {
            return Examined {
                facts: Facts::default(),
                check: Check::Malformed { error: e.to_string() },
                group,
            }
        }
    };
    let (domain, app) = cb.domain_and_app();
    let facts = Facts {
        event_type: cb.event_type,
        stream_id: cb.stream_id().map(str::to_owned),
        domain: domain.map(str::to_owned),
        app_name: app.map(str::to_owned),
        sequence,
        event_time,
    };
    let label = |i: usize| keys[i].label.clone();
    let check = match verification {
        Verification::Valid { key, expires_in } => Check::Valid {
            key: label(key.index),
            expires_in,
        },
        Verification::Expired { key, ago } => Check::Expired {
            key: label(key.index),
            ago,
        },
        Verification::NotYetValid { key, ahead } => Check::NotYetValid {
            key: label(key.index),
            ahead,
        },
        Verification::BadSign => Check::BadSign,
        Verification::Unsigned => Check::Unsigned,
    };
    Examined { facts, check, group }
}

/// The header a replay from LiveHook carries: `<id>.<token>`, the id of the callback it replays and the
/// receiver's own token ([`crate::receiver::RunningReceiver::replay_mark`]). Only a header with this
/// run's token marks a replay, so no sender can make a callback pass for one; the token is never stored.
pub const REPLAY_HEADER: &str = "x-livehook-replay";

/// A replay's own group, so it is never counted as another delivery attempt of the original; it
/// names the original, so a replay stays recognisable as one. `n` tells apart replays of one callback
/// within the same millisecond.
pub fn replay_group(of: i64, received_at_ms: i64, n: u64) -> String {
    format!("replay:{of}:{received_at_ms}:{n}")
}

/// The callback a stored request replays, read from its group.
pub fn replay_of(group: &str) -> Option<i64> {
    group.strip_prefix("replay:")?.split(':').next()?.parse().ok()
}

/// Which delivery this request is an attempt of: the same path and the same body apart from `t` and
/// `sign` (Tencent may re-sign a retry). Bodies that are not a JSON object group by their exact bytes.
pub fn group_key(path: &str, body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => group_of_object(path, &map),
        _ => group_hash(path, body),
    }
}

fn group_hash(path: &str, content: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(path.as_bytes());
    h.update([0]);
    h.update(content);
    hex::encode(&h.finalize()[..16])
}

/// A JSON object written without its `t` and `sign`, as if they had been removed.
struct Unsigned<'a>(&'a serde_json::Map<String, Value>);

impl Serialize for Unsigned<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().filter(|(k, _)| *k != "t" && *k != "sign"))
    }
}

fn group_of_object(path: &str, map: &serde_json::Map<String, Value>) -> String {
    // serde_json's map is ordered by key, so this text is canonical.
    let text = serde_json::to_vec(&Unsigned(map)).expect("a JSON map serialises");
    group_hash(path, &text)
}

/// The answer given to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub status: u16,
    /// How long the receiver waited before answering.
    pub delay_ms: u64,
    pub body: String,
    /// Which rule chose this answer, in words; None for the default.
    pub rule: Option<String>,
}

impl Answer {
    pub fn ok() -> Answer {
        Answer {
            status: 200,
            delay_ms: 0,
            body: r#"{"code":0}"#.to_owned(),
            rule: None,
        }
    }
}

/// One stored callback, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredEvent {
    pub id: i64,
    pub request: Captured,
    pub facts: Facts,
    pub check: Check,
    /// The delivery this is an attempt of, and which attempt (from 1).
    pub group: String,
    pub attempt: u32,
    pub answer: Answer,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EventSummary {
    pub id: i64,
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub remote: String,
    pub body_size: u64,
    pub event_type: Option<i64>,
    pub stream_id: Option<String>,
    pub domain: Option<String>,
    pub app_name: Option<String>,
    pub sequence: Option<String>,
    pub verify: Verify,
    pub key_label: Option<String>,
    pub attempt: u32,
    pub status: u16,
    /// Set when this request was a replay (from LiveHook) of the callback with this id: it is then not
    /// a delivery attempt of Tencent's.
    pub replay_of: Option<i64>,
}

impl StoredEvent {
    pub fn summary(&self) -> EventSummary {
        EventSummary {
            id: self.id,
            received_at: self.request.received_at,
            method: self.request.method.clone(),
            path: self.request.path.clone(),
            remote: self.request.remote.clone(),
            body_size: self.request.body_size,
            event_type: self.facts.event_type,
            stream_id: self.facts.stream_id.clone(),
            domain: self.facts.domain.clone(),
            app_name: self.facts.app_name.clone(),
            sequence: self.facts.sequence.clone(),
            verify: self.check.verify(),
            key_label: self.check.key_label().map(str::to_owned),
            attempt: self.attempt,
            status: self.answer.status,
            replay_of: replay_of(&self.group),
        }
    }

    /// The body as text (lossy for bytes that are not UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.request.body).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_gives_the_same_group_as_the_standalone_key_and_a_re_signed_retry_joins_it() {
        let keys = [NamedKey::new("k", "groupKey01")];
        let key = &keys[0];
        let body = |t: i64| {
            let sign = callback::sign(&key.key, t);
            format!(r#"{{"event_type":1,"stream_id":"s1","sequence":"9","t":{t},"sign":"{sign}"}}"#)
        };
        let first = examine("/p", body(1000).as_bytes(), &keys, 900, ExpiryPolicy::default());
        let retry = examine("/p", body(1060).as_bytes(), &keys, 960, ExpiryPolicy::default());
        assert!(first.check.is_valid() && retry.check.is_valid());
        assert_eq!(first.group, group_key("/p", body(1000).as_bytes()));
        // The same key as the body with `t` and `sign` removed: groups already stored stay valid.
        let mut map: serde_json::Map<String, Value> = serde_json::from_str(&body(1000)).expect("json");
        map.remove("t");
        map.remove("sign");
        assert_eq!(first.group, group_hash("/p", Value::Object(map).to_string().as_bytes()));
        assert_eq!(first.group, retry.group, "t and sign do not split a delivery");
        assert_ne!(
            first.group,
            examine("/q", body(1000).as_bytes(), &[], 900, ExpiryPolicy::default()).group,
            "another path is another delivery"
        );
        assert_eq!(first.facts.sequence.as_deref(), Some("9"));
        for bad in [&b"not json"[..], b"[1,2]", b""] {
            let e = examine("/p", bad, &[], 0, ExpiryPolicy::default());
            assert_eq!(e.check.slug(), "malformed");
            assert_eq!(e.group, group_key("/p", bad), "{bad:?}");
        }
    }
}
