//! Tencent's own log of the callbacks it delivered (`DescribeCallbackRecordsList`): what it sent, what
//! the customer's server answered, the result code and the times. The action takes one stream name
//! (exact), a window of at most one day that starts within the last 14 days, and pages; this module
//! turns any range inside those 14 days into such windows, reads every page of every window, and
//! returns the records newest first.

use std::future::Future;

use crate::api::{ApiTime, CallbackEventInfo, DescribeCallbackRecordsList, DescribeCallbackRecordsListResponse};
use crate::callback::EventType;
use crate::error::Error;
use crate::Client;

/// The longest window one request may ask for, in seconds.
pub const WINDOW_SECS: i64 = 86_400;
/// How far back the log reaches, in seconds.
pub const LOOKBACK_SECS: i64 = 14 * 86_400;
/// A range starting right at the 14-day limit would be past it by the time the request arrives: the
/// first request starts this many seconds later instead.
pub const LOOKBACK_MARGIN_SECS: i64 = 60;
/// The page size asked for (the answer's own `PageSize`, `TotalPage` and `TotalNum` are what count).
pub const PAGE_SIZE: i64 = 100;
/// The event types the action's `EventType` filter documents; others are filtered here.
pub const FILTERABLE_TYPES: [i64; 4] = [0, 1, 100, 200];

/// A range the log cannot answer: refused before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("a stream name is required: the delivery log is kept per stream (the exact StreamName)")]
    NoStream,
    #[error("the range is empty: its end ({until}) is not after its start ({since})")]
    Empty { since: String, until: String },
    #[error(
        "the range starts at {since}, more than 14 days ago: Tencent keeps the delivery log for 14 days \
         (the oldest time that can be asked for now is {oldest})"
    )]
    TooOld { since: String, oldest: String },
}

fn shown(secs: i64) -> String {
    ApiTime::utc(secs).raw
}

/// The windows that cover `[since, until)` (UNIX seconds; `until` beyond `now` is cut to `now`), newest
/// first, each `(start, end)` with both ends included and at most [`WINDOW_SECS`] apart, so no record is
/// read twice at a boundary.
pub fn windows(since: i64, until: i64, now: i64) -> Result<Vec<(i64, i64)>, RangeError> {
    let until = until.min(now + 1);
    if until <= since {
        return Err(RangeError::Empty {
            since: shown(since),
            until: shown(until),
        });
    }
    let oldest = now - LOOKBACK_SECS;
    if since < oldest {
        return Err(RangeError::TooOld {
            since: shown(since),
            oldest: shown(oldest),
        });
    }
    let since = since.max(oldest + LOOKBACK_MARGIN_SECS).min(until - 1);
    let mut out = Vec::new();
    let mut end = until - 1;
    while end >= since {
        let start = (end - (WINDOW_SECS - 1)).max(since);
        out.push((start, end));
        end = start - 1;
    }
    Ok(out)
}

/// What to read from the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The stream name, exactly as pushed.
    pub stream: String,
    /// UNIX seconds, included.
    pub since: i64,
    /// UNIX seconds, excluded.
    pub until: i64,
    pub event_type: Option<i64>,
    /// Only deliveries that did not succeed (result code other than 0).
    pub failed_only: bool,
}

/// How far a read has come: called before each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// The window being read (1-based) and how many there are.
    pub window: usize,
    pub windows: usize,
    /// The page being read (1-based) and how many the window has (0 until the first page answered).
    pub page: i64,
    pub pages: i64,
    /// Records read so far.
    pub records: usize,
}

/// The records of a query, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Log {
    pub records: Vec<CallbackEventInfo>,
    /// Requests sent.
    pub requests: usize,
    /// Stopped by the caller before every page was read.
    pub cancelled: bool,
}

/// The request for one page of one window.
pub fn request(q: &Query, window: (i64, i64), page: i64) -> DescribeCallbackRecordsList {
    DescribeCallbackRecordsList {
        start_time: ApiTime::utc(window.0).raw,
        end_time: ApiTime::utc(window.1).raw,
        stream_name: q.stream.clone(),
        page_num: page,
        page_size: PAGE_SIZE,
        event_type: q.event_type.filter(|t| FILTERABLE_TYPES.contains(t)),
        result_code: None,
    }
}

/// How many pages the answer says the window has: its `TotalPage`, else `TotalNum` over its own
/// `PageSize`.
fn pages_of(r: &DescribeCallbackRecordsListResponse) -> i64 {
    if r.total_page > 0 {
        r.total_page
    } else if r.page_size > 0 {
        (r.total_num + r.page_size - 1) / r.page_size
    } else {
        i64::from(!r.data_info_list.is_empty())
    }
}

/// Reads every page of every window of `q` through `call`, newest first. `progress` is told before each
/// request and returns false to stop (the records read so far are kept, `cancelled` set).
pub async fn read_with<F, Fut>(
    q: &Query,
    now: i64,
    mut call: F,
    mut progress: impl FnMut(Progress) -> bool,
) -> Result<Log, ReadError>
where
    F: FnMut(DescribeCallbackRecordsList) -> Fut,
    Fut: Future<Output = Result<DescribeCallbackRecordsListResponse, Error>>,
{
    if q.stream.trim().is_empty() {
        return Err(ReadError::Range(RangeError::NoStream));
    }
    let windows = windows(q.since, q.until, now).map_err(ReadError::Range)?;
    let mut log = Log::default();
    'windows: for (i, window) in windows.iter().enumerate() {
        let mut page = 1;
        let mut pages = 0;
        loop {
            let at = Progress {
                window: i + 1,
                windows: windows.len(),
                page,
                pages,
                records: log.records.len(),
            };
            if !progress(at) {
                log.cancelled = true;
                break 'windows;
            }
            let answer = call(request(q, *window, page)).await.map_err(ReadError::Api)?;
            log.requests += 1;
            pages = pages_of(&answer);
            let got = answer.data_info_list.len();
            log.records.extend(
                answer.data_info_list.into_iter().filter(|r| {
                    q.event_type.is_none_or(|t| r.event_type == t) && (!q.failed_only || r.result_code != 0)
                }),
            );
            // An empty page ends the window whatever the totals said; so does the 100 000th page.
            if got == 0 || page >= pages || page >= 100_000 {
                break;
            }
            page += 1;
        }
    }
    // Newest first; records of one second keep the log's own order.
    log.records
        .sort_by_key(|r| std::cmp::Reverse(r.event_time.unix().unwrap_or(i64::MIN)));
    Ok(log)
}

/// [`read_with`] through a client.
pub async fn read(
    client: &Client,
    q: &Query,
    now: i64,
    progress: impl FnMut(Progress) -> bool,
) -> Result<Log, ReadError> {
    read_with(q, now, |r| async move { client.call(&r).await }, progress).await
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Range(RangeError),
    #[error(transparent)]
    Api(Error),
}

/// The name of a record's event type for people (`Push (1)`).
pub fn type_name(code: i64) -> String {
    EventType::label(code)
}

/// The seconds between sending and the answer, when both times are known.
pub fn latency_secs(r: &CallbackEventInfo) -> Option<i64> {
    Some(r.response_time.unix()? - r.event_time.unix()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    const NOW: i64 = 1_765_000_000;

    #[test]
    fn a_range_is_split_into_days_newest_first_without_overlap() {
        let w = windows(NOW - 3 * 86_400 + 5, NOW, NOW).expect("fits");
        assert_eq!(w.len(), 3);
        assert_eq!(w[0], (NOW - 86_400, NOW - 1));
        assert_eq!(w[1], (NOW - 2 * 86_400, NOW - 86_400 - 1));
        assert_eq!(w[2], (NOW - 3 * 86_400 + 5, NOW - 2 * 86_400 - 1));
        for (a, b) in &w {
            assert!(b - a < WINDOW_SECS, "at most a day: {a}..={b}");
        }
        // One day exactly is one window; an hour is one window.
        assert_eq!(windows(NOW - 86_400, NOW, NOW).expect("a day").len(), 1);
        assert_eq!(
            windows(NOW - 3600, NOW, NOW).expect("an hour"),
            vec![(NOW - 3600, NOW - 1)]
        );
    }

    #[test]
    fn fourteen_days_reach_the_limit_and_no_further() {
        let w = windows(NOW - LOOKBACK_SECS, NOW, NOW).expect("14 days are allowed");
        assert_eq!(w.len(), 14);
        assert_eq!(
            w.last().expect("oldest").0,
            NOW - LOOKBACK_SECS + LOOKBACK_MARGIN_SECS,
            "the oldest minute is left out so the request is not past the limit when it arrives"
        );
        assert!(matches!(
            windows(NOW - LOOKBACK_SECS - 1, NOW, NOW),
            Err(RangeError::TooOld { .. })
        ));
        assert!(matches!(windows(NOW, NOW - 5, NOW), Err(RangeError::Empty { .. })));
        // An end in the future is cut to now.
        assert_eq!(windows(NOW - 10, NOW + 999, NOW).expect("now"), vec![(NOW - 10, NOW)]);
    }

    fn record(t: i64, event_type: i64, code: i64) -> CallbackEventInfo {
        CallbackEventInfo {
            event_time: ApiTime::utc(t),
            event_type,
            request: format!("{{\"t\":{t}}}"),
            response: String::new(),
            response_time: ApiTime::utc(t + 1),
            result_code: code,
            stream_id: "s".into(),
        }
    }

    /// A log that answers pages of `size` records whatever size was asked for, `TotalPage` only when
    /// `with_total_page`.
    fn fake(
        all: Vec<CallbackEventInfo>,
        size: i64,
        with_total_page: bool,
        asked: Arc<Mutex<Vec<DescribeCallbackRecordsList>>>,
    ) -> impl FnMut(DescribeCallbackRecordsList) -> std::future::Ready<Result<DescribeCallbackRecordsListResponse, Error>>
    {
        move |r: DescribeCallbackRecordsList| {
            asked.lock().expect("lock").push(r.clone());
            let (from, to) = (
                ApiTime::parse(&r.start_time).unix().expect("start"),
                ApiTime::parse(&r.end_time).unix().expect("end"),
            );
            let inside: Vec<_> = all
                .iter()
                .filter(|x| (from..=to).contains(&x.event_time.unix().expect("time")))
                .filter(|x| r.event_type.is_none_or(|t| x.event_type == t))
                .cloned()
                .collect();
            let total = inside.len() as i64;
            let list = inside
                .into_iter()
                .skip(((r.page_num - 1) * size) as usize)
                .take(size as usize)
                .collect();
            std::future::ready(Ok(DescribeCallbackRecordsListResponse {
                data_info_list: list,
                page_num: r.page_num,
                page_size: size,
                total_num: total,
                total_page: if with_total_page { (total + size - 1) / size } else { 0 },
                request_id: String::new(),
            }))
        }
    }

    fn block<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn every_page_of_every_window_is_read_by_the_answers_totals() {
        // 250 records over two and a half days; the log answers 7 per page though 100 were asked for.
        let all: Vec<_> = (0..250)
            .map(|i| record(NOW - 900 * i - 10, [1, 0, 200][i as usize % 3], i % 4))
            .collect();
        for with_total_page in [true, false] {
            let asked = Arc::new(Mutex::new(Vec::new()));
            let mut seen = Vec::new();
            let q = Query {
                stream: "s".into(),
                since: NOW - 3 * 86_400,
                until: NOW,
                ..Default::default()
            };
            let log = block(read_with(
                &q,
                NOW,
                fake(all.clone(), 7, with_total_page, asked.clone()),
                |p| {
                    seen.push(p);
                    true
                },
            ))
            .expect("read");
            assert_eq!(
                log.records.len(),
                250,
                "every record, TotalPage given: {with_total_page}"
            );
            let times: Vec<_> = log.records.iter().map(|r| r.event_time.unix().expect("t")).collect();
            assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
            let asked = asked.lock().expect("lock");
            assert!(asked.iter().all(|r| r.page_size == PAGE_SIZE && r.stream_name == "s"));
            assert_eq!(log.requests, asked.len());
            assert_eq!(seen.len(), asked.len(), "progress before each request");
            assert_eq!(seen.last().expect("progress").windows, 3);
        }
    }

    #[test]
    fn filters_and_cancelling() {
        let all: Vec<_> = (0..40)
            .map(|i| record(NOW - 60 * i - 1, [1, 0, 315][i as usize % 3], i % 2))
            .collect();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let q = Query {
            stream: "s".into(),
            since: NOW - 86_400,
            until: NOW,
            event_type: Some(0),
            failed_only: true,
        };
        let log = block(read_with(&q, NOW, fake(all.clone(), 100, true, asked.clone()), |_| {
            true
        }))
        .expect("read");
        assert!(log.records.iter().all(|r| r.event_type == 0 && r.result_code != 0));
        assert_eq!(
            log.records.len(),
            all.iter().filter(|r| r.event_type == 0 && r.result_code != 0).count()
        );
        assert_eq!(
            asked.lock().expect("lock")[0].event_type,
            Some(0),
            "a documented type is sent"
        );
        // An undocumented type is not sent; it is filtered here.
        let q315 = Query {
            event_type: Some(315),
            failed_only: false,
            ..q.clone()
        };
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = block(read_with(
            &q315,
            NOW,
            fake(all.clone(), 100, true, asked.clone()),
            |_| true,
        ))
        .expect("read");
        assert_eq!(asked.lock().expect("lock")[0].event_type, None);
        assert_eq!(log.records.len(), all.iter().filter(|r| r.event_type == 315).count());
        // Stopping after the first request keeps what it read.
        let mut calls = 0;
        let few = Query {
            event_type: None,
            failed_only: false,
            ..q.clone()
        };
        let log = block(read_with(&few, NOW, fake(all, 5, true, Arc::default()), |_| {
            calls += 1;
            calls <= 1
        }))
        .expect("read");
        assert!(log.cancelled);
        assert_eq!(log.records.len(), 5);
    }

    #[test]
    fn refusals_send_nothing() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        for q in [
            Query {
                stream: " ".into(),
                since: NOW - 60,
                until: NOW,
                ..Default::default()
            },
            Query {
                stream: "s".into(),
                since: NOW - 15 * 86_400,
                until: NOW,
                ..Default::default()
            },
        ] {
            let r = block(read_with(&q, NOW, fake(vec![], 10, true, asked.clone()), |_| true));
            assert!(matches!(r, Err(ReadError::Range(_))), "{q:?}");
        }
        assert!(asked.lock().expect("lock").is_empty());
    }
}
