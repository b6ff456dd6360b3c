//! What a person looks for first in a callback, per event type, read from `tencent-live`'s typed event
//! models: every field Tencent documents for the type that the body carries, labelled in both
//! languages, with values explained (interruption reasons, exception types, audit suggestions).

use chrono::TimeZone;
use serde::Serialize;
use tencent_live::callback::{self as cb, Callback, CallbackEvent};

/// One labelled fact of a callback, as the detail view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Fact {
    pub en: String,
    pub zh: String,
    pub value: String,
    /// The value in Chinese, where it is a word Tencent documents in both languages.
    pub value_zh: Option<String>,
    /// A link to open (recording file, screenshot, audio).
    pub link: Option<String>,
    /// A picture to preview (screenshot, audited image); the UI asks the backend for it.
    pub image: Option<String>,
}

#[derive(Default)]
struct Facts(Vec<Fact>);

impl Facts {
    fn push(&mut self, en: &str, zh: &str, value: String) -> &mut Fact {
        self.0.push(Fact {
            en: en.into(),
            zh: zh.into(),
            value,
            value_zh: None,
            link: None,
            image: None,
        });
        self.0.last_mut().expect("just pushed")
    }

    fn text(&mut self, en: &str, zh: &str, v: &str) {
        if !v.trim().is_empty() {
            self.push(en, zh, v.to_owned());
        }
    }

    fn both(&mut self, en: &str, zh: &str, value: (&str, &str)) {
        self.push(en, zh, value.0.to_owned()).value_zh = Some(value.1.to_owned());
    }

    fn num(&mut self, en: &str, zh: &str, v: Option<i64>) {
        if let Some(v) = v {
            self.push(en, zh, v.to_string());
        }
    }

    /// A UNIX time (seconds) in the computer's time zone, `YYYY-MM-DD HH:MM:SS` like every time the app
    /// shows; one past chrono's range is shown as the number.
    fn time(&mut self, en: &str, zh: &str, v: Option<i64>) {
        if let Some(t) = v.filter(|t| *t > 0) {
            let shown = chrono::Local
                .timestamp_opt(t, 0)
                .single()
                .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| t.to_string());
            self.push(en, zh, shown);
        }
    }

    fn time_ms(&mut self, en: &str, zh: &str, v: Option<i64>) {
        self.time(en, zh, v.map(|ms| ms / 1000));
    }

    fn bytes(&mut self, en: &str, zh: &str, v: Option<i64>) {
        if let Some(n) = v {
            let shown = if n >= 1_000_000 {
                format!("{:.1} MB ({n} bytes)", n as f64 / 1e6)
            } else if n >= 1000 {
                format!("{:.1} KB ({n} bytes)", n as f64 / 1e3)
            } else {
                format!("{n} bytes")
            };
            self.push(en, zh, shown);
        }
    }

    /// A URL from the body: a link only when it is http or https (a `javascript:` or `file:` one is
    /// shown as text).
    fn link(&mut self, en: &str, zh: &str, url: &str) {
        if !url.is_empty() {
            let f = self.push(en, zh, url.to_owned());
            f.link = web_url(url);
        }
    }

    fn picture(&mut self, en: &str, zh: &str, url: &str) {
        if !url.is_empty() {
            let f = self.push(en, zh, url.to_owned());
            f.link = web_url(url);
            f.image = web_url(url);
        }
    }

    fn size(&mut self, w: Option<i64>, h: Option<i64>) {
        if let (Some(w), Some(h)) = (w, h) {
            if w > 0 || h > 0 {
                self.push("Width × height", "宽 × 高", format!("{w} × {h}"));
            }
        }
    }

    fn suggestion(&mut self, v: &str) {
        let zh = match v {
            "Block" => "违规",
            "Review" => "疑似，建议人工复审",
            "Pass" => "正常",
            _ => v,
        };
        if !v.is_empty() {
            self.both("Suggestion", "处置建议", (v, zh));
        }
    }
}

fn joined(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

fn region(set_id: Option<i64>) -> Option<(&'static str, &'static str)> {
    match set_id? {
        1..=6 => Some(("Chinese mainland", "中国大陆")),
        7..=200 => Some(("Outside the Chinese mainland", "中国大陆以外")),
        _ => None,
    }
}

fn record_event_name(v: &str) -> (&str, &str) {
    match v {
        "record_start_succeeded" => ("Recording started", "录制开始"),
        "record_start_failed" => ("Recording failed to start", "录制启动失败"),
        "record_paused" => ("Recording paused", "录制暂停"),
        "record_resumed" => ("Recording resumed", "录制恢复"),
        "record_error" => ("Recording error", "录制异常"),
        "record_ended" => ("Recording ended", "录制结束"),
        other => (other, other),
    }
}

/// The facts of one callback body.
pub fn facts_of(raw: &serde_json::Value) -> Vec<Fact> {
    let Ok(callback) = Callback::from_value(raw.clone()) else {
        return Vec::new();
    };
    let mut f = Facts::default();
    // Which stream, under which domain and AppName: every type names them, each in its own fields.
    let (domain, app) = callback.domain_and_app();
    f.text("Stream", "流名称", callback.stream_id().unwrap_or_default());
    f.text("Domain", "推流域名", domain.unwrap_or_default());
    f.text("AppName", "AppName", app.unwrap_or_default());
    match &callback.event {
        CallbackEvent::StreamBegin(e) | CallbackEvent::StreamEnd(e) => {
            f.text("Push session", "推流会话", &e.sequence);
            f.time("Event time", "事件时间", e.event_time);
            if matches!(callback.event, CallbackEvent::StreamEnd(_)) {
                let code = e.errcode.unwrap_or_default();
                let (en, zh) = cb::interruption_reason(code);
                let detail = if e.errmsg.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.errmsg)
                };
                f.push("Reason", "断流原因", format!("{code}: {en}{detail}")).value_zh =
                    Some(format!("{code}：{zh}{detail}"));
                if let Some(ms) = e.push_duration {
                    f.push(
                        "Push duration",
                        "推流时长",
                        format!("{:.1} s ({ms} ms)", ms as f64 / 1000.0),
                    );
                }
            } else if e.errcode.is_some_and(|c| c != 0) {
                f.text(
                    "Message",
                    "信息",
                    &format!("{}: {}", e.errcode.unwrap_or_default(), e.errmsg),
                );
            }
            f.text("Client IP", "推流 IP", &e.user_ip);
            f.text("Ingest node", "接入节点", &e.node);
            if let Some(r) = region(e.set_id) {
                f.both("Pushed from", "推流地区", r);
            }
            f.size(e.width, e.height);
            f.text("Push parameters", "推流参数", &e.stream_param);
            f.num("APPID", "APPID", e.appid);
        }
        CallbackEvent::RecordFile(e) => {
            f.text("Format", "格式", &e.file_format);
            f.time("Recording started", "录制开始", e.start_time);
            f.time("Recording ended", "录制结束", e.end_time);
            if let Some(d) = e.duration {
                f.push("Duration", "时长", format!("{d} s"));
            }
            f.bytes("Size", "大小", e.file_size);
            if let Some(bps) = e.record_bps.filter(|b| *b > 0) {
                f.push("Bitrate", "码率", format!("{bps} kbps"));
            }
            f.text("File ID", "文件 ID", &e.file_id);
            f.text("Recording file ID", "录制文件 ID", &e.record_file_id);
            f.text("Recording template", "录制模板", &e.record_temp_id);
            f.text("Task ID", "任务 ID", &e.task_id);
            if let Some(ext) = &e.callback_ext.parsed {
                f.text("Video codec", "视频编码", &ext.video_codec);
                f.text("Resolution", "分辨率", &ext.resolution);
                f.text("Recording session", "录制会话", &ext.session_id);
            }
            f.link("File", "文件", &e.video_url);
            f.text("Push parameters", "推流参数", &e.stream_param);
        }
        CallbackEvent::Snapshot(e) => {
            f.time("Taken at", "截图时间", e.create_time);
            f.size(e.width, e.height);
            f.bytes("Size", "大小", e.file_size);
            f.text("Task ID", "任务 ID", &e.task_id);
            let url = if e.pic_full_url.is_empty() {
                &e.pic_url
            } else {
                &e.pic_full_url
            };
            f.picture("Screenshot", "截图", url);
        }
        CallbackEvent::ImageAudit(e) => {
            f.suggestion(&e.suggestion);
            f.text("Label", "标签", &e.label);
            f.text("Sub-label", "子标签", &e.sub_label);
            if !e.score.is_empty() {
                f.push("Score (0–100)", "分数（0–100）", joined(&e.score));
            }
            if !e.types.is_empty() {
                f.push("Category", "类别", joined(&e.types));
            }
            f.text("Text in the image", "图中文字", &e.ocr_msg);
            f.time("Screenshot time", "截图时间", e.screenshot_time);
            f.time("Sent at", "发送时间", e.send_time);
            f.picture("Audited image", "审核图片", &e.img);
        }
        CallbackEvent::AudioAudit(e) => {
            f.suggestion(&e.suggestion);
            f.text("Label", "标签", &e.label);
            f.text("Sub-label", "子标签", &e.sub_label);
            f.num("Score (0–100)", "分数（0–100）", e.score);
            if let Some(hit) = e.hit_flag {
                f.both("Hit", "命中", if hit == 1 { ("yes", "是") } else { ("no", "否") });
            }
            f.text("Transcript", "识别文本", &e.asr_text);
            if let Some(d) = e.duration {
                f.push("Duration", "时长", format!("{d} s"));
            }
            f.link("Audio", "音频", &e.cdn_url);
            f.text("Task ID", "任务 ID", &e.task_id);
        }
        CallbackEvent::PushException(e) => {
            f.text("Push session", "推流会话", &e.sequence);
            f.text("Client IP", "推流 IP", &e.user_ip);
            f.time_ms("Reported at", "上报时间", e.data_time);
            if let Some(ms) = e.report_interval {
                f.push("Report interval", "上报间隔", format!("{} s", ms / 1000));
            }
            for a in &e.abnormal_event {
                let ty = a.exception_type.unwrap_or_default();
                let (en, zh) = cb::push_exception_description(ty);
                let times = a.count.map(|c| format!(" ×{c}")).unwrap_or_default();
                f.push("Exception", "异常", format!("{ty}: {en}{times}")).value_zh = Some(format!("{ty}：{zh}{times}"));
            }
        }
        CallbackEvent::RecordStatus(e) => {
            f.both("Recording event", "录制事件", record_event_name(&e.record_event));
            f.time("Event time", "事件时间", e.event_time);
            if let Some(d) = &e.record_detail.parsed {
                f.text("Format", "格式", d.format_name());
                if let Some(bps) = d.record_bps.filter(|b| *b > 0) {
                    f.push("Bitrate", "码率", format!("{bps} kbps"));
                }
                match d.start_model {
                    Some(1) => f.both("Started by", "发起方式", ("a recording template rule", "录制模板规则")),
                    Some(5) => f.both("Started by", "发起方式", ("an API call", "API 调用")),
                    _ => {}
                }
                match d.record_content {
                    Some(1) => f.both("Content", "录制内容", ("original stream", "原始流")),
                    Some(2) => f.both("Content", "录制内容", ("watermarked stream", "水印流")),
                    Some(3) => f.both("Content", "录制内容", ("transcoded stream", "转码流")),
                    _ => {}
                }
            }
            f.text("Recording session", "录制会话", &e.session_id);
            f.text("Task ID", "任务 ID", &e.task_id);
        }
        CallbackEvent::RecordException(e) => {
            f.text("Level", "级别", &e.exception_level);
            if let Some(ty) = e.exception.exception_type {
                let (en, zh) = cb::record_exception_description(ty);
                let desc = if e.exception.desc.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.exception.desc)
                };
                f.push("Exception", "异常", format!("{ty}: {en}{desc}")).value_zh = Some(format!("{ty}：{zh}{desc}"));
            }
            f.num("Occurrences", "次数", e.exception.occurs);
            f.text("Format", "格式", &e.file_format);
            f.time("Time", "时间", e.timestamp);
            f.text("Recording session", "录制会话", &e.session_id);
        }
        CallbackEvent::Relay(e) => {
            f.text("Relay event", "转推事件", &e.callback_event);
            f.text("Task ID", "任务 ID", &e.task_id);
            f.text("Pushed to", "推流目标", &e.to_url);
            if let Some(urls) = &e.source_urls.parsed {
                f.text("Sources", "源地址", &urls.join("\n"));
            }
            if let Some(m) = &e.msg.parsed {
                if m.code.is_some() || !m.message.is_empty() {
                    f.push(
                        "Message",
                        "信息",
                        format!("{}: {}", m.code.unwrap_or_default(), m.message),
                    );
                }
            }
            f.time("Event time", "事件时间", e.event_time);
        }
        CallbackEvent::LiveSummary(e) => {
            f.text("Title", "标题", &e.title);
            f.text("Summary", "摘要", &e.summary);
            f.text("Key words", "关键词", &e.key_words.join(", "));
            f.time("Began", "开始", e.begin_time);
            f.time("Ended", "结束", e.end_time);
        }
        CallbackEvent::Unknown { .. } => {}
    }
    f.0
}

/// `url` when it is an http or https address with a host; anything else is not linked.
pub fn web_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    (matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some()).then(|| url.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn find<'a>(facts: &'a [Fact], en: &str) -> &'a Fact {
        facts
            .iter()
            .find(|f| f.en == en)
            .unwrap_or_else(|| panic!("no fact {en}: {facts:?}"))
    }

    #[test]
    fn only_http_and_https_urls_become_links_or_pictures() {
        for url in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<b>x</b>",
            "ftp://x/y",
            "http://",
        ] {
            let facts = facts_of(&json!({"event_type": 200, "stream_id": "s", "pic_full_url": url}));
            let shot = find(&facts, "Screenshot");
            assert_eq!(shot.value, url, "still shown as text");
            assert_eq!(shot.link, None, "{url} linked");
            assert_eq!(shot.image, None, "{url} as a picture");
            let facts = facts_of(&json!({"event_type": 100, "stream_id": "s", "video_url": url}));
            assert!(facts.iter().all(|f| f.link.is_none()), "{url}: {facts:?}");
        }
        let facts =
            facts_of(&json!({"event_type": 200, "stream_id": "s", "pic_full_url": "HTTPS://cdn.example.com/a.jpg"}));
        assert_eq!(
            find(&facts, "Screenshot").image.as_deref(),
            Some("HTTPS://cdn.example.com/a.jpg")
        );
    }

    /// Numbers at the limits of i64 and u64 (and past them) are shown or left out, never a panic.
    #[test]
    fn extreme_numbers_are_shown_without_a_panic() {
        for n in [
            json!(i64::MAX),
            json!(i64::MIN),
            json!(u64::MAX),
            json!(1e300),
            json!(-1e300),
            json!("99999999999999999999"),
        ] {
            for ty in [0, 1, 100, 200, 314, 315, 317, 321, 332, 333, 341, 348, i64::MAX] {
                let body = json!({"event_type": ty, "stream_id": "s", "t": n, "event_time": n, "file_size": n,
                    "duration": n, "start_time": n, "end_time": n, "push_duration": n, "width": n, "height": n,
                    "send_time": n, "create_time": n, "score": n, "seq": n});
                let _ = facts_of(&body);
            }
        }
    }

    #[test]
    fn a_screenshot_shows_width_and_height_and_its_picture() {
        let facts = facts_of(
            &json!({"event_type": 200, "stream_id": "s", "width": 1280, "height": 720,
            "pic_full_url": "http://127.0.0.1:1/shot.jpg", "file_size": 20480, "create_time": 1700000000}),
        );
        assert_eq!(find(&facts, "Width × height").value, "1280 × 720");
        assert_eq!(
            find(&facts, "Screenshot").image.as_deref(),
            Some("http://127.0.0.1:1/shot.jpg")
        );
        assert_eq!(find(&facts, "Size").value, "20.5 KB (20480 bytes)");
    }

    #[test]
    fn an_audio_audit_shows_score_transcript_and_audio() {
        let facts = facts_of(&json!({"event_type": 315, "stream_id": "s", "domain": "d", "Score": 87,
            "asr_text": "你好", "cdn_url": "https://a.example.com/a.mp3", "suggestion": "Review", "HitFlag": 1}));
        assert_eq!(find(&facts, "Score (0–100)").value, "87");
        assert_eq!(find(&facts, "Transcript").value, "你好");
        assert_eq!(
            find(&facts, "Audio").link.as_deref(),
            Some("https://a.example.com/a.mp3")
        );
        assert_eq!(
            find(&facts, "Suggestion").value_zh.as_deref(),
            Some("疑似，建议人工复审")
        );
    }

    #[test]
    fn an_image_audit_names_its_stream_and_shows_its_image() {
        let facts = facts_of(
            &json!({"event_type": 317, "streamId": "s9", "img": "http://127.0.0.1:1/a.jpg",
            "type": [1], "score": [91], "suggestion": "Block", "label": "Porn"}),
        );
        assert_eq!(find(&facts, "Stream").value, "s9");
        assert_eq!(find(&facts, "Score (0–100)").value, "91");
        assert_eq!(
            find(&facts, "Audited image").image.as_deref(),
            Some("http://127.0.0.1:1/a.jpg")
        );
    }

    #[test]
    fn an_interruption_explains_its_code_in_both_languages() {
        let facts = facts_of(
            &json!({"event_type": 0, "stream_id": "s", "errcode": 1, "errmsg": "recv rtmp deleteStream",
            "push_duration": "61000", "set_id": 2}),
        );
        let reason = find(&facts, "Reason");
        assert!(reason.value.starts_with("1: The client stopped pushing"), "{reason:?}");
        assert!(reason.value_zh.as_deref().is_some_and(|z| z.contains("主动断流")));
        assert_eq!(find(&facts, "Push duration").value, "61.0 s (61000 ms)");
        assert_eq!(find(&facts, "Pushed from").value, "Chinese mainland");
    }
}
