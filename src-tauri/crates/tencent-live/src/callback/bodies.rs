//! Callback bodies as Tencent sends them, one builder per event type, with every documented field:
//! the emulator delivers them and the inspector sends them as test events. `t` and `sign` are added
//! when one is sent ([`super::delivery::seal`]).

use serde_json::{json, Value};

/// The stream an event is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamRef {
    pub appid: i64,
    pub domain: String,
    pub app_name: String,
    pub stream_id: String,
    pub stream_param: String,
    pub user_ip: String,
}

/// Push started (1) or interrupted (0). `push_duration_ms` only for interruptions.
pub fn push(
    s: &StreamRef,
    begin: bool,
    sequence: &str,
    now: i64,
    errcode: i64,
    push_duration_ms: Option<i64>,
) -> Value {
    let errmsg = if begin {
        "ok".to_owned()
    } else {
        super::interruption_reason(errcode).0.to_owned()
    };
    let mut body = json!({
        "event_type": if begin { 1 } else { 0 },
        "appid": s.appid,
        "app": s.domain,
        "appname": s.app_name,
        "stream_id": s.stream_id,
        "channel_id": s.stream_id,
        "event_time": now,
        "sequence": sequence,
        "node": "127.0.0.1",
        "user_ip": s.user_ip,
        "stream_param": s.stream_param,
        "errcode": errcode,
        "errmsg": errmsg,
        "set_id": 2,
        "width": 1280,
        "height": 720,
        "idc_id": 34,
    });
    if let Some(ms) = push_duration_ms {
        body["push_duration"] = json!(ms.to_string());
    }
    body
}

/// Recording status (332).
pub fn record_status(s: &StreamRef, record_event: &str, session_id: &str, seq: &str, now: i64) -> Value {
    let detail = json!({"file_format": 3, "record_bps": 0, "start_model": 1, "record_content": 1, "source_type": 1, "codec_temp_id": 0});
    json!({
        "event_type": 332,
        "appid": s.appid,
        "appname": s.app_name,
        "domain": s.domain,
        "event_time": now,
        "record_detail": detail.to_string(),
        "record_event": record_event,
        "seq": seq,
        "session_id": session_id,
        "stream_id": s.stream_id,
        "task_id": "",
    })
}

/// A recording file (100) covering `start`..`end`.
pub fn record_file(s: &StreamRef, session_id: &str, file_id: &str, start: i64, end: i64) -> Value {
    let duration = (end - start).max(1);
    json!({
        "event_type": 100,
        "appid": s.appid,
        "app": s.domain,
        "appname": s.app_name,
        "stream_id": s.stream_id,
        "channel_id": s.stream_id,
        "file_id": file_id,
        "record_file_id": file_id,
        "record_temp_id": "",
        "file_format": "mp4",
        "task_id": "",
        "start_time": start,
        "end_time": end,
        "start_time_usec": 0,
        "end_time_usec": 0,
        "duration": duration,
        "file_size": duration * 250_000,
        "stream_param": s.stream_param,
        "video_url": format!("http://{}.vod2.myqcloud.com/livehook/{file_id}/{}.mp4", s.appid, s.stream_id),
        "media_start_time": 0,
        "record_bps": 0,
        "callback_ext": json!({"video_codec": "h264", "resolution": "1280x720", "session_id": session_id}).to_string(),
    })
}

/// A screenshot (200).
pub fn snapshot(s: &StreamRef, now: i64, n: u32) -> Value {
    let path = format!("/{}/{}-{now}-{n}.jpg", s.stream_id, s.stream_id);
    json!({
        "event_type": 200,
        "app": s.domain,
        "appname": s.app_name,
        "stream_id": s.stream_id,
        "channel_id": s.stream_id,
        "stream_param": s.stream_param,
        "create_time": now,
        "file_size": 48_213,
        "width": 1280,
        "height": 720,
        "pic_url": path,
        "pic_full_url": format!("http://{}.picsh.myqcloud.com{path}", s.appid),
        "task_id": format!("snapshot-{}", s.stream_id),
    })
}

/// An image audit hit (317).
pub fn image_audit(s: &StreamRef, now: i64) -> Value {
    json!({
        "event_type": 317,
        "appid": s.appid,
        "app": s.domain,
        "appname": s.app_name,
        "stream_param": s.stream_param,
        "streamId": s.stream_id,
        "channelId": s.stream_id,
        "img": format!("http://{}.picsh.myqcloud.com/{}/audit-{now}.jpg", s.appid, s.stream_id),
        "type": [1],
        "score": [91],
        "ocrMsg": "",
        "suggestion": "Review",
        "label": "Porn",
        "subLabel": "SexyBehavior",
        "labelResults": [{"Scene": "Porn", "Suggestion": "Review", "Label": "Porn", "SubLabel": "SexyBehavior", "Score": 91, "HitFlag": 1, "Details": [{"Id": 0, "Name": "SexyBehavior", "Score": 91}]}],
        "objectResults": [],
        "ocrResults": [],
        "libResults": [],
        "screenshotTime": now,
        "sendTime": now,
    })
}

/// An audio audit hit (315).
pub fn audio_audit(s: &StreamRef, now: i64) -> Value {
    json!({
        "event_type": 315,
        "appid": s.appid,
        "bizid": s.appid,
        "stream_id": s.stream_id,
        "channel_id": s.stream_id,
        "domain": s.domain,
        "path": s.app_name,
        "HitFlag": 1,
        "Score": 87,
        "SubTag": "",
        "task_id": now,
        "status": 2,
        "asr_text": "加我微信领取优惠",
        "cdn_url": format!("http://{}.vod2.myqcloud.com/audio/{}-{now}.mp3", s.appid, s.stream_id),
        "duration": 15,
        "label": "Ad",
        "sub_label": "",
        "suggestion": "Review",
        "language_results": [],
        "moan_results": [],
        "recognition_results": [],
        "speaker_results": [],
        "text_results": [{"Label": "Ad", "Keywords": ["微信"], "LibId": "", "LibName": "", "Score": 87, "Suggestion": "Review", "LibType": 1, "SubLabel": "", "HitInfos": []}],
        "request_id": format!("audio-{now}"),
        "seq": now.to_string(),
        "interface": "general_callback",
    })
}

/// Push exceptions seen in one reporting interval (321).
pub fn push_exception(s: &StreamRef, sequence: &str, now: i64, types: &[i64]) -> Value {
    let events: Vec<Value> = types
        .iter()
        .map(|&t| {
            let (en, zh) = super::push_exception_description(t);
            json!({"count": 1, "customer_visible": "true", "detail": [{"desc": en, "occur_time": now * 1000}],
                   "event_key": format!("push_exception_{t}"), "type": t, "type_desc_cn": zh, "type_desc_en": en})
        })
        .collect();
    json!({
        "event_type": 321,
        "appid": s.appid,
        "user_ip": s.user_ip,
        "data_time": now * 1000,
        "domain": s.domain,
        "path": s.app_name,
        "report_interval": 60_000,
        "sequence": sequence,
        "stream_id": s.stream_id,
        "stream_param": s.stream_param,
        "timeout": 5000,
        "abnormal_event": events,
        "interface": "general_callback",
    })
}

/// A recording exception (341).
pub fn record_exception(s: &StreamRef, session_id: &str, now: i64, level: &str, kind: i64) -> Value {
    json!({
        "event_type": 341,
        "appid": s.appid,
        "stream_id": s.stream_id,
        "session_id": session_id,
        "file_format": "MP4",
        "timestamp": now,
        "exception_level": level,
        "exception": {"type": kind, "occurs": 1, "desc": super::record_exception_description(kind).0},
        "interface": "general_callback",
        "domain": s.domain,
        "path": s.app_name,
    })
}

/// A live summary (348).
pub fn live_summary(s: &StreamRef, begin: i64, end: i64) -> Value {
    json!({
        "event_type": 348,
        "appid": s.appid,
        "domain": s.domain,
        "path": s.app_name,
        "stream_id": s.stream_id,
        "begin_time": begin,
        "end_time": end,
        "title": format!("{} 直播回顾", s.stream_id),
        "summary": "主播介绍了新品并回答了观众提问。",
        "key_words": ["新品", "问答"],
        "key_points": [{"time": begin, "point": "开场"}],
    })
}

/// A relay (pull) task alarm (314): the source stream of a pull task stopped.
pub fn pull_task_alarm(s: &StreamRef, now: i64) -> Value {
    let source = "https://source.example.com/live/origin.flv";
    json!({
        "event_type": 314,
        "appid": s.appid,
        "callback_event": "PullTaskAlarm",
        "source_urls": json!([source]).to_string(),
        "to_url": format!("rtmp://{}/{}/{}", s.domain, s.app_name, s.stream_id),
        "stream_id": s.stream_id,
        "task_id": "63229997",
        "msg": json!({"task_start_time": now - 60, "url": source, "code": 3, "message": "source stream interrupted", "type": "PullTimeout"}).to_string(),
        "event_time": now,
    })
}
