//! Tencent Cloud Live (CSS) callback management as a library: TC3-HMAC-SHA256 signing, the typed
//! callback-template, rule and domain actions, an async client with retries, rate limiting,
//! reconciliation and clock-skew correction, the console's validation rules, and the callback
//! messages with their `sign = md5(key + t)` verification.

pub mod api;
pub mod callback;
pub mod client;
pub mod clock;
pub mod deliveries;
pub mod error;
pub mod lenient;
pub mod secret;
pub mod sign;
pub mod tls;
pub mod validate;

pub use client::{Client, ClientConfig};
pub use error::{ApiError, Error, ErrorKind};
pub use secret::{Credentials, Secret};

use serde::{Deserialize, Serialize};

/// The language of error messages from the API (`X-TC-Language`) and of the texts this crate makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Language {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[default]
    #[serde(rename = "en-US")]
    EnUs,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-cn" | "zh" | "zh-hans" => Some(Language::ZhCn),
            "en-us" | "en" => Some(Language::EnUs),
            _ => None,
        }
    }
}
