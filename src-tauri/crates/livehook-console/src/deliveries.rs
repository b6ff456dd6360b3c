//! The app's delivery log: Tencent's records of one stream's callbacks (`tencent_live::deliveries`)
//! matched with what the inspector received, so each record says whether its callback arrived, and the
//! callbacks that arrived without a record stand out too.

use std::sync::atomic::{AtomicBool, Ordering};

use callback_inspector::{Arrival, EventSummary};
use serde::{Deserialize, Serialize};
use tencent_live::api::CallbackEventInfo;
use tencent_live::deliveries::{self, Query, ReadError};
use tencent_live::Client;
use ts_rs::TS;

use crate::error::{AppError, AppErrorKind};

/// What the delivery log page asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryQuery {
    pub stream: String,
    /// UNIX seconds, included.
    pub since: i64,
    /// UNIX seconds, excluded.
    pub until: i64,
    pub event_type: Option<i64>,
    pub failed_only: bool,
}

/// How far a read has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryProgress {
    /// The day being read (1-based) of how many.
    pub window: u32,
    pub windows: u32,
    pub page: u32,
    /// 0 until the window's first page has answered.
    pub pages: u32,
    pub records: u32,
}

/// One record of Tencent's log, and the callback of the inspector's it was matched with.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryRow {
    /// When Tencent sent it (UNIX seconds), as the log says.
    pub event_time: Option<i64>,
    /// The log's own text of that time.
    pub event_time_text: String,
    pub event_type: i64,
    /// The body Tencent sent.
    pub request: String,
    /// What the server answered.
    pub response: String,
    pub response_time: Option<i64>,
    /// 0: delivered.
    pub result_code: i64,
    /// The inspector's callback this record is, when it arrived there.
    pub inspector_id: Option<i64>,
}

/// The log of a query, newest first, matched with the inspector.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryReport {
    pub rows: Vec<DeliveryRow>,
    /// The inspector's callbacks of the stream in the range that no record accounts for (not replays),
    /// newest first.
    pub only_in_inspector: Vec<EventSummary>,
    /// Whether the inspector has a database to match with at all.
    pub inspector_has_events: bool,
    pub requests: u32,
    pub windows: u32,
    /// Stopped before every page was read.
    pub cancelled: bool,
}

/// The push domain and AppName each record's body names (`app`, `appname`) with the latest time a
/// record of that pair was sent (UNIX ms): what the delivery log says about bindings being live.
pub fn delivered_targets(records: &[CallbackEventInfo]) -> Vec<(String, String, i64)> {
    let mut out: std::collections::BTreeMap<(String, String), i64> = std::collections::BTreeMap::new();
    for r in records {
        let Some(at) = r.event_time.unix() else { continue };
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&r.request) else {
            continue;
        };
        let field = |k: &str| map.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let domain = field("app");
        if domain.is_empty() {
            continue;
        }
        let e = out.entry((domain, field("appname"))).or_insert(i64::MIN);
        *e = (*e).max(at * 1000);
    }
    out.into_iter().map(|((d, a), at)| (d, a, at)).collect()
}

/// A callback's body fields the match needs.
fn signature(body: &str) -> (Option<i64>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(body) else {
        return (None, None);
    };
    let t = match map.get("t") {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    let sign = map.get("sign").and_then(|s| s.as_str()).map(str::to_owned);
    (t, sign)
}

/// Which arrival each record is: the same event type and the same `t` and `sign`; or, where the record
/// or the arrival carries no signature to compare, one within a second of the record's time. Each
/// arrival is used once; records in time order take the earliest fitting arrival. Returns the arrival
/// index of every record.
pub fn match_records(records: &[CallbackEventInfo], arrivals: &[Arrival]) -> Vec<Option<usize>> {
    let mut used = vec![false; arrivals.len()];
    let mut out = vec![None; records.len()];
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|&i| records[i].event_time.unix().unwrap_or(i64::MAX));
    let eligible = |a: &Arrival, r: &CallbackEventInfo| !a.replay && a.event_type == Some(r.event_type);
    // Signatures first, over every record, so a time match never takes an arrival a signature names.
    for &i in &order {
        let r = &records[i];
        let (t, sign) = signature(&r.request);
        let (Some(t), Some(sign)) = (t, sign) else { continue };
        let found = arrivals.iter().enumerate().position(|(j, a)| {
            !used[j] && eligible(a, r) && a.t == Some(t) && a.sign.as_deref() == Some(sign.as_str())
        });
        if let Some(j) = found {
            used[j] = true;
            out[i] = Some(j);
        }
    }
    for &i in &order {
        if out[i].is_some() {
            continue;
        }
        let r = &records[i];
        let Some(at) = r.event_time.unix() else { continue };
        let signed = matches!(signature(&r.request), (Some(_), Some(_)));
        let found = arrivals
            .iter()
            .enumerate()
            .filter(|(j, a)| {
                !used[*j]
                    && eligible(a, r)
                    && !(signed && a.t.is_some() && a.sign.is_some())
                    && (a.received_at.div_euclid(1000) - at).abs() <= 1
            })
            .min_by_key(|(_, a)| (a.received_at.div_euclid(1000) - at).abs())
            .map(|(j, _)| j);
        if let Some(j) = found {
            used[j] = true;
            out[i] = Some(j);
        }
    }
    out
}

/// Reads the log of `q` through `client` and matches it with `inspector` (None: nothing stored).
/// `progress` is told before each request and returns false to stop; `cancel` stops it too. `seen`
/// hears which domains and AppNames the records were sent for, and when ([`delivered_targets`]).
pub async fn read(
    client: &Client,
    q: DeliveryQuery,
    inspector: Option<&callback_inspector::Store>,
    cancel: &AtomicBool,
    progress: impl Fn(DeliveryProgress) -> bool,
    seen: impl FnOnce(Vec<(String, String, i64)>),
) -> Result<DeliveryReport, AppError> {
    let query = Query {
        stream: q.stream.trim().to_owned(),
        since: q.since,
        until: q.until,
        event_type: q.event_type,
        failed_only: q.failed_only,
    };
    let now = chrono::Utc::now().timestamp();
    let log = deliveries::read(client, &query, now, |p| {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let go = progress(DeliveryProgress {
            window: n(p.window),
            windows: n(p.windows),
            page: u32::try_from(p.page).unwrap_or(u32::MAX),
            pages: u32::try_from(p.pages).unwrap_or(u32::MAX),
            records: n(p.records),
        });
        go && !cancel.load(Ordering::SeqCst)
    })
    .await
    .map_err(|e| match e {
        ReadError::Range(e) => AppError::new(AppErrorKind::Validation, e.to_string()),
        ReadError::Api(e) => AppError::from(e),
    })?;
    let windows = deliveries::windows(query.since, query.until, now).map_or(0, |w| w.len() as u32);
    seen(delivered_targets(&log.records));
    // Arrivals from the range's start to a minute after its end (an answer can follow its sending).
    let (arrivals, inspector_has_events) = match inspector {
        Some(store) => {
            let (a, _) = store
                .arrivals(&query.stream, query.since * 1000, (query.until + 60) * 1000, usize::MAX)
                .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?;
            (a, true)
        }
        None => (Vec::new(), false),
    };
    let matched = match_records(&log.records, &arrivals);
    let mut taken = vec![false; arrivals.len()];
    let rows = log
        .records
        .into_iter()
        .zip(matched)
        .map(|(r, m)| {
            if let Some(j) = m {
                taken[j] = true;
            }
            DeliveryRow {
                event_time: r.event_time.unix(),
                event_time_text: r.event_time.raw,
                event_type: r.event_type,
                request: r.request,
                response: r.response,
                response_time: r.response_time.unix(),
                result_code: r.result_code,
                inspector_id: m.map(|j| arrivals[j].id),
            }
        })
        .collect();
    // The reverse: what arrived in the range itself and no record accounts for. Only when every page
    // was read, and with the filters the log was read with.
    let mut only_ids: Vec<i64> = Vec::new();
    if !log.cancelled {
        for (j, a) in arrivals.iter().enumerate() {
            let in_range = a.received_at < query.until * 1000;
            let kept =
                query.event_type.is_none_or(|t| a.event_type == Some(t)) && (!query.failed_only || a.status != 200);
            if !taken[j] && !a.replay && in_range && kept {
                only_ids.push(a.id);
            }
        }
    }
    let only_in_inspector = match (inspector, only_ids.is_empty()) {
        (Some(store), false) => {
            let mut events = Vec::new();
            for chunk in only_ids.rchunks(callback_inspector::MAX_IDS) {
                let page = store
                    .query(&callback_inspector::Filter {
                        ids: Some(chunk.to_vec()),
                        limit: Some(1000),
                        ..Default::default()
                    })
                    .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?;
                events.extend(page.items);
                if events.len() >= 1000 {
                    break;
                }
            }
            events.sort_by_key(|e| std::cmp::Reverse(e.id));
            events
        }
        _ => Vec::new(),
    };
    Ok(DeliveryReport {
        rows,
        only_in_inspector,
        inspector_has_events,
        requests: u32::try_from(log.requests).unwrap_or(u32::MAX),
        windows,
        cancelled: log.cancelled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencent_live::api::ApiTime;

    fn record(t: i64, event_type: i64, body: &str) -> CallbackEventInfo {
        CallbackEventInfo {
            event_time: ApiTime::utc(t),
            event_type,
            request: body.into(),
            response: String::new(),
            response_time: ApiTime::utc(t),
            result_code: 0,
            stream_id: "s".into(),
        }
    }

    fn arrival(id: i64, at_ms: i64, event_type: i64, t: Option<i64>, sign: Option<&str>) -> Arrival {
        Arrival {
            id,
            received_at: at_ms,
            event_type: Some(event_type),
            t,
            sign: sign.map(Into::into),
            status: 200,
            replay: false,
        }
    }

    #[test]
    fn records_match_by_signature_then_by_time_each_arrival_once() {
        let records = [
            // Two attempts of one push with the same signature (Tencent repeats the body).
            record(1000, 1, r#"{"t":2000,"sign":"aa"}"#),
            record(1060, 1, r#"{"t":2000,"sign":"aa"}"#),
            // Signed differently from what arrived at that time: not that callback.
            record(1100, 0, r#"{"t":2100,"sign":"zz"}"#),
            // Nothing arrived for it.
            record(1200, 100, r#"{"t":2200,"sign":"cc"}"#),
            // Unsigned, arrived 3 s later: too far for a time match.
            record(1300, 200, r#"{"stream_id":"s"}"#),
            // Unsigned, arrived within a second: matched by time.
            record(1400, 200, r#"{"stream_id":"s"}"#),
        ];
        let arrivals = [
            arrival(10, 1_000_400, 1, Some(2000), Some("aa")),
            arrival(11, 1_060_900, 1, Some(2000), Some("aa")),
            arrival(12, 1_100_700, 0, Some(9), Some("other")),
            arrival(13, 1_303_000, 200, None, None),
            // A different type at the right time is not the record.
            arrival(14, 1_200_100, 0, None, None),
            arrival(15, 1_400_800, 200, None, None),
        ];
        let m = match_records(&records, &arrivals);
        assert_eq!(m, vec![Some(0), Some(1), None, None, None, Some(5)]);
        // A replay is never a delivery.
        let mut replayed = arrivals.clone();
        replayed[5].replay = true;
        assert_eq!(match_records(&records, &replayed)[5], None);
    }

    #[test]
    fn the_log_says_which_domains_and_appnames_callbacks_were_sent_for() {
        let records = [
            record(100, 1, r#"{"app":"push.example.com","appname":"live"}"#),
            record(300, 0, r#"{"app":"push.example.com","appname":"live"}"#),
            record(200, 1, r#"{"app":"push2.example.com","appname":"edu"}"#),
            record(400, 1, "not json"),
        ];
        assert_eq!(
            delivered_targets(&records),
            vec![
                ("push.example.com".into(), "live".into(), 300_000),
                ("push2.example.com".into(), "edu".into(), 200_000),
            ]
        );
    }

    #[test]
    fn a_string_t_is_read_and_a_body_that_is_not_json_has_no_signature() {
        assert_eq!(signature(r#"{"t":"123","sign":"x"}"#), (Some(123), Some("x".into())));
        assert_eq!(signature("not json"), (None, None));
    }
}
