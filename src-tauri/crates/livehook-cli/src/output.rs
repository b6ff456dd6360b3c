//! Printing results: aligned tables for people, one JSON document for scripts.

use std::io::Write;

use serde_json::{json, Value};
use tencent_live::validate::ValidationErrors;
use tencent_live::{Error, Language};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Columns padded to the widest cell (counting characters, CJK counted double). Cells are made
/// [`printable`].
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| printable(c, false)).collect())
        .collect();
    let rows = rows.as_slice();
    fn width(s: &str) -> usize {
        s.chars().map(|c| if c as u32 >= 0x1100 { 2 } else { 1 }).sum()
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            s.push_str(cell);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

pub use callback_inspector::tools::printable;

pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

pub fn print_json(value: &Value) {
    print(&(serde_json::to_string_pretty(value).unwrap_or_default() + "\n"));
}

pub fn eprint(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// What to tell a person about a cloud or network error, beyond the error itself.
pub fn advice(error: &Error) -> Option<&'static str> {
    use tencent_live::ErrorKind as K;
    Some(match error.kind() {
        K::Auth => "Check TENCENTCLOUD_SECRET_ID, and that the key is enabled and allowed to manage Live (CAM policy).",
        K::Signature => "The SecretKey does not match the SecretId; check TENCENTCLOUD_SECRET_KEY.",
        K::ClockSkew => "This machine's clock is more than 5 minutes off; synchronise it (e.g. enable NTP).",
        K::RateLimited => "Too many requests; wait a moment and try again.",
        K::InUse => "Unbind the template from its domains first (livehook rules list / rules unbind).",
        K::AlreadyExists => "That domain and AppName already have a rule; unbind it first to bind another template.",
        K::Quota => "An account can have at most 50 callback templates; delete one you no longer use.",
        K::Network => "Check the endpoint and your network connection.",
        K::Timeout => {
            "The service did not answer in time; try again. Creates and deletes are checked, never repeated blindly."
        }
        K::Account => "The account's Live service is not available (suspended, in arrears or not enabled).",
        _ => return None,
    })
}

/// Print an error for a person (stderr) and, with JSON output, as a document (stdout).
pub fn report_error(error: &Error, format: Format) {
    // A cloud error's code and RequestId are printed once, on their own line, below what failed.
    let headline = match error {
        Error::Api(e) => format!("{} failed: {}", e.action, e.message),
        other => other.to_string(),
    };
    eprint(&format!("error: {headline}"));
    if let Some(code) = error.code() {
        let request_id = error.request_id().unwrap_or("-");
        eprint(&format!("  code: {code}  RequestId: {request_id}"));
    }
    if let Some(a) = advice(error) {
        eprint(&format!("  {a}"));
    }
    if format == Format::Json {
        print_json(&json!({"Error": {
            "Kind": error.kind(),
            "Code": error.code(),
            "Message": error.to_string(),
            "RequestId": error.request_id(),
        }}));
    }
}

/// Print every invalid field (stderr), and as a document with JSON output.
pub fn report_invalid(errors: &ValidationErrors, flag_of: impl Fn(&str) -> String, format: Format) {
    eprint("error: the input is not valid; nothing was sent:");
    for e in &errors.0 {
        eprint(&format!(
            "  {}: {}",
            flag_of(e.field.api_name()),
            e.message(Language::EnUs)
        ));
    }
    if format == Format::Json {
        let fields: Vec<Value> = errors
            .0
            .iter()
            .map(|e| json!({"Field": e.field.api_name(), "Message": e.message(Language::EnUs), "Detail": e}))
            .collect();
        print_json(&json!({"Error": {"Kind": "validation", "Fields": fields}}));
    }
}
