//! Typed callback bodies, one per event type. Every field is optional or defaulted (the service adds and
//! drops fields over time), numbers may arrive as strings, and string fields that carry JSON are parsed.
//!
//! Over 500 lines on purpose: one flat catalogue, one model per event type, side by side so their
//! shared leniency rules stay the same.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lenient::{self, JsonString};

/// Events 1 (push started) and 0 (interrupted).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub app: String,
    #[serde(deserialize_with = "lenient::string")]
    pub appname: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub event_time: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub sequence: String,
    #[serde(deserialize_with = "lenient::string")]
    pub node: String,
    #[serde(deserialize_with = "lenient::string")]
    pub user_ip: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_param: String,
    /// Interruption only: milliseconds, sent as a string.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub push_duration: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub errcode: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub errmsg: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub set_id: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub width: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub height: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub idc_id: Option<i64>,
}

impl StreamEvent {
    /// Was the push made inside the Chinese mainland? (`set_id` 1–6.)
    pub fn inside_mainland(&self) -> Option<bool> {
        self.set_id.map(|s| (1..=6).contains(&s))
    }
}

/// What an interruption code means (DOC-38081), in English and Chinese.
pub fn interruption_reason(errcode: i64) -> (&'static str, &'static str) {
    match errcode {
        1..=4 | 35 => ("The client stopped pushing", "主动断流"),
        5 | 9 | 10 | 11 | 24 => ("Internal server error", "服务内部错误"),
        6 | 23 => ("Malformed RTMP data", "RTMP 数据格式错误"),
        7 => (
            "RTMP frame larger than the configured maximum",
            "RTMP 帧超过配置的最大值",
        ),
        8 | 20 => (
            "No data for a long time; closed by the system",
            "长时间无数据，系统断开",
        ),
        12..=17 => ("Network problem on the push link", "推流链路网络异常"),
        19 => ("Third-party authentication failed", "第三方鉴权失败"),
        33 => ("Bad RTMP AMF data", "RTMP AMF 数据异常"),
        _ => ("Unknown reason", "未知原因"),
    }
}

/// `callback_ext` of a recording file: informational extras.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordCallbackExt {
    #[serde(deserialize_with = "lenient::string")]
    pub video_codec: String,
    #[serde(deserialize_with = "lenient::string")]
    pub resolution: String,
    #[serde(deserialize_with = "lenient::string")]
    pub session_id: String,
}

/// Event 100: a recording file was produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordFileEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub app: String,
    #[serde(deserialize_with = "lenient::string")]
    pub appname: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub file_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub record_file_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub record_temp_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub file_format: String,
    #[serde(deserialize_with = "lenient::string")]
    pub task_id: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub start_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub end_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub start_time_usec: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub end_time_usec: Option<i64>,
    /// Seconds.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub duration: Option<i64>,
    /// Bytes.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub file_size: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_param: String,
    #[serde(deserialize_with = "lenient::string")]
    pub video_url: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub media_start_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub record_bps: Option<i64>,
    pub callback_ext: JsonString<RecordCallbackExt>,
}

/// Event 200: a screenshot was taken.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SnapshotEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub app: String,
    #[serde(deserialize_with = "lenient::string")]
    pub appname: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_param: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub file_size: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub width: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub height: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub pic_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub pic_full_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub task_id: String,
}

/// `msg` of a relay event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelayMsg {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub task_start_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub task_exit_time: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub url: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub index: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub duration: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub code: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub message: String,
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub alarm_type: String,
}

/// Event 314: a relay (pull-and-push) task changed state. Configured on the task, not the template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelayEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub callback_event: String,
    pub source_urls: JsonString<Vec<String>>,
    #[serde(deserialize_with = "lenient::string")]
    pub to_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub task_id: String,
    pub msg: JsonString<RelayMsg>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub event_time: Option<i64>,
}

/// Event 315: audio audit result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AudioAuditEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub domain: String,
    #[serde(deserialize_with = "lenient::string")]
    pub path: String,
    #[serde(rename = "HitFlag", deserialize_with = "lenient::opt_i64")]
    pub hit_flag: Option<i64>,
    #[serde(rename = "Score", deserialize_with = "lenient::opt_i64")]
    pub score: Option<i64>,
    #[serde(rename = "SubTag", deserialize_with = "lenient::string")]
    pub sub_tag: String,
    #[serde(deserialize_with = "lenient::string")]
    pub task_id: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub asr_text: String,
    #[serde(deserialize_with = "lenient::string")]
    pub cdn_url: String,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub duration: Option<f64>,
    #[serde(deserialize_with = "lenient::string")]
    pub label: String,
    #[serde(deserialize_with = "lenient::string")]
    pub sub_label: String,
    #[serde(deserialize_with = "lenient::string")]
    pub suggestion: String,
    #[serde(deserialize_with = "lenient::vec")]
    pub language_results: Vec<Value>,
    #[serde(deserialize_with = "lenient::vec")]
    pub moan_results: Vec<Value>,
    #[serde(deserialize_with = "lenient::vec")]
    pub recognition_results: Vec<Value>,
    #[serde(deserialize_with = "lenient::vec")]
    pub speaker_results: Vec<Value>,
    #[serde(deserialize_with = "lenient::vec")]
    pub text_results: Vec<Value>,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub seq: String,
}

/// Event 317: image audit (porn detection) result. Note the camelCase field names of this event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageAuditEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(rename = "streamId", alias = "stream_id", deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(rename = "channelId", alias = "channel_id", deserialize_with = "lenient::string")]
    pub channel_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub img: String,
    #[serde(rename = "type", deserialize_with = "lenient::i64_vec")]
    pub types: Vec<i64>,
    /// The documentation's example spells it `socre`; both are accepted.
    #[serde(alias = "socre", deserialize_with = "lenient::i64_vec")]
    pub score: Vec<i64>,
    #[serde(rename = "ocrMsg", deserialize_with = "lenient::string")]
    pub ocr_msg: String,
    #[serde(deserialize_with = "lenient::string")]
    pub suggestion: String,
    #[serde(deserialize_with = "lenient::string")]
    pub label: String,
    #[serde(rename = "subLabel", deserialize_with = "lenient::string")]
    pub sub_label: String,
    #[serde(rename = "labelResults", deserialize_with = "lenient::vec")]
    pub label_results: Vec<Value>,
    #[serde(rename = "objectResults", deserialize_with = "lenient::vec")]
    pub object_results: Vec<Value>,
    #[serde(rename = "ocrResults", deserialize_with = "lenient::vec")]
    pub ocr_results: Vec<Value>,
    #[serde(rename = "libResults", deserialize_with = "lenient::vec")]
    pub lib_results: Vec<Value>,
    #[serde(rename = "screenshotTime", deserialize_with = "lenient::opt_i64")]
    pub screenshot_time: Option<i64>,
    #[serde(rename = "sendTime", deserialize_with = "lenient::opt_i64")]
    pub send_time: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_param: String,
    #[serde(deserialize_with = "lenient::string")]
    pub app: String,
    #[serde(deserialize_with = "lenient::string")]
    pub appname: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExceptionDetail {
    #[serde(deserialize_with = "lenient::string")]
    pub desc: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub occur_time: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AbnormalEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub count: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub customer_visible: String,
    #[serde(deserialize_with = "lenient::vec")]
    pub detail: Vec<ExceptionDetail>,
    #[serde(deserialize_with = "lenient::string")]
    pub event_key: String,
    #[serde(rename = "type", deserialize_with = "lenient::opt_i64")]
    pub exception_type: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub type_desc_cn: String,
    #[serde(deserialize_with = "lenient::string")]
    pub type_desc_en: String,
}

/// Event 321: push exceptions seen during one reporting interval.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushExceptionEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub user_ip: String,
    /// Milliseconds.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub data_time: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub domain: String,
    #[serde(deserialize_with = "lenient::string")]
    pub path: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub report_interval: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub sequence: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_param: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub timeout: Option<i64>,
    #[serde(deserialize_with = "lenient::vec")]
    pub abnormal_event: Vec<AbnormalEvent>,
}

/// What a push exception type means (DOC-53310).
pub fn push_exception_description(kind: i64) -> (&'static str, &'static str) {
    match kind {
        1 => ("Video timestamp went backwards", "视频时间戳回退"),
        2 => ("Audio timestamp went backwards", "音频时间戳回退"),
        3 => (
            "Video timestamp jumped by more than 1000 ms",
            "视频时间戳跳变超过 1000 毫秒",
        ),
        4 => (
            "Audio timestamp jumped by more than 1000 ms",
            "音频时间戳跳变超过 1000 毫秒",
        ),
        5 => ("Chunk size larger than 8192", "Chunk size 超过 8192"),
        6 => ("Gap between video frames over 3000 ms", "视频帧间隔超过 3000 毫秒"),
        7 => ("Gap between audio frames over 1000 ms", "音频帧间隔超过 1000 毫秒"),
        8 => ("Video codec changed", "视频编码格式变化"),
        9 => ("Audio codec changed", "音频编码格式变化"),
        10 => ("Video frame before the codec header", "视频帧早于编码头"),
        11 => ("Audio frame before the codec header", "音频帧早于编码头"),
        12 => ("Audio timestamp interval too large", "音频时间戳间隔过大"),
        13 => ("Uncommon codec", "非常见编码格式"),
        14 => ("Video header cannot be parsed", "视频头无法解析"),
        15 => ("Frame rate too low", "帧率过低"),
        16 => ("GOP longer than 10 s", "GOP 超过 10 秒"),
        _ => ("Unknown push exception", "未知推流异常"),
    }
}

/// `record_detail` of a recording status event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordDetail {
    /// 1 FLV, 2 HLS, 3 MP4, 4 AAC, 5 MP3.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub file_format: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub record_bps: Option<i64>,
    /// 1 template rule, 5 API.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub start_model: Option<i64>,
    /// 1 original, 2 watermarked, 3 transcoded.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub record_content: Option<i64>,
    /// 1 live, 2 relay.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub source_type: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub codec_temp_id: Option<i64>,
}

impl RecordDetail {
    pub fn format_name(&self) -> &'static str {
        match self.file_format {
            Some(1) => "FLV",
            Some(2) => "HLS",
            Some(3) => "MP4",
            Some(4) => "AAC",
            Some(5) => "MP3",
            _ => "unknown",
        }
    }
}

/// Event 332: recording started, paused, resumed, failed or ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordStatusEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub appname: String,
    #[serde(deserialize_with = "lenient::string")]
    pub domain: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub event_time: Option<i64>,
    pub record_detail: JsonString<RecordDetail>,
    /// `record_start_succeeded`, `record_start_failed`, `record_paused`, `record_resumed`,
    /// `record_error`, `record_ended`.
    #[serde(deserialize_with = "lenient::string")]
    pub record_event: String,
    #[serde(deserialize_with = "lenient::string")]
    pub task_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub seq: String,
    #[serde(deserialize_with = "lenient::string")]
    pub session_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordExceptionInfo {
    #[serde(rename = "type", deserialize_with = "lenient::opt_i64")]
    pub exception_type: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub occurs: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub desc: String,
}

/// Event 341: a recording exception.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordExceptionEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub session_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub file_format: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub timestamp: Option<i64>,
    /// `info`, `warning` or `error`.
    #[serde(deserialize_with = "lenient::string")]
    pub exception_level: String,
    pub exception: RecordExceptionInfo,
    #[serde(deserialize_with = "lenient::string")]
    pub domain: String,
    #[serde(deserialize_with = "lenient::string")]
    pub path: String,
}

/// What a recording exception type means (DOC-68622).
pub fn record_exception_description(kind: i64) -> (&'static str, &'static str) {
    match kind {
        -8 => ("Audio timestamp jump", "音频时间戳跳变"),
        -9 => ("Video timestamp jump", "视频时间戳跳变"),
        -10 => ("Audio and video out of sync", "音视频不同步"),
        -11 => ("Invalid video timestamp", "视频时间戳无效"),
        -16 => ("Pulling the stream failed", "拉流失败"),
        -17 => ("No audio", "无音频"),
        -18 => ("No video", "无视频"),
        -22 => ("Audio timestamp frozen", "音频时间戳停滞"),
        -23 => ("Video timestamp frozen", "视频时间戳停滞"),
        -24 => ("Invalid audio timestamp", "音频时间戳无效"),
        -100 => ("Resolution changed", "分辨率变化"),
        -104 => ("Writing the file failed", "文件写入失败"),
        -120 => ("File split because the codec changed", "编码变化导致文件分片"),
        -130 => ("Dropped bad video frames", "丢弃异常视频帧"),
        -131 => ("Dropped bad audio frames", "丢弃异常音频帧"),
        -132 => ("Abnormal GOP", "GOP 异常"),
        -200 => ("Uneven audio timestamps", "音频时间戳不均匀"),
        -201 => ("Uneven video timestamps", "视频时间戳不均匀"),
        _ => ("Unknown recording exception", "未知录制异常"),
    }
}

/// Event 348: an AI summary of a live session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveSummaryEvent {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub appid: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub domain: String,
    #[serde(deserialize_with = "lenient::string")]
    pub path: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub begin_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub end_time: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub title: String,
    #[serde(deserialize_with = "lenient::string")]
    pub summary: String,
    #[serde(deserialize_with = "lenient::vec")]
    pub key_words: Vec<String>,
    #[serde(deserialize_with = "lenient::vec")]
    pub key_points: Vec<Value>,
}
