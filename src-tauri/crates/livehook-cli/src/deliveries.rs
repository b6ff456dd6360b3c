//! `livehook deliveries list`: Tencent's delivery log of one stream, every window and page of the range,
//! newest first.

use std::io::IsTerminal;

use chrono::{DateTime, Local};
use serde_json::json;
use tencent_live::api::CallbackEventInfo;
use tencent_live::deliveries::{self, Query, ReadError};
use tencent_live::Client;

use crate::cli::{parse_time_at, DeliveriesListArgs};
use crate::output::{self, print, print_json, report_error, table, Format};
use crate::Outcome;

/// The query the flags describe, at `now_ms`; a flag that cannot be read or a range the log cannot
/// answer is refused here, before anything is sent.
pub fn query(args: &DeliveriesListArgs, now_ms: i64) -> Result<Query, String> {
    if args.stream.trim().is_empty() {
        return Err(deliveries::RangeError::NoStream.to_string());
    }
    let since = parse_time_at(&args.since, now_ms).map_err(|e| format!("--since: {e}"))?;
    let until = match &args.until {
        Some(u) => parse_time_at(u, now_ms).map_err(|e| format!("--until: {e}"))?,
        None => now_ms,
    };
    // Both ends in whole seconds, rounded up alike, so `--since 1d` is one day exactly.
    let q = Query {
        stream: args.stream.clone(),
        since: (since + 999).div_euclid(1000),
        until: (until + 999).div_euclid(1000),
        event_type: args.event_type,
        failed_only: args.failed,
    };
    deliveries::windows(q.since, q.until, now_ms.div_euclid(1000)).map_err(|e| e.to_string())?;
    Ok(q)
}

/// The local time of a record and the zone's offset, `2026-12-06 15:04:05`.
fn local(r: &tencent_live::api::ApiTime) -> String {
    match r.parsed {
        Some(t) => t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S").to_string(),
        None => r.raw.clone(),
    }
}

/// The zone the table's times are in: `TZ` when set, and the offset (`Asia/Shanghai, UTC+08:00`).
fn zone() -> String {
    let offset = Local::now().format("UTC%:z").to_string();
    match std::env::var("TZ").ok().filter(|z| !z.trim().is_empty()) {
        Some(tz) => format!("{}, {offset}", tz.trim_start_matches(':')),
        None => offset,
    }
}

fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max - 1).collect::<String>())
    } else {
        line.to_owned()
    }
}

fn result(r: &CallbackEventInfo) -> String {
    match r.result_code {
        0 => "OK".into(),
        -1 => "no answer".into(),
        code => code.to_string(),
    }
}

pub async fn list(client: &Client, q: Query, format: Format) -> Outcome {
    let now = chrono::Utc::now().timestamp();
    // Progress on a terminal only: which day of how many, and the records so far.
    let show = std::io::stderr().is_terminal() && format == Format::Table;
    let read = deliveries::read(client, &q, now, |p| {
        if show && p.windows > 1 {
            eprint!(
                "\rreading day {} of {}, {} records so far…   ",
                p.window, p.windows, p.records
            );
        }
        true
    })
    .await;
    if show {
        eprint!("\r{:60}\r", "");
    }
    let log = match read {
        Ok(log) => log,
        Err(ReadError::Range(e)) => {
            output::eprint(&format!("error: {e}"));
            return Outcome::Invalid;
        }
        Err(ReadError::Api(e)) => {
            report_error(&e, format);
            return Outcome::Failed;
        }
    };
    if format == Format::Json {
        print_json(&json!({ "Records": log.records, "TotalNum": log.records.len() }));
        return Outcome::Success;
    }
    let range = |secs: i64| {
        DateTime::from_timestamp(secs, 0)
            .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    };
    // The range as read: the windows' ends (the oldest minute of 14 days is left out).
    let (from, to) = deliveries::windows(q.since, q.until, now)
        .ok()
        .and_then(|w| Some((w.last()?.0, w.first()?.1 + 1)))
        .unwrap_or((q.since, q.until));
    let what = format!("stream \"{}\", {} to {} ({})", q.stream, range(from), range(to), zone());
    if log.records.is_empty() {
        print(&format!(
            "No deliveries of {what}{}.\nTencent logs a callback only when a template bound to the stream's push domain \
             has a URL for its event; check the stream name (exact, case-sensitive) and the range.\n",
            if q.failed_only { " that failed" } else { "" }
        ));
        return Outcome::Success;
    }
    let rows: Vec<Vec<String>> = log
        .records
        .iter()
        .map(|r| {
            vec![
                local(&r.event_time),
                deliveries::type_name(r.event_type),
                result(r),
                first_line(&r.response, 48),
                deliveries::latency_secs(r)
                    .map(|s| format!("{s} s"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let time_header = format!("SENT ({})", zone());
    print(&table(
        &[&time_header, "EVENT", "RESULT", "YOUR SERVER'S ANSWER", "LATENCY"],
        &rows,
    ));
    let failed = log.records.iter().filter(|r| r.result_code != 0).count();
    let n = log.records.len();
    print(&format!(
        "{n} {} of {what}, {failed} failed ({} {}).\n",
        if n == 1 { "delivery" } else { "deliveries" },
        log.requests,
        if log.requests == 1 { "request" } else { "requests" }
    ));
    Outcome::Success
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(since: &str, until: Option<&str>) -> DeliveriesListArgs {
        DeliveriesListArgs {
            stream: "s".into(),
            since: since.into(),
            until: until.map(Into::into),
            event_type: None,
            failed: false,
        }
    }

    #[test]
    fn ranges_are_checked_before_sending() {
        let now = 1_765_000_000_000;
        let q = query(&args("2h", None), now).expect("two hours");
        assert_eq!((q.since, q.until), (now / 1000 - 7200, now / 1000));
        let q = query(&args("1d", None), now + 1).expect("a day");
        assert_eq!(q.until - q.since, 86_400, "a day is one window, not a day and a second");
        assert!(query(&args("0m", None), now).is_err(), "nothing to read");
        assert!(query(&args("14d", None), now).is_ok(), "14 days reach the limit");
        let too_old = query(&args("15d", None), now).expect_err("past 14 days");
        assert!(too_old.contains("14 days"), "{too_old}");
        assert!(query(&args("1h", Some("2h")), now)
            .expect_err("empty")
            .contains("not after"));
        assert!(query(&args("soon", None), now).expect_err("bad").starts_with("--since"));
        let mut blank = args("1h", None);
        blank.stream = "  ".into();
        assert!(query(&blank, now).expect_err("no stream").contains("stream name"));
    }

    #[test]
    fn answers_show_their_first_line() {
        assert_eq!(first_line("\n  {\"code\":0}\nmore", 48), "{\"code\":0}");
        assert_eq!(first_line(&"x".repeat(60), 10), format!("{}…", "x".repeat(9)));
    }
}
