//! Request authentication in the order the service applies it: the Authorization header's form, the
//! timestamp's distance from the server clock, the SecretId, then the signature itself.

use axum::http::HeaderMap;
use tencent_live::secret::Secret;
use tencent_live::sign::{self, ParsedAuthorization, Payload, SignInput, UNSIGNED_PAYLOAD};

use crate::reply::Fault;

/// The most a request's timestamp may differ from the server's clock.
pub const MAX_SKEW: i64 = 300;

pub struct RequestParts<'a> {
    pub method: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Check a request's signature; `key_of` finds an account's SecretKey and optional session token.
/// Returns the SecretId of the account.
pub fn authenticate(
    req: &RequestParts<'_>,
    now: i64,
    key_of: impl Fn(&str) -> Option<(Secret, Option<Secret>)>,
) -> Result<String, Fault> {
    let invalid = |why: &str| {
        Fault::new(
            "AuthFailure.InvalidAuthorization",
            format!("The Authorization header is invalid: {why}."),
        )
        .zh("请求头部的 Authorization 不符合腾讯云标准。")
    };
    let auth = header(req.headers, "authorization").ok_or_else(|| invalid("it is missing"))?;
    let parsed = ParsedAuthorization::parse(auth).map_err(|e| invalid(&e.to_string()))?;
    if parsed.service != tencent_live::api::SERVICE {
        return Err(invalid("the credential scope must name the service `live`"));
    }
    let timestamp = header(req.headers, "x-tc-timestamp").ok_or_else(|| {
        Fault::new(
            "MissingParameter",
            "The request is missing a required parameter `Timestamp`.",
        )
    })?;
    let timestamp: i64 = timestamp.trim().parse().map_err(|_| {
        Fault::new(
            "InvalidParameter",
            "The value of parameter `Timestamp` must be an integer.",
        )
    })?;
    if (timestamp - now).abs() > MAX_SKEW {
        return Err(Fault::new(
            "AuthFailure.SignatureExpire",
            format!(
                "Signature expired. Timestamp {timestamp} differs from the server time {now} by more than {MAX_SKEW} seconds."
            ),
        )
        .zh("签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。"));
    }
    let signature_failure = || {
        Fault::new(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
        )
        .zh("请求签名验证失败，请检查您的签名计算是否正确。")
    };
    if parsed.date != sign::utc_date(timestamp) {
        return Err(signature_failure());
    }
    let Some((secret_key, token)) = key_of(&parsed.secret_id) else {
        return Err(Fault::new(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
        )
        .zh("SecretId不存在，请输入正确的密钥。"));
    };
    let mut signed_values = Vec::with_capacity(parsed.signed_headers.len());
    for name in &parsed.signed_headers {
        let value = header(req.headers, name).ok_or_else(signature_failure)?;
        signed_values.push((name.as_str(), value));
    }
    let unsigned = header(req.headers, "x-tc-content-sha256") == Some(UNSIGNED_PAYLOAD);
    let computed = sign::sign(
        &SignInput {
            method: req.method,
            path: "/",
            query: req.query,
            headers: &signed_values,
            payload: if unsigned {
                Payload::Unsigned
            } else {
                Payload::Bytes(req.body)
            },
            timestamp,
            service: &parsed.service,
        },
        &parsed.secret_id,
        &secret_key,
    );
    if !parsed.signature_matches(&computed.signature) {
        return Err(signature_failure());
    }
    if let Some(expected) = token {
        let sent = header(req.headers, "x-tc-token").unwrap_or_default();
        if !expected.ct_eq(sent) {
            return Err(
                Fault::new("AuthFailure.TokenFailure", "The session token is invalid or expired.").zh("Token 错误。"),
            );
        }
    }
    Ok(parsed.secret_id)
}
