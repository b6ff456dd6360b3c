//! Typed requests, responses and structures of the Live API's callback actions.

pub mod actions;
pub mod models;
pub mod time;

pub use actions::*;
pub use models::*;
pub use time::ApiTime;

/// The API version these actions belong to (`X-TC-Version`).
pub const VERSION: &str = "2018-08-01";
/// The signing service name.
pub const SERVICE: &str = "live";
/// The public endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://live.tencentcloudapi.com";
/// The most templates one account may have.
pub const MAX_TEMPLATES: usize = 50;
