//! The stream simulator: what happens on Tencent's side when someone pushes a stream. Each event is
//! routed exactly as the service does it: the rule for (domain, AppName) — an AppName-specific rule
//! before a domain-wide one — picks the template, the event's own URL field picks the target, and an
//! empty URL sends nothing.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tencent_live::api::{CallbackTemplate, TemplateFields};
use tencent_live::callback::EventType;
use tencent_live::secret::Secret;

use crate::delivery::{self, Outgoing};
use crate::state::World;
use crate::{Emulator, Shared};
use tencent_live::callback::bodies::{self, StreamRef};

/// Which stream: a push domain, an AppName (path) and a stream name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StreamSpec {
    pub domain: String,
    #[serde(default = "default_app")]
    pub app_name: String,
    pub stream_id: String,
    /// The push URL's query string, as reported in `stream_param`.
    #[serde(default)]
    pub stream_param: Option<String>,
}

fn default_app() -> String {
    "live".into()
}

impl StreamSpec {
    pub fn new(domain: &str, app_name: &str, stream_id: &str) -> StreamSpec {
        StreamSpec {
            domain: domain.into(),
            app_name: app_name.into(),
            stream_id: stream_id.into(),
            stream_param: None,
        }
    }
}

/// A single event to simulate on a live stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum StreamEvent {
    Snapshot,
    PornCensorship,
    AudioAudit,
    PushException {
        #[serde(default = "default_exception_types")]
        types: Vec<i64>,
    },
    RecordException {
        #[serde(default = "default_level")]
        level: String,
        #[serde(default = "default_record_exception")]
        kind: i64,
    },
    /// Console-only (no API field configures it): sent to `url`.
    LiveSummary {
        url: String,
    },
}

fn default_exception_types() -> Vec<i64> {
    vec![6]
}
fn default_level() -> String {
    "error".into()
}
fn default_record_exception() -> i64 {
    -16
}

/// What became of one event: sent to a URL (delivery goes on in the background) or not sent, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dispatch {
    pub event_type: i64,
    pub template_id: Option<i64>,
    pub url: Option<String>,
    pub not_sent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    #[error("no account has the domain {0}")]
    UnknownDomain(String),
    #[error("{0} is a playback domain; streams are pushed to push domains")]
    NotPushDomain(String),
    #[error("{0} is already being pushed")]
    AlreadyLive(String),
    #[error("{0} is not being pushed; start it first")]
    NotLive(String),
    #[error("{0}")]
    Invalid(String),
}

/// A push in progress.
#[derive(Debug, Clone)]
pub(crate) struct LiveStream {
    account: String,
    sequence: String,
    session_id: String,
    started: i64,
    snapshots: u32,
}

pub(crate) type LiveStreams = std::sync::Mutex<HashMap<(String, String, String), LiveStream>>;

fn key(spec: &StreamSpec) -> (String, String, String) {
    (spec.domain.clone(), spec.app_name.clone(), spec.stream_id.clone())
}

fn label(spec: &StreamSpec) -> String {
    format!("{}/{}/{}", spec.domain, spec.app_name, spec.stream_id)
}

/// The account that owns a push domain.
fn owner(world: &World, domain: &str) -> Result<String, SimError> {
    let (id, account) = world
        .accounts
        .iter()
        .find(|(_, a)| a.domains.iter().any(|d| d.name == domain))
        .ok_or_else(|| SimError::UnknownDomain(domain.to_owned()))?;
    match account.domains.iter().find(|d| d.name == domain) {
        Some(d) if d.is_push() => Ok(id.clone()),
        _ => Err(SimError::NotPushDomain(domain.to_owned())),
    }
}

/// The template that receives callbacks for (domain, AppName) at `now`, if a rule in effect binds one.
fn template_for(
    shared: &Shared,
    world: &World,
    account: &str,
    domain: &str,
    app: &str,
    now: i64,
) -> Option<CallbackTemplate> {
    let acc = world.accounts.get(account)?;
    let delay = shared
        .delivery
        .binding_delay
        .map(|d| shared.delivery.scaled(d).as_secs_f64())
        .unwrap_or(0.0);
    let in_effect = |r: &&tencent_live::api::CallbackRule| {
        r.domain_name == domain && r.create_time.unix().is_none_or(|t| (now - t) as f64 >= delay)
    };
    let rule = acc
        .rules
        .iter()
        .filter(in_effect)
        .find(|r| r.app_name == app)
        .or_else(|| acc.rules.iter().filter(in_effect).find(|r| r.app_name.is_empty()))?;
    acc.templates.get(&rule.template_id).cloned()
}

fn url_for(t: &CallbackTemplate, event: EventType) -> Option<String> {
    let fields = TemplateFields::from_template(t);
    let field = event.template_field()?;
    fields
        .urls()
        .into_iter()
        .find(|(f, _)| *f == field)
        .map(|(_, u)| u.to_owned())
}

impl Emulator {
    fn stream_ref(&self, account: &str, spec: &StreamSpec) -> StreamRef {
        let appid = self.shared.snapshot_appid(account);
        StreamRef {
            appid,
            domain: spec.domain.clone(),
            app_name: spec.app_name.clone(),
            stream_id: spec.stream_id.clone(),
            stream_param: spec
                .stream_param
                .clone()
                .unwrap_or_else(|| "txSecret=livehook&txTime=ffffffff".into()),
            user_ip: "127.0.0.1".into(),
        }
    }

    /// Route `body` for `event` and start its delivery. `explicit` overrides the URL (console-only events).
    fn dispatch(
        &self,
        account: &str,
        spec: &StreamSpec,
        event: EventType,
        body: Value,
        explicit: Option<&str>,
    ) -> Dispatch {
        let now = self.shared.clock.now_unix();
        let world = self.shared.snapshot_ref();
        let template = template_for(&self.shared, &world, account, &spec.domain, &spec.app_name, now);
        drop(world);
        let code = event.code();
        let (url, not_sent) = match (&template, explicit) {
            (_, Some(u)) => (Some(u.to_owned()), None),
            (None, None) => (
                None,
                Some(format!(
                    "no callback rule in effect binds {} and AppName {}",
                    spec.domain, spec.app_name
                )),
            ),
            (Some(t), None) => match url_for(t, event) {
                Some(u) => (Some(u), None),
                None => (
                    None,
                    Some(format!(
                        "template {} has no {}",
                        t.template_id,
                        event.template_field().unwrap_or("URL for this event")
                    )),
                ),
            },
        };
        if let Some(u) = &url {
            delivery::spawn(
                self.shared.clone(),
                Outgoing {
                    account: account.to_owned(),
                    event_type: code,
                    stream_id: spec.stream_id.clone(),
                    url: u.clone(),
                    key: Secret::new(template.as_ref().map(|t| t.callback_key.clone()).unwrap_or_default()),
                    body,
                },
            );
        }
        Dispatch {
            event_type: code,
            template_id: template.map(|t| t.template_id),
            url,
            not_sent,
        }
    }

    /// Could `spec` be pushed now? (Valid names, a push domain some account owns, not already live.)
    pub fn check_stream(&self, spec: &StreamSpec) -> Result<(), SimError> {
        check(spec)?;
        owner(&self.shared.snapshot_ref(), &spec.domain)?;
        let streams = self.shared.streams.lock().unwrap_or_else(|p| p.into_inner());
        if streams.contains_key(&key(spec)) {
            return Err(SimError::AlreadyLive(label(spec)));
        }
        Ok(())
    }

    /// Start pushing: event 1 (push started) and 332 (recording started).
    pub fn start_push(&self, spec: &StreamSpec) -> Result<Vec<Dispatch>, SimError> {
        check(spec)?;
        let account = owner(&self.shared.snapshot_ref(), &spec.domain)?;
        let now = self.shared.clock.now_unix();
        let live = {
            let mut streams = self.shared.streams.lock().unwrap_or_else(|p| p.into_inner());
            if streams.contains_key(&key(spec)) {
                return Err(SimError::AlreadyLive(label(spec)));
            }
            let live = LiveStream {
                account: account.clone(),
                sequence: format!("{}{:010}", now, rand::random::<u32>()),
                session_id: format!("{}", rand::random::<u64>() >> 1),
                started: now,
                snapshots: 0,
            };
            streams.insert(key(spec), live.clone());
            live
        };
        let s = self.stream_ref(&account, spec);
        Ok(vec![
            self.dispatch(
                &account,
                spec,
                EventType::StreamBegin,
                bodies::push(&s, true, &live.sequence, now, 0, None),
                None,
            ),
            self.dispatch(
                &account,
                spec,
                EventType::RecordStatus,
                bodies::record_status(&s, "record_start_succeeded", &live.session_id, &live.sequence, now),
                None,
            ),
        ])
    }

    /// Stop pushing with an interruption code (1 = the client stopped): 332 (recording ended),
    /// 100 (the recording file) and 0 (interrupted, with the push duration).
    pub fn stop_push(&self, spec: &StreamSpec, errcode: i64) -> Result<Vec<Dispatch>, SimError> {
        let live = self
            .shared
            .streams
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key(spec))
            .ok_or_else(|| SimError::NotLive(label(spec)))?;
        let now = self.shared.clock.now_unix();
        let s = self.stream_ref(&live.account, spec);
        let file_id = format!("{}", 5_285_890_000_000_000_000u64 + u64::from(rand::random::<u32>()));
        let a = &live.account;
        Ok(vec![
            self.dispatch(
                a,
                spec,
                EventType::RecordStatus,
                bodies::record_status(&s, "record_ended", &live.session_id, &live.sequence, now),
                None,
            ),
            self.dispatch(
                a,
                spec,
                EventType::RecordFile,
                bodies::record_file(&s, &live.session_id, &file_id, live.started, now),
                None,
            ),
            self.dispatch(
                a,
                spec,
                EventType::StreamEnd,
                bodies::push(
                    &s,
                    false,
                    &live.sequence,
                    now,
                    errcode,
                    Some((now - live.started) * 1000),
                ),
                None,
            ),
        ])
    }

    /// One event on a stream that is being pushed.
    pub fn stream_event(&self, spec: &StreamSpec, event: &StreamEvent) -> Result<Vec<Dispatch>, SimError> {
        let mut streams = self.shared.streams.lock().unwrap_or_else(|p| p.into_inner());
        let live = streams
            .get_mut(&key(spec))
            .ok_or_else(|| SimError::NotLive(label(spec)))?;
        live.snapshots += u32::from(matches!(event, StreamEvent::Snapshot));
        let live = live.clone();
        drop(streams);
        let now = self.shared.clock.now_unix();
        let s = self.stream_ref(&live.account, spec);
        let a = &live.account;
        let media = self.shared.media_base.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let one = |event, mut body: Value| {
            if let Some(base) = &media {
                crate::media::rehome(&mut body, base);
            }
            vec![self.dispatch(a, spec, event, body, None)]
        };
        Ok(match event {
            StreamEvent::Snapshot => one(EventType::Snapshot, bodies::snapshot(&s, now, live.snapshots)),
            StreamEvent::PornCensorship => one(EventType::ImageAudit, bodies::image_audit(&s, now)),
            StreamEvent::AudioAudit => one(EventType::AudioAudit, bodies::audio_audit(&s, now)),
            StreamEvent::PushException { types } => {
                if types.is_empty() {
                    return Err(SimError::Invalid("give at least one push exception type (1–16)".into()));
                }
                one(
                    EventType::PushException,
                    bodies::push_exception(&s, &live.sequence, now, types),
                )
            }
            StreamEvent::RecordException { level, kind } => {
                if !tencent_live::validate::API_LEVELS.contains(&level.as_str()) {
                    return Err(SimError::Invalid(format!(
                        "level must be error, warning or info, not {level:?}"
                    )));
                }
                // Only the levels the template asks for are reported; "error" when it names none.
                let world = self.shared.snapshot_ref();
                let template = template_for(&self.shared, &world, a, &spec.domain, &spec.app_name, now);
                drop(world);
                let wanted = template
                    .as_ref()
                    .map(|t| t.record_exception_levels.clone())
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| vec!["error".into()]);
                if template.is_some() && !wanted.contains(level) {
                    vec![Dispatch {
                        event_type: EventType::RecordException.code(),
                        template_id: template.map(|t| t.template_id),
                        url: None,
                        not_sent: Some(format!("the template reports levels {} only", wanted.join(", "))),
                    }]
                } else {
                    one(
                        EventType::RecordException,
                        bodies::record_exception(&s, &live.session_id, now, level, *kind),
                    )
                }
            }
            StreamEvent::LiveSummary { url } => {
                if !tencent_live::validate::is_http_url(url) {
                    return Err(SimError::Invalid(format!("{url:?} is not an http(s) URL")));
                }
                vec![self.dispatch(
                    a,
                    spec,
                    EventType::LiveSummary,
                    bodies::live_summary(&s, live.started, now),
                    Some(url),
                )]
            }
        })
    }

    /// A whole session for each stream, in the order the service produces events: push, recording start,
    /// screenshots, an image and an audio audit hit, then recording end, the file and the interruption.
    /// `step` is the pause between events (divided by the time scale).
    pub async fn scenario(
        &self,
        streams: &[StreamSpec],
        snapshots: u32,
        step: Duration,
    ) -> Result<Vec<Dispatch>, SimError> {
        let pause = self.shared.delivery.scaled(step);
        let mut all = Vec::new();
        for spec in streams {
            all.extend(self.start_push(spec)?);
        }
        for _ in 0..snapshots {
            tokio::time::sleep(pause).await;
            for spec in streams {
                all.extend(self.stream_event(spec, &StreamEvent::Snapshot)?);
            }
        }
        tokio::time::sleep(pause).await;
        for spec in streams {
            all.extend(self.stream_event(spec, &StreamEvent::PornCensorship)?);
            all.extend(self.stream_event(spec, &StreamEvent::AudioAudit)?);
        }
        tokio::time::sleep(pause).await;
        for spec in streams {
            all.extend(self.stop_push(spec, 1)?);
        }
        Ok(all)
    }

    /// Streams being pushed now.
    pub fn live_streams(&self) -> Vec<StreamSpec> {
        let streams = self.shared.streams.lock().unwrap_or_else(|p| p.into_inner());
        let mut list: Vec<StreamSpec> = streams.keys().map(|(d, a, s)| StreamSpec::new(d, a, s)).collect();
        list.sort_by(|a, b| (&a.domain, &a.app_name, &a.stream_id).cmp(&(&b.domain, &b.app_name, &b.stream_id)));
        list
    }
}

fn check(spec: &StreamSpec) -> Result<(), SimError> {
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if !ok(&spec.stream_id) {
        return Err(SimError::Invalid("stream ids use letters, digits, _, - and .".into()));
    }
    if !spec.app_name.is_empty() && !ok(&spec.app_name) {
        return Err(SimError::Invalid("AppNames use letters, digits, _, - and .".into()));
    }
    Ok(())
}
