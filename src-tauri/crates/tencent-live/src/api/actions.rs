//! One request and one response type per API action. Requests serialise to exactly the body the API
//! takes (PascalCase keys, unset fields omitted); responses decode leniently.
//!
//! Over 500 lines on purpose: one flat catalogue of request/response pairs, each a few lines; a file per
//! action would only add imports.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::models::{CallbackEventInfo, CallbackRule, CallbackTemplate, DomainInfo};
use crate::lenient;

/// How an action may be repeated after a failure whose outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads: repeat freely.
    Read,
    /// Writes that give the same result when repeated (Modify): repeat freely.
    Idempotent,
    /// Creates and deletes: never repeat blindly; the caller reconciles first.
    NonIdempotent,
}

/// An API action: its name, its response, its documented rate limit and whether it may be repeated.
pub trait Action: Serialize + Send + Sync {
    const NAME: &'static str;
    const EFFECT: Effect;
    /// Requests per second that Tencent documents for this action.
    const RATE_LIMIT: u32;
    type Response: DeserializeOwned + Send;
}

/// The writable fields of a template, shared by Create and Modify. `None` = not sent.
/// On Modify, `Some("")` clears a URL. `Debug` hides the key.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "PascalCase")]
pub struct TemplateFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_begin_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_end_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_status_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub porn_censorship_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_exception_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_audit_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_exception_notify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_exception_levels: Option<Vec<String>>,
}

impl std::fmt::Debug for TemplateFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::secret::debug_redacted(self, "TemplateFields", &["CallbackKey"], f)
    }
}

impl TemplateFields {
    /// The fields of an existing template, all set (for editing, export and comparison).
    pub fn from_template(t: &CallbackTemplate) -> TemplateFields {
        TemplateFields {
            template_name: Some(t.template_name.clone()),
            description: Some(t.description.clone()),
            stream_begin_notify_url: Some(t.stream_begin_notify_url.clone()),
            stream_end_notify_url: Some(t.stream_end_notify_url.clone()),
            record_notify_url: Some(t.record_notify_url.clone()),
            record_status_notify_url: Some(t.record_status_notify_url.clone()),
            snapshot_notify_url: Some(t.snapshot_notify_url.clone()),
            porn_censorship_notify_url: Some(t.porn_censorship_notify_url.clone()),
            callback_key: Some(t.callback_key.clone()),
            push_exception_notify_url: Some(t.push_exception_notify_url.clone()),
            audio_audit_notify_url: Some(t.audio_audit_notify_url.clone()),
            record_exception_notify_url: Some(t.record_exception_notify_url.clone()),
            record_exception_levels: Some(t.record_exception_levels.clone()),
        }
    }

    /// `self` with every field that `changes` sets replaced.
    pub fn merged(&self, changes: &TemplateFields) -> TemplateFields {
        fn pick<T: Clone>(base: &Option<T>, change: &Option<T>) -> Option<T> {
            change.clone().or_else(|| base.clone())
        }
        TemplateFields {
            template_name: pick(&self.template_name, &changes.template_name),
            description: pick(&self.description, &changes.description),
            stream_begin_notify_url: pick(&self.stream_begin_notify_url, &changes.stream_begin_notify_url),
            stream_end_notify_url: pick(&self.stream_end_notify_url, &changes.stream_end_notify_url),
            record_notify_url: pick(&self.record_notify_url, &changes.record_notify_url),
            record_status_notify_url: pick(&self.record_status_notify_url, &changes.record_status_notify_url),
            snapshot_notify_url: pick(&self.snapshot_notify_url, &changes.snapshot_notify_url),
            porn_censorship_notify_url: pick(&self.porn_censorship_notify_url, &changes.porn_censorship_notify_url),
            callback_key: pick(&self.callback_key, &changes.callback_key),
            push_exception_notify_url: pick(&self.push_exception_notify_url, &changes.push_exception_notify_url),
            audio_audit_notify_url: pick(&self.audio_audit_notify_url, &changes.audio_audit_notify_url),
            record_exception_notify_url: pick(&self.record_exception_notify_url, &changes.record_exception_notify_url),
            record_exception_levels: pick(&self.record_exception_levels, &changes.record_exception_levels),
        }
    }

    /// The template `template_id` as the service keeps it once these fields are stored: what was sent,
    /// unset fields empty. CreateLiveCallbackTemplate answers with the TemplateId only and Modify with
    /// nothing; this spares a list to learn the rest.
    pub fn to_template(&self, template_id: i64) -> CallbackTemplate {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        CallbackTemplate {
            template_id,
            template_name: s(&self.template_name),
            description: s(&self.description),
            stream_begin_notify_url: s(&self.stream_begin_notify_url),
            stream_mix_notify_url: String::new(),
            stream_end_notify_url: s(&self.stream_end_notify_url),
            record_notify_url: s(&self.record_notify_url),
            record_status_notify_url: s(&self.record_status_notify_url),
            snapshot_notify_url: s(&self.snapshot_notify_url),
            porn_censorship_notify_url: s(&self.porn_censorship_notify_url),
            callback_key: s(&self.callback_key),
            push_exception_notify_url: s(&self.push_exception_notify_url),
            audio_audit_notify_url: s(&self.audio_audit_notify_url),
            record_exception_notify_url: s(&self.record_exception_notify_url),
            record_exception_levels: self.record_exception_levels.clone().unwrap_or_default(),
        }
    }

    /// The callback URLs that are set, as (API field name, URL).
    pub fn urls(&self) -> Vec<(&'static str, &str)> {
        [
            ("StreamBeginNotifyUrl", &self.stream_begin_notify_url),
            ("StreamEndNotifyUrl", &self.stream_end_notify_url),
            ("RecordNotifyUrl", &self.record_notify_url),
            ("RecordStatusNotifyUrl", &self.record_status_notify_url),
            ("SnapshotNotifyUrl", &self.snapshot_notify_url),
            ("PornCensorshipNotifyUrl", &self.porn_censorship_notify_url),
            ("PushExceptionNotifyUrl", &self.push_exception_notify_url),
            ("AudioAuditNotifyUrl", &self.audio_audit_notify_url),
            ("RecordExceptionNotifyUrl", &self.record_exception_notify_url),
        ]
        .into_iter()
        .filter_map(|(name, v)| v.as_deref().filter(|u| !u.is_empty()).map(|u| (name, u)))
        .collect()
    }

    /// Does `template` already carry every field that is set here? (Used to recognise our own create.)
    pub fn matches(&self, template: &CallbackTemplate) -> bool {
        let have = TemplateFields::from_template(template);
        let eq = |want: &Option<String>, got: &Option<String>| want.as_ref().is_none_or(|w| Some(w) == got.as_ref());
        eq(&self.template_name, &have.template_name)
            && eq(&self.description, &have.description)
            && eq(&self.stream_begin_notify_url, &have.stream_begin_notify_url)
            && eq(&self.stream_end_notify_url, &have.stream_end_notify_url)
            && eq(&self.record_notify_url, &have.record_notify_url)
            && eq(&self.snapshot_notify_url, &have.snapshot_notify_url)
            && eq(&self.porn_censorship_notify_url, &have.porn_censorship_notify_url)
            && eq(&self.callback_key, &have.callback_key)
            && eq(&self.push_exception_notify_url, &have.push_exception_notify_url)
            && eq(&self.audio_audit_notify_url, &have.audio_audit_notify_url)
            && eq(&self.record_exception_notify_url, &have.record_exception_notify_url)
    }
}

/// Only the RequestId: the answer of actions that return nothing else.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Empty {
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}

macro_rules! action {
    ($req:ty, $name:literal, $effect:expr, $rate:literal, $resp:ty) => {
        impl Action for $req {
            const NAME: &'static str = $name;
            const EFFECT: Effect = $effect;
            const RATE_LIMIT: u32 = $rate;
            type Response = $resp;
        }
    };
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateLiveCallbackTemplate {
    #[serde(flatten)]
    pub fields: TemplateFields,
    /// Deprecated by Tencent; accepted by Create only. Kept so templates made elsewhere round-trip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_mix_notify_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateLiveCallbackTemplateResponse {
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub template_id: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}
action!(
    CreateLiveCallbackTemplate,
    "CreateLiveCallbackTemplate",
    Effect::NonIdempotent,
    200,
    CreateLiveCallbackTemplateResponse
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ModifyLiveCallbackTemplate {
    pub template_id: i64,
    #[serde(flatten)]
    pub fields: TemplateFields,
}
action!(
    ModifyLiveCallbackTemplate,
    "ModifyLiveCallbackTemplate",
    Effect::Idempotent,
    200,
    Empty
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteLiveCallbackTemplate {
    pub template_id: i64,
}
action!(
    DeleteLiveCallbackTemplate,
    "DeleteLiveCallbackTemplate",
    Effect::NonIdempotent,
    200,
    Empty
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeLiveCallbackTemplate {
    pub template_id: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLiveCallbackTemplateResponse {
    pub template: CallbackTemplate,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}
action!(
    DescribeLiveCallbackTemplate,
    "DescribeLiveCallbackTemplate",
    Effect::Read,
    500,
    DescribeLiveCallbackTemplateResponse
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeLiveCallbackTemplates {}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLiveCallbackTemplatesResponse {
    #[serde(deserialize_with = "lenient::vec")]
    pub templates: Vec<CallbackTemplate>,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}
action!(
    DescribeLiveCallbackTemplates,
    "DescribeLiveCallbackTemplates",
    Effect::Read,
    500,
    DescribeLiveCallbackTemplatesResponse
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateLiveCallbackRule {
    pub domain_name: String,
    pub app_name: String,
    pub template_id: i64,
}
action!(
    CreateLiveCallbackRule,
    "CreateLiveCallbackRule",
    Effect::NonIdempotent,
    200,
    Empty
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteLiveCallbackRule {
    pub domain_name: String,
    pub app_name: String,
}
action!(
    DeleteLiveCallbackRule,
    "DeleteLiveCallbackRule",
    Effect::NonIdempotent,
    200,
    Empty
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeLiveCallbackRules {}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLiveCallbackRulesResponse {
    #[serde(deserialize_with = "lenient::vec")]
    pub rules: Vec<CallbackRule>,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}
action!(
    DescribeLiveCallbackRules,
    "DescribeLiveCallbackRules",
    Effect::Read,
    500,
    DescribeLiveCallbackRulesResponse
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeLiveDomains {
    /// 0 disabled, 1 enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_status: Option<i64>,
    /// 0 push, 1 playback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_type: Option<i64>,
    /// 10–100, default 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// 1–100000, default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_num: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_delay_live: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_type: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLiveDomainsResponse {
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub all_count: i64,
    #[serde(deserialize_with = "lenient::vec")]
    pub domain_list: Vec<DomainInfo>,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub create_limit_count: i64,
    #[serde(deserialize_with = "lenient::i64_vec")]
    pub play_type_count: Vec<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}
action!(
    DescribeLiveDomains,
    "DescribeLiveDomains",
    Effect::Read,
    200,
    DescribeLiveDomainsResponse
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeLiveDomain {
    pub domain_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLiveDomainResponse {
    pub domain_info: DomainInfo,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}
action!(
    DescribeLiveDomain,
    "DescribeLiveDomain",
    Effect::Read,
    500,
    DescribeLiveDomainResponse
);

/// The service's own log of delivered callbacks: a window of at most one day within the last 14.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeCallbackRecordsList {
    /// `YYYY-MM-DD hh:mm:ss`, Beijing time.
    pub start_time: String,
    pub end_time: String,
    pub stream_name: String,
    pub page_num: i64,
    pub page_size: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_code: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeCallbackRecordsListResponse {
    #[serde(deserialize_with = "lenient::vec")]
    pub data_info_list: Vec<CallbackEventInfo>,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub page_num: i64,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub page_size: i64,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub total_num: i64,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub total_page: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: String,
}
action!(
    DescribeCallbackRecordsList,
    "DescribeCallbackRecordsList",
    Effect::Read,
    500,
    DescribeCallbackRecordsListResponse
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_body_omits_unset_fields() {
        let req = CreateLiveCallbackTemplate {
            fields: TemplateFields {
                template_name: Some("demo_tpl".into()),
                stream_begin_notify_url: Some("http://127.0.0.1:8080/cb".into()),
                record_exception_levels: Some(vec!["error".into()]),
                ..Default::default()
            },
            stream_mix_notify_url: None,
        };
        assert_eq!(
            serde_json::to_value(&req).expect("encodes"),
            json!({"TemplateName": "demo_tpl", "StreamBeginNotifyUrl": "http://127.0.0.1:8080/cb",
                   "RecordExceptionLevels": ["error"]})
        );
    }

    #[test]
    fn modify_sends_template_id_and_changes_only() {
        let req = ModifyLiveCallbackTemplate {
            template_id: 1000,
            fields: TemplateFields {
                snapshot_notify_url: Some(String::new()),
                ..Default::default()
            },
        };
        assert_eq!(
            serde_json::to_value(&req).expect("encodes"),
            json!({"TemplateId": 1000, "SnapshotNotifyUrl": ""})
        );
    }

    #[test]
    fn describe_calls_send_an_empty_object() {
        assert_eq!(
            serde_json::to_string(&DescribeLiveCallbackTemplates {}).expect("encodes"),
            "{}"
        );
        assert_eq!(
            serde_json::to_string(&DescribeLiveCallbackRules {}).expect("encodes"),
            "{}"
        );
    }

    #[test]
    fn domains_example_response_decodes() {
        let r: DescribeLiveDomainsResponse = serde_json::from_value(json!({
            "RequestId": "eac6b301", "AllCount": 2, "CreateLimitCount": 0, "PlayTypeCount": [1, 2, 3],
            "DomainList": [{"Name": "abc.com", "IsMiniProgramLive": 0, "Type": 1, "Status": 1, "PlayType": 1,
              "IsDelayLive": 0, "CreateTime": "2018-08-29 10:00:00", "BCName": 1, "CurrentCName": "",
              "TargetDomain": "abc.com.liveplay.myqcloud.com", "RentTag": 0, "RentExpireTime": "0000-00-00 00:00:00"}]
        }))
        .expect("decodes");
        assert_eq!(r.all_count, 2);
        assert_eq!(r.play_type_count, vec![1, 2, 3]);
        assert_eq!(r.domain_list[0].domain_type, 1);
    }

    #[test]
    fn merged_and_matches() {
        let base = TemplateFields::from_template(&CallbackTemplate {
            template_id: 1,
            template_name: "a".into(),
            stream_begin_notify_url: "http://x/1".into(),
            ..Default::default()
        });
        let changes = TemplateFields {
            stream_begin_notify_url: Some(String::new()),
            record_notify_url: Some("http://x/2".into()),
            ..Default::default()
        };
        let m = base.merged(&changes);
        assert_eq!(m.urls(), vec![("RecordNotifyUrl", "http://x/2")]);
        assert_eq!(m.template_name.as_deref(), Some("a"));
        let t = CallbackTemplate {
            template_name: "a".into(),
            record_notify_url: "http://x/2".into(),
            ..Default::default()
        };
        assert!(changes.matches(&CallbackTemplate {
            stream_begin_notify_url: String::new(),
            ..t.clone()
        }));
        assert!(!TemplateFields {
            template_name: Some("b".into()),
            ..Default::default()
        }
        .matches(&t));
    }
}
