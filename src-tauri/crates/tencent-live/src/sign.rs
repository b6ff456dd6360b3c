//! TC3-HMAC-SHA256, Tencent Cloud's API signature v3, as pure functions: the same code signs the
//! client's requests and lets the emulator verify them.

use chrono::DateTime;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::secret::Secret;

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
const SCOPE_TERMINATOR: &str = "tc3_request";
/// The literal that replaces the body in the payload hash when `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` is sent.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// What is hashed as the request payload.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// The exact bytes sent as the body (for GET: no bytes).
    Bytes(&'a [u8]),
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`: the literal string is hashed instead of the body.
    Unsigned,
}

/// Everything that goes into a signature except the key.
#[derive(Debug, Clone)]
pub struct SignInput<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The query string exactly as sent, without `?` (empty for POST).
    pub query: &'a str,
    /// The headers to sign, `host` and `content-type` included, as (name, value) in any order and case.
    pub headers: &'a [(&'a str, &'a str)],
    pub payload: Payload<'a>,
    pub timestamp: i64,
    pub service: &'a str,
}

/// A computed signature with its intermediate values (useful for tests and for explaining a mismatch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub credential_scope: String,
    pub signed_headers: String,
    pub signature: String,
    pub authorization: String,
}

/// The UTC calendar date of a UNIX timestamp, `YYYY-MM-DD`, as used in the credential scope.
pub fn utc_date(timestamp: i64) -> String {
    DateTime::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The three chained HMACs: SecretDate, SecretService, SecretSigning (the last is the signing key).
pub fn derive_keys(secret_key: &Secret, date: &str, service: &str) -> [[u8; 32]; 3] {
    let secret_date = hmac_sha256(format!("TC3{}", secret_key.expose()).as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, SCOPE_TERMINATOR.as_bytes());
    [secret_date, secret_service, secret_signing]
}

/// Canonical headers and the SignedHeaders list: names and values lower-cased and trimmed, sorted by name.
fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_lowercase()))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical: String = pairs.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    (canonical, names.join(";"))
}

/// Sign a request: returns the `Authorization` header value and every intermediate.
pub fn sign(input: &SignInput<'_>, secret_id: &str, secret_key: &Secret) -> Signed {
    let (canonical_headers, signed_headers) = canonical_headers(input.headers);
    let payload_hash = match input.payload {
        Payload::Bytes(bytes) => sha256_hex(bytes),
        Payload::Unsigned => sha256_hex(UNSIGNED_PAYLOAD.as_bytes()),
    };
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_ascii_uppercase(),
        input.path,
        input.query,
        canonical_headers,
        signed_headers,
        payload_hash
    );
    let date = utc_date(input.timestamp);
    let credential_scope = format!("{date}/{}/{SCOPE_TERMINATOR}", input.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{credential_scope}\n{}",
        input.timestamp,
        sha256_hex(canonical_request.as_bytes())
    );
    let [_, _, signing_key] = derive_keys(secret_key, &date, input.service);
    let signature = hex::encode(hmac_sha256(&signing_key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={secret_id}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    Signed {
        canonical_request,
        string_to_sign,
        credential_scope,
        signed_headers,
        signature,
        authorization,
    }
}

/// An `Authorization` header taken apart, as a server sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuthorization {
    pub secret_id: String,
    pub date: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Why an `Authorization` header could not be taken apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizationError {
    #[error("the Authorization header does not use TC3-HMAC-SHA256")]
    Algorithm,
    #[error("the Authorization header lacks {0}")]
    Missing(&'static str),
    #[error("the credential scope must be <date>/<service>/tc3_request")]
    Scope,
    #[error("SignedHeaders must include content-type and host")]
    SignedHeaders,
    #[error("the signature must be 64 hexadecimal characters")]
    SignatureFormat,
}

impl ParsedAuthorization {
    pub fn parse(header: &str) -> Result<Self, AuthorizationError> {
        let rest = header
            .trim()
            .strip_prefix(ALGORITHM)
            .filter(|r| r.starts_with(' '))
            .ok_or(AuthorizationError::Algorithm)?;
        let mut credential = None;
        let mut signed = None;
        let mut signature = None;
        for part in rest.split(',') {
            let part = part.trim();
            if let Some(v) = part.strip_prefix("Credential=") {
                credential = Some(v);
            } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
                signed = Some(v);
            } else if let Some(v) = part.strip_prefix("Signature=") {
                signature = Some(v);
            }
        }
        let credential = credential.ok_or(AuthorizationError::Missing("Credential"))?;
        let signed = signed.ok_or(AuthorizationError::Missing("SignedHeaders"))?;
        let signature = signature.ok_or(AuthorizationError::Missing("Signature"))?;
        let pieces: Vec<&str> = credential.split('/').collect();
        let [secret_id, date, service, terminator] = pieces[..] else {
            return Err(AuthorizationError::Scope);
        };
        if terminator != SCOPE_TERMINATOR || secret_id.is_empty() || service.is_empty() {
            return Err(AuthorizationError::Scope);
        }
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            return Err(AuthorizationError::Scope);
        }
        let signed_headers: Vec<String> = signed.split(';').map(|s| s.to_owned()).collect();
        if !signed_headers.iter().any(|h| h == "content-type") || !signed_headers.iter().any(|h| h == "host") {
            return Err(AuthorizationError::SignedHeaders);
        }
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AuthorizationError::SignatureFormat);
        }
        Ok(ParsedAuthorization {
            secret_id: secret_id.to_owned(),
            date: date.to_owned(),
            service: service.to_owned(),
            signed_headers,
            signature: signature.to_ascii_lowercase(),
        })
    }

    /// Does `computed` (a full signature from [`sign`]) match the one the client sent? Constant time.
    pub fn signature_matches(&self, computed: &str) -> bool {
        self.signature.as_bytes().ct_eq(computed.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_date_is_utc_not_beijing() {
        // 2019-02-26 00:44 in UTC+8, still the 25th in UTC.
        assert_eq!(utc_date(1551113065), "2019-02-25");
    }

    #[test]
    fn parses_authorization() {
        let p = ParsedAuthorization::parse(
            "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/live/tc3_request, SignedHeaders=content-type;host, Signature=8b2be88a76d1309e3044c1bee19eca45ae4fac4acd20194bad17530a534caf9c",
        )
        .expect("valid header");
        assert_eq!(p.secret_id, "AKIDEXAMPLE");
        assert_eq!(p.date, "2023-11-14");
        assert_eq!(p.service, "live");
        assert_eq!(p.signed_headers, vec!["content-type", "host"]);
    }

    #[test]
    fn rejects_malformed_authorization() {
        let sig = "a".repeat(64);
        let cases = [
            (format!("HMAC Credential=A/2023-11-14/live/tc3_request, SignedHeaders=content-type;host, Signature={sig}"), AuthorizationError::Algorithm),
            (format!("TC3-HMAC-SHA256 SignedHeaders=content-type;host, Signature={sig}"), AuthorizationError::Missing("Credential")),
            (format!("TC3-HMAC-SHA256 Credential=A/2023-11-14/live, SignedHeaders=content-type;host, Signature={sig}"), AuthorizationError::Scope),
            (format!("TC3-HMAC-SHA256 Credential=A/20231114/live/tc3_request, SignedHeaders=content-type;host, Signature={sig}"), AuthorizationError::Scope),
            (format!("TC3-HMAC-SHA256 Credential=A/2023-11-14/live/tc3_request, SignedHeaders=host, Signature={sig}"), AuthorizationError::SignedHeaders),
            ("TC3-HMAC-SHA256 Credential=A/2023-11-14/live/tc3_request, SignedHeaders=content-type;host, Signature=xyz".to_owned(), AuthorizationError::SignatureFormat),
        ];
        for (header, want) in cases {
            assert_eq!(ParsedAuthorization::parse(&header), Err(want), "{header}");
        }
    }
}
