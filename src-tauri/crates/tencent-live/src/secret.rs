//! Secrets that cannot leak by accident: `Debug` and `Display` print `<redacted>`, and there is no
//! `Serialize` implementation, so a secret never ends up in a log line, a JSON document or a file.
//! It can be read from one (a form sent by the app), straight into a value that zeroes its memory
//! when it is dropped.

use std::fmt;

use subtle::ConstantTimeEq;

/// A secret string (SecretKey, session token, callback key).
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The clear text, for the few places that must use it (signing, hashing, the keyring).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Constant-time equality, for comparing against a value an attacker controls.
    pub fn ct_eq(&self, other: &str) -> bool {
        self.0.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

/// `Debug` for a serialisable value with the `secret` fields (by their serialised names) shown as
/// `<redacted>`: for the API types that carry a callback key as a plain string.
pub fn debug_redacted(
    value: &impl serde::Serialize,
    name: &str,
    secret: &[&str],
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let mut v = serde_json::to_value(value).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        for field in secret {
            if let Some(x) = map.get_mut(*field) {
                if !x.is_null() && x.as_str() != Some("") {
                    *x = serde_json::Value::String("<redacted>".into());
                }
            }
        }
    }
    write!(f, "{name} {v}")
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// A Tencent Cloud API key pair, optionally with a temporary (STS) session token.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub secret_id: String,
    pub secret_key: Secret,
    pub token: Option<Secret>,
}

impl Credentials {
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        Credentials {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
        }
    }

    pub fn with_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The SecretId as the UI shows it: the first four and last four characters, `AKID****ab12`.
    pub fn masked_id(&self) -> String {
        mask_secret_id(&self.secret_id)
    }
}

/// Mask a SecretId for display: enough to recognise it, not enough to use it.
pub fn mask_secret_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len().max(4));
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let creds = Credentials::new("AKIDabcdefgh1234", "topsecretkey").with_token("tok-123");
        let shown = format!("{creds:?} {}", creds.secret_key);
        assert!(!shown.contains("topsecretkey"), "{shown}");
        assert!(!shown.contains("tok-123"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert!(shown.contains("AKIDabcdefgh1234"));
    }

    #[test]
    fn masks_secret_id() {
        assert_eq!(mask_secret_id("AKIDz8krbsJ5yKBZQpn74WFkmLPxab12"), "AKID****ab12");
        assert_eq!(mask_secret_id("short"), "*****");
        assert_eq!(mask_secret_id(""), "****");
    }

    #[test]
    fn constant_time_eq_is_exact() {
        let s = Secret::new("abc");
        assert!(s.ct_eq("abc"));
        assert!(!s.ct_eq("abd"));
        assert!(!s.ct_eq("abcd"));
    }
}
