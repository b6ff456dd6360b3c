//! The service's answers: HTTP 200, `Content-Type: application/json` exactly (the Python SDK ignores
//! errors under any other content type), a RequestId on every answer, errors in `Response.Error`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// An error answer: a Tencent error code and its message (English, and Chinese when known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: String,
    pub message: String,
    pub message_zh: Option<String>,
}

impl Fault {
    pub fn new(code: &str, message: impl Into<String>) -> Fault {
        Fault {
            code: code.to_owned(),
            message: message.into(),
            message_zh: None,
        }
    }

    pub fn zh(mut self, message: &str) -> Fault {
        self.message_zh = Some(message.to_owned());
        self
    }
}

pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn json_response(value: &Value, date: &str) -> Response {
    let mut response = (StatusCode::OK, value.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(d) = HeaderValue::from_str(date) {
        headers.insert(header::DATE, d);
    }
    response
}

pub fn success(mut fields: Map<String, Value>, request_id: &str, date: &str) -> Response {
    fields.insert("RequestId".into(), Value::String(request_id.to_owned()));
    json_response(&json!({ "Response": fields }), date)
}

pub fn error(fault: &Fault, chinese: bool, request_id: &str, date: &str) -> Response {
    let message = match (&fault.message_zh, chinese) {
        (Some(zh), true) => zh.as_str(),
        _ => fault.message.as_str(),
    };
    json_response(
        &json!({"Response": {"Error": {"Code": fault.code, "Message": message}, "RequestId": request_id}}),
        date,
    )
}

/// An HTTP date for a UNIX time (the emulator's clock, which tests may set).
pub fn http_date(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
