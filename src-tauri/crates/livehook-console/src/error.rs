//! The one error that crosses to the UI: `{kind, message, code, requestId, fields}`. `kind` is a small
//! stable set the UI branches on; `code` and `requestId` are the cloud's, kept so they can be shown.

use serde::Serialize;
use tencent_live::validate::{Field, ValidationErrors};
use tencent_live::{Error, ErrorKind, Language};
use ts_rs::TS;

use crate::profiles::ProfileError;
use crate::secrets::SecretError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppErrorKind {
    Auth,
    Signature,
    ClockSkew,
    Network,
    Timeout,
    Validation,
    NotFound,
    InUse,
    AlreadyExists,
    Quota,
    RateLimited,
    KeyringUnavailable,
    PortInUse,
    Internal,
}

/// One invalid field, with the message in both languages (the UI picks).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldMessage {
    pub field: Field,
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    pub kind: AppErrorKind,
    pub message: String,
    pub code: Option<String>,
    pub request_id: Option<String>,
    pub fields: Vec<FieldMessage>,
}

impl AppError {
    pub fn new(kind: AppErrorKind, message: impl Into<String>) -> AppError {
        AppError {
            kind,
            message: message.into(),
            code: None,
            request_id: None,
            fields: Vec::new(),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> AppError {
        AppError {
            kind: AppErrorKind::Validation,
            message: e.to_string(),
            code: None,
            request_id: None,
            fields: e
                .0
                .iter()
                .map(|f| FieldMessage {
                    field: f.field,
                    en: f.message(Language::EnUs),
                    zh: f.message(Language::ZhCn),
                })
                .collect(),
        }
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> AppError {
        if let Error::Validation(v) = e {
            return v.into();
        }
        let kind = match e.kind() {
            ErrorKind::Auth | ErrorKind::Account => AppErrorKind::Auth,
            ErrorKind::Signature => AppErrorKind::Signature,
            ErrorKind::ClockSkew => AppErrorKind::ClockSkew,
            ErrorKind::RateLimited => AppErrorKind::RateLimited,
            ErrorKind::NotFound => AppErrorKind::NotFound,
            ErrorKind::InUse => AppErrorKind::InUse,
            ErrorKind::AlreadyExists => AppErrorKind::AlreadyExists,
            ErrorKind::Quota => AppErrorKind::Quota,
            ErrorKind::Validation => AppErrorKind::Validation,
            ErrorKind::Network => AppErrorKind::Network,
            ErrorKind::Timeout => AppErrorKind::Timeout,
            ErrorKind::Decode | ErrorKind::Service => AppErrorKind::Internal,
        };
        AppError {
            kind,
            message: e.to_string(),
            code: e.code().map(str::to_owned),
            request_id: e.request_id().map(str::to_owned),
            fields: Vec::new(),
        }
    }
}

impl From<SecretError> for AppError {
    fn from(e: SecretError) -> AppError {
        let kind = match e {
            SecretError::Unavailable(_) => AppErrorKind::KeyringUnavailable,
            SecretError::Refused(_) => AppErrorKind::Auth,
        };
        AppError::new(kind, e.to_string())
    }
}

impl From<ProfileError> for AppError {
    fn from(e: ProfileError) -> AppError {
        match e {
            ProfileError::Secret(s) => s.into(),
            ProfileError::Invalid(_) => AppError::new(AppErrorKind::Validation, e.to_string()),
            ProfileError::NotFound(_) => AppError::new(AppErrorKind::NotFound, e.to_string()),
            ProfileError::Exists(_) => AppError::new(AppErrorKind::AlreadyExists, e.to_string()),
            ProfileError::NoSecret(_) => AppError::new(AppErrorKind::Auth, e.to_string()),
            _ => AppError::new(AppErrorKind::Internal, e.to_string()),
        }
    }
}
