//! `sign = md5(CallbackKey + t)`, where `t` is the message's expiry time. Verification tries every key
//! the receiver knows and says which one matched, or why none did.

use md5::{Digest, Md5};
use serde::Serialize;
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::secret::Secret;

/// The sign Tencent puts on a callback: lower-case hex MD5 of the key followed by the decimal `t`.
pub fn sign(key: &Secret, t: i64) -> String {
    let mut h = Md5::new();
    h.update(key.expose().as_bytes());
    h.update(t.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// How strictly `t` is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryPolicy {
    /// Seconds of clock difference forgiven in both directions.
    pub skew: i64,
    /// How far in the future `t` may lie (Tencent uses event time + 600).
    pub max_validity: i64,
}

impl Default for ExpiryPolicy {
    fn default() -> Self {
        ExpiryPolicy {
            skew: 30,
            max_validity: 600,
        }
    }
}

/// Which of the offered keys produced the sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyMatch {
    pub index: usize,
}

/// The outcome of checking a callback's `sign` and `t`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Verification {
    /// Signed with `key`, not expired; `expires_in` seconds left.
    Valid { key: KeyMatch, expires_in: i64 },
    /// Signed with `key`, but `t` passed `ago` seconds ago.
    Expired { key: KeyMatch, ago: i64 },
    /// Signed with `key`, but `t` lies further ahead than a genuine message's would.
    NotYetValid { key: KeyMatch, ahead: i64 },
    /// `sign` and `t` are present but no key produces that sign.
    BadSign,
    /// `sign` or `t` is missing (or `t` is not a number).
    Unsigned,
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verification::Valid { .. })
    }

    pub fn key(&self) -> Option<KeyMatch> {
        match self {
            Verification::Valid { key, .. }
            | Verification::Expired { key, .. }
            | Verification::NotYetValid { key, .. } => Some(*key),
            _ => None,
        }
    }

    pub fn slug(&self) -> &'static str {
        match self {
            Verification::Valid { .. } => "valid",
            Verification::Expired { .. } => "expired",
            Verification::NotYetValid { .. } => "not_yet_valid",
            Verification::BadSign => "bad_sign",
            Verification::Unsigned => "unsigned",
        }
    }
}

/// Check a callback body against every key, at time `now`. Comparison is constant-time per key and
/// case-insensitive on the received hex.
pub fn verify(body: &Value, keys: &[Secret], now: i64, policy: ExpiryPolicy) -> Verification {
    let Some(t) = super::expiry_of(body) else {
        return Verification::Unsigned;
    };
    let Some(received) = body.get("sign").and_then(Value::as_str).filter(|s| !s.is_empty()) else {
        return Verification::Unsigned;
    };
    let received = received.to_ascii_lowercase();
    let mut matched = None;
    for (index, key) in keys.iter().enumerate() {
        let expected = sign(key, t);
        // Every key is checked even after a match, so timing does not reveal which key matched.
        if bool::from(expected.as_bytes().ct_eq(received.as_bytes())) && matched.is_none() {
            matched = Some(KeyMatch { index });
        }
    }
    let Some(key) = matched else {
        return Verification::BadSign;
    };
    // `t` comes from the network: saturating arithmetic, so no value can overflow.
    if now > t.saturating_add(policy.skew) {
        Verification::Expired {
            key,
            ago: now.saturating_sub(t),
        }
    } else if t.saturating_sub(now) > policy.max_validity.saturating_add(policy.skew) {
        Verification::NotYetValid {
            key,
            ahead: t.saturating_sub(now),
        }
    } else {
        Verification::Valid {
            key,
            expires_in: t.saturating_sub(now),
        }
    }
}
