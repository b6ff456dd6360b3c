//! The client's errors. Cloud errors keep Tencent's `Code`, `Message` and `RequestId`; every error says
//! which kind it is so front ends can explain it.

use std::fmt;

use serde::Serialize;

use crate::validate::ValidationErrors;

/// What went wrong, in the few categories a person acts on differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The SecretId is unknown, disabled or not allowed to do this.
    Auth,
    /// The request's signature did not verify: usually a wrong SecretKey.
    Signature,
    /// The local clock is too far from the server's.
    ClockSkew,
    RateLimited,
    NotFound,
    /// The template is still bound to a domain.
    InUse,
    /// The rule (domain + AppName) already exists.
    AlreadyExists,
    /// An account limit, such as 50 templates.
    Quota,
    /// The account's Live service is suspended, frozen or not in the right mode.
    Account,
    Validation,
    Network,
    Timeout,
    /// The answer could not be understood.
    Decode,
    /// The service failed on its side.
    Service,
}

impl ErrorKind {
    /// The kind of a Tencent Cloud error code.
    pub fn of_code(code: &str) -> ErrorKind {
        match code {
            "AuthFailure.SignatureExpire" => ErrorKind::ClockSkew,
            "AuthFailure.SignatureFailure" | "AuthFailure.InvalidAuthorization" => ErrorKind::Signature,
            c if c.starts_with("AuthFailure") || c.starts_with("UnauthorizedOperation") => ErrorKind::Auth,
            c if c.starts_with("RequestLimitExceeded") => ErrorKind::RateLimited,
            c if c.ends_with("ConfInUsed") || c.ends_with("RuleInUsing") || c.starts_with("ResourceInUse") => {
                ErrorKind::InUse
            }
            c if c.ends_with("RuleAlreadyExist") => ErrorKind::AlreadyExists,
            c if c.ends_with("ConfOutLimit") || c.starts_with("LimitExceeded") => ErrorKind::Quota,
            "ResourceNotFound.ForbidService"
            | "ResourceNotFound.FreezeService"
            | "ResourceNotFound.StopService"
            | "ResourceNotFound.UserDisableService"
            | "ResourceNotFound.InvalidUser"
            | "UnsupportedOperation.NotLVBCodeMode" => ErrorKind::Account,
            c if c.ends_with("NotFound")
                || c.ends_with("NotExist")
                || c.starts_with("ResourceNotFound")
                || c == "InternalError.NotFound" =>
            {
                ErrorKind::NotFound
            }
            c if c.starts_with("InvalidParameter")
                || c.starts_with("MissingParameter")
                || c.starts_with("UnknownParameter")
                || c == "InternalError.InvalidInput"
                || c == "InvalidAction"
                || c == "NoSuchVersion" =>
            {
                ErrorKind::Validation
            }
            _ => ErrorKind::Service,
        }
    }
}

/// An error answer from the API (`Response.Error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    pub action: String,
    pub code: String,
    pub message: String,
    pub request_id: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}: {}", self.action, self.code, self.message)?;
        if !self.request_id.is_empty() {
            write!(f, " (RequestId {})", self.request_id)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Api(ApiError),
    /// No connection, or the connection broke. `sent` says whether the request may have reached the server.
    #[error("{action}: could not reach {endpoint}: {detail}")]
    Network {
        action: String,
        endpoint: String,
        detail: String,
        sent: bool,
    },
    #[error("{action}: no answer from {endpoint} within {seconds} s")]
    Timeout {
        action: String,
        endpoint: String,
        seconds: u64,
    },
    /// A non-200 HTTP status: the API answers errors with 200, so this comes from something in between.
    #[error("{action}: {endpoint} answered HTTP {status}")]
    Http {
        action: String,
        endpoint: String,
        status: u16,
        body: String,
    },
    /// The endpoint answered with a redirect, which is not followed: it would carry the signed
    /// request elsewhere.
    #[error("{action}: {endpoint} answered HTTP {status}, a redirect to {location}; LiveHook does not follow redirects (they would carry your signed request elsewhere): set the endpoint to the address you mean")]
    Redirect {
        action: String,
        endpoint: String,
        status: u16,
        location: String,
    },
    /// A plain-http endpoint on another machine, not allowed.
    #[error("the endpoint {0} is plain http:// on another machine: your signed requests would cross the network unencrypted. Use https://, or allow it on purpose (--allow-insecure-http)")]
    InsecureEndpoint(String),
    #[error("{action}: the answer could not be read: {detail}")]
    Decode {
        action: String,
        detail: String,
        request_id: Option<String>,
    },
    #[error("{0}")]
    Validation(ValidationErrors),
    /// The client is set up wrongly (e.g. an endpoint that is not an http(s) URL).
    #[error("{0}")]
    Config(String),
    /// The credentials could not be obtained (e.g. the keyring is locked).
    #[error("credentials unavailable: {0}")]
    Credentials(String),
    /// A create or delete whose outcome is unknown and could not be settled by looking.
    #[error("{action} may or may not have taken effect, and looking did not settle it: {cause}")]
    Unsettled { action: String, cause: Box<Error> },
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => ErrorKind::of_code(&e.code),
            Error::Network { .. } => ErrorKind::Network,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Http { status, .. } if *status >= 500 => ErrorKind::Service,
            Error::Http { .. } | Error::Redirect { .. } => ErrorKind::Network,
            Error::InsecureEndpoint(_) => ErrorKind::Validation,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Validation(_) | Error::Config(_) => ErrorKind::Validation,
            Error::Credentials(_) => ErrorKind::Auth,
            Error::Unsettled { cause, .. } => cause.kind(),
        }
    }

    /// The cloud's error code, when the cloud gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.code),
            Error::Unsettled { cause, .. } => cause.code(),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.request_id).filter(|r| !r.is_empty()).map(|s| s.as_str()),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            Error::Unsettled { cause, .. } => cause.request_id(),
            _ => None,
        }
    }

    /// Might the server have acted on the request? True for timeouts, broken connections after
    /// sending and 5xx answers; false when the server clearly refused or was never reached.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Network { sent, .. } => *sent,
            Error::Timeout { .. } => true,
            Error::Http { status, .. } => *status >= 500,
            Error::Api(e) => e.code == "InternalError" || e.code == "ServiceUnavailable",
            _ => false,
        }
    }

    /// Is the failure passing, so that the same request may succeed later?
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Api(e) => {
                matches!(
                    e.code.as_str(),
                    "RequestLimitExceeded"
                        | "RequestLimitExceeded.UinLimitExceeded"
                        | "RequestLimitExceeded.GlobalRegionUinLimitExceeded"
                        | "RequestLimitExceeded.IPLimitExceeded"
                        | "InternalError"
                        | "ServiceUnavailable"
                )
            }
            Error::Network { .. } | Error::Timeout { .. } => true,
            Error::Http { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error and its causes on one line (reqwest's top-level message alone says little).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        let cases = [
            ("AuthFailure.SignatureExpire", ErrorKind::ClockSkew),
            ("AuthFailure.SignatureFailure", ErrorKind::Signature),
            ("AuthFailure.SecretIdNotFound", ErrorKind::Auth),
            ("AuthFailure.UnauthorizedOperation", ErrorKind::Auth),
            ("RequestLimitExceeded.UinLimitExceeded", ErrorKind::RateLimited),
            ("FailedOperation.ConfInUsed", ErrorKind::InUse),
            ("InternalError.ConfInUsed", ErrorKind::InUse),
            ("InternalError.RuleAlreadyExist", ErrorKind::AlreadyExists),
            ("InternalError.ConfOutLimit", ErrorKind::Quota),
            ("InternalError.ConfNotFound", ErrorKind::NotFound),
            ("InvalidParameter.ConfNotFound", ErrorKind::NotFound),
            ("FailedOperation.NotFound", ErrorKind::NotFound),
            ("ResourceNotFound.DomainNotExist", ErrorKind::NotFound),
            ("ResourceNotFound.StopService", ErrorKind::Account),
            ("InvalidParameterValue", ErrorKind::Validation),
            ("MissingParameter", ErrorKind::Validation),
            ("UnknownParameter", ErrorKind::Validation),
            ("InternalError", ErrorKind::Service),
        ];
        for (code, kind) in cases {
            assert_eq!(ErrorKind::of_code(code), kind, "{code}");
        }
    }

    #[test]
    fn api_error_display_keeps_code_and_request_id() {
        let e = Error::Api(ApiError {
            action: "DeleteLiveCallbackTemplate".into(),
            code: "FailedOperation.ConfInUsed".into(),
            message: "template in use".into(),
            request_id: "req-1".into(),
        });
        let text = e.to_string();
        assert!(
            text.contains("FailedOperation.ConfInUsed") && text.contains("req-1"),
            "{text}"
        );
        assert_eq!(e.kind(), ErrorKind::InUse);
        assert_eq!(e.request_id(), Some("req-1"));
        assert!(!e.outcome_unknown());
    }
}
