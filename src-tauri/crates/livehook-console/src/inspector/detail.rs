//! One callback for the detail view: its facts, each verification step (the key never crosses, only
//! its label and a masked form), and pictures it names.

use super::*;

/// Each verification step, for the detail view. The key itself never crosses; only its label and a
/// masked form.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerifySteps {
    pub t: Option<i64>,
    pub received_sign: Option<String>,
    /// The key that matched (or, when none did, the first key tried), masked.
    pub key_label: Option<String>,
    pub key_masked: Option<String>,
    /// `md5(<key> + t)` with the key masked.
    pub md5_input: Option<String>,
    /// Shown only once `t` has passed: until then it (with this `t`) would make any body pass as
    /// signed, since the sign does not cover the body.
    pub expected_sign: Option<String>,
    /// When the expected sign is held back: the `t` (Unix seconds) after which it is shown.
    pub expected_after: Option<i64>,
    /// Seconds from receipt to `t` (negative: it had expired).
    pub expires_in: Option<i64>,
    pub keys_tried: u32,
}

/// One callback, whole, for the detail view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    pub summary: EventSummary,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body_text: String,
    /// The body as JSON, when it is JSON.
    #[ts(type = "unknown")]
    pub json: Option<Value>,
    /// Facts made for the event type (label, value), in both languages.
    pub facts: Vec<callback_inspector::details::Fact>,
    pub check: callback_inspector::Check,
    pub steps: VerifySteps,
    pub answer: callback_inspector::Answer,
    pub attempts: Vec<EventSummary>,
    pub forwards: Vec<ForwardRecord>,
    pub curl: String,
}

/// The key to re-sign or explain a callback with: the one that matched it, else the first one known.
pub(super) fn signing_key<'a>(check: &callback_inspector::Check, keys: &'a [NamedKey]) -> Option<&'a NamedKey> {
    check
        .key_label()
        .and_then(|l| keys.iter().find(|k| k.label == l))
        .or(keys.first())
}

pub(super) fn steps(
    raw: Option<&Value>,
    check: &callback_inspector::Check,
    keys: &[NamedKey],
    received_s: i64,
    now_s: i64,
) -> VerifySteps {
    let t = raw.and_then(cb::expiry_of);
    let received_sign = raw
        .and_then(|v| v.get("sign"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let key = signing_key(check, keys);
    VerifySteps {
        t,
        received_sign,
        key_label: key.map(|k| k.label.clone()),
        key_masked: key.map(|k| mask_key(k.key.expose())),
        md5_input: match (key, t) {
            (Some(k), Some(t)) => Some(format!("{}{t}", mask_key(k.key.expose()))),
            _ => None,
        },
        expected_sign: match (key, t) {
            (Some(k), Some(t)) if t < now_s => Some(cb::sign(&k.key, t)),
            _ => None,
        },
        expected_after: match (key, t) {
            (Some(_), Some(t)) if t >= now_s => Some(t),
            _ => None,
        },
        expires_in: t.map(|t| t.saturating_sub(received_s)),
        keys_tried: u32::try_from(keys.len()).unwrap_or(u32::MAX),
    }
}

pub(super) fn detail(
    e: &callback_inspector::StoredEvent,
    keys: &[NamedKey],
    attempts: Vec<EventSummary>,
    forwards: Vec<ForwardRecord>,
    base: &str,
) -> EventDetail {
    let json: Option<Value> = serde_json::from_slice(&e.request.body).ok();
    EventDetail {
        summary: e.summary(),
        query: e.request.query.clone(),
        headers: e.request.headers.clone(),
        body_text: e.body_text(),
        facts: json
            .as_ref()
            .map(callback_inspector::details::facts_of)
            .unwrap_or_default(),
        steps: steps(
            json.as_ref(),
            &e.check,
            keys,
            e.request.received_at / 1000,
            chrono::Utc::now().timestamp(),
        ),
        json,
        check: e.check.clone(),
        answer: e.answer.clone(),
        attempts,
        forwards,
        curl: tools::curl(e, base),
    }
}

/// A screenshot callback of a stream, for the stream's gallery.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Screenshot {
    pub id: i64,
    /// When it was taken by the body's `event_time`, else when it arrived (UNIX seconds).
    pub at: i64,
    /// The picture's address (`pic_full_url`, else `pic_url`).
    pub url: String,
    /// Whether its signature verified: an unverified one's picture is fetched only when asked.
    pub verified: bool,
}

/// A stream's screenshots for its gallery, oldest first, and whether older ones were left out.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Gallery {
    pub shots: Vec<Screenshot>,
    pub older: bool,
}

/// The most screenshots one gallery shows (the newest).
pub const GALLERY_MAX: u32 = 200;

impl Inspector {
    /// The newest `limit` (60 unless asked, at most [`GALLERY_MAX`]) screenshots of a stream, oldest
    /// first, and whether older ones were left out.
    pub async fn screenshots(&self, stream_id: String, limit: Option<u32>) -> Result<Gallery, AppError> {
        let filter = Filter {
            event_type: Some(tencent_live::callback::EventType::Snapshot.code()),
            stream_id: Some(stream_id),
            limit: Some(limit.unwrap_or(60).clamp(1, GALLERY_MAX)),
            ..Default::default()
        };
        let (events, more) = if let Some(a) = self.attached() {
            a.client.events(&filter).await.map_err(remote_err)?
        } else {
            let Some(r) = self.reading().await? else {
                return Ok(Gallery {
                    shots: Vec::new(),
                    older: false,
                });
            };
            r.store.query_whole(&filter).map_err(store_err)?
        };
        let mut shots: Vec<Screenshot> = events
            .iter()
            .filter_map(|e| {
                let json: Value = serde_json::from_slice(&e.request.body).ok()?;
                let url = callback_inspector::details::facts_of(&json)
                    .into_iter()
                    .find_map(|f| f.image)?;
                Some(Screenshot {
                    id: e.id,
                    at: e.facts.event_time.unwrap_or(e.request.received_at / 1000),
                    url,
                    verified: matches!(e.check, callback_inspector::Check::Valid { .. }),
                })
            })
            .collect();
        shots.reverse();
        Ok(Gallery {
            shots,
            older: more.is_some(),
        })
    }

    pub async fn detail(&self, id: i64) -> Result<EventDetail, AppError> {
        let keys = self.keys();
        if let Some(a) = self.attached() {
            let got = remote_event(&a, id).await?;
            return Ok(detail(&got.event, &keys, got.attempts, got.forwards, &a.callback_url));
        }
        let r = self.reading().await?.ok_or_else(nothing_stored)?;
        let e = event_in(&r.store, id)?;
        let attempts = r.store.attempts(&e.group).map_err(store_err)?;
        let forwards = r.store.forwards(id).map_err(store_err)?;
        Ok(detail(&e, &keys, attempts, forwards, &r.url))
    }

    /// A picture that the stored callback `id` names (a screenshot, an audited image), as a data URL.
    /// Only an address the callback's own facts show is fetched, so the command cannot be pointed at
    /// any other address.
    pub async fn picture(&self, id: i64, url: String) -> Result<String, AppError> {
        let named = {
            let e = match self.attached() {
                Some(a) => remote_event(&a, id).await?.event,
                None => event_in(&self.reading().await?.ok_or_else(nothing_stored)?.store, id)?,
            };
            {
                let json: Option<Value> = serde_json::from_slice(&e.request.body).ok();
                let facts = json
                    .as_ref()
                    .map(callback_inspector::details::facts_of)
                    .unwrap_or_default();
                facts
                    .iter()
                    .any(|f| f.image.as_deref() == Some(url.as_str()))
                    .then_some(url)
            }
        };
        match named {
            Some(url) => crate::images::fetch_data_url(&url).await,
            None => Err(AppError::new(
                AppErrorKind::Validation,
                format!("Callback {id} names no such picture, so nothing was fetched."),
            )),
        }
    }
}
