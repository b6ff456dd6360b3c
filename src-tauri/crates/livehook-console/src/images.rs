//! Screenshot previews. The window's content policy allows images only from the app itself and data
//! URLs, so the backend fetches a callback's picture (http or https only, at most 5 MiB, an `image/*`
//! answer, 10 seconds, no redirect followed) and hands the UI a data URL; a failed fetch says why.

use std::time::Duration;

use base64::Engine;
use tencent_live::validate::is_http_url;

use crate::error::{AppError, AppErrorKind};

/// The largest picture fetched.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// How long a fetch may take, whole.
pub const IMAGE_TIMEOUT: Duration = Duration::from_secs(10);

fn refused(message: String) -> AppError {
    AppError::new(AppErrorKind::Validation, message)
}

/// Fetch `url` and return it as `data:<type>;base64,...`.
pub async fn fetch_data_url(url: &str) -> Result<String, AppError> {
    if !is_http_url(url) {
        return Err(refused(format!(
            "The picture's address \"{url}\" is not an http:// or https:// address, so it was not fetched."
        )));
    }
    let client = reqwest::Client::builder()
        .timeout(IMAGE_TIMEOUT)
        // A redirect could lead from the address the callback names to any other, on any host.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?;
    let mut response = client.get(url).send().await.map_err(|e| {
        if e.is_timeout() {
            AppError::new(
                AppErrorKind::Timeout,
                format!(
                    "The picture at {url} did not arrive within {} seconds.",
                    IMAGE_TIMEOUT.as_secs()
                ),
            )
        } else {
            AppError::new(
                AppErrorKind::Network,
                format!("The picture at {url} could not be fetched: {e}."),
            )
        }
    })?;
    let status = response.status();
    if status.is_redirection() {
        return Err(refused(format!(
            "The server of {url} answered {status}, a redirect, which is not followed: only the address the callback names is fetched."
        )));
    }
    if !status.is_success() {
        return Err(AppError::new(
            AppErrorKind::NotFound,
            format!("The server of {url} answered {status} instead of the picture."),
        ));
    }
    let kind = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !kind.starts_with("image/") {
        return Err(refused(format!(
            "{url} is not a picture (its type is \"{}\"), so it is not shown.",
            if kind.is_empty() { "unknown" } else { &kind }
        )));
    }
    if response.content_length().is_some_and(|n| n > MAX_IMAGE_BYTES as u64) {
        return Err(refused(format!(
            "The picture at {url} is larger than {} MiB, so it is not shown here; open it in a browser.",
            MAX_IMAGE_BYTES / 1024 / 1024
        )));
    }
    let mut bytes = Vec::new();
    loop {
        let chunk = response.chunk().await.map_err(|e| {
            let kind = if e.is_timeout() {
                AppErrorKind::Timeout
            } else {
                AppErrorKind::Network
            };
            AppError::new(kind, format!("The picture at {url} stopped arriving: {e}."))
        })?;
        let Some(chunk) = chunk else { break };
        if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
            return Err(refused(format!(
                "The picture at {url} is larger than {} MiB, so it is not shown here; open it in a browser.",
                MAX_IMAGE_BYTES / 1024 / 1024
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(format!(
        "data:{kind};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    ))
}
