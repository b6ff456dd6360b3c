//! The API's structures: CallBackTemplateInfo, CallBackRuleInfo, DomainInfo, CallbackEventInfo.
//! Decoding accepts unknown fields, `null`s, absent fields and numbers sent as strings.

use serde::{Deserialize, Serialize};

use super::time::ApiTime;
use crate::lenient;

/// One callback template (CallBackTemplateInfo). Unset URLs are `""`. `Debug` hides the key.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "PascalCase", default)]
pub struct CallbackTemplate {
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub template_id: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub template_name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub description: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_begin_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_mix_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_end_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub record_notify_url: String,
    /// Not in the documented CallBackTemplateInfo, though Create and Modify accept it; kept when a
    /// service returns it.
    #[serde(deserialize_with = "lenient::string")]
    pub record_status_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub snapshot_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub porn_censorship_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub callback_key: String,
    #[serde(deserialize_with = "lenient::string")]
    pub push_exception_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub audio_audit_notify_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub record_exception_notify_url: String,
    #[serde(deserialize_with = "lenient::vec")]
    pub record_exception_levels: Vec<String>,
}

impl std::fmt::Debug for CallbackTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::secret::debug_redacted(self, "CallbackTemplate", &["CallbackKey"], f)
    }
}

/// One binding of a template to a push domain and AppName (CallBackRuleInfo).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "PascalCase", default)]
pub struct CallbackRule {
    pub create_time: ApiTime,
    pub update_time: ApiTime,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub template_id: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub domain_name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub app_name: String,
}

/// Domain type: 0 push, 1 playback.
pub const DOMAIN_TYPE_PUSH: i64 = 0;
pub const DOMAIN_TYPE_PLAY: i64 = 1;

/// One live domain (DomainInfo).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "PascalCase", default)]
pub struct DomainInfo {
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(rename = "Type", deserialize_with = "lenient::i64_or_zero")]
    pub domain_type: i64,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub status: i64,
    pub create_time: ApiTime,
    #[serde(rename = "BCName", deserialize_with = "lenient::i64_or_zero")]
    pub bc_name: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub target_domain: String,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub play_type: i64,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub is_delay_live: i64,
    #[serde(rename = "CurrentCName", deserialize_with = "lenient::string")]
    pub current_cname: String,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub rent_tag: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub rent_expire_time: String,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub is_mini_program_live: i64,
}

impl DomainInfo {
    pub fn is_push(&self) -> bool {
        self.domain_type == DOMAIN_TYPE_PUSH
    }
}

/// One delivered callback as the service logged it (CallbackEventInfo).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CallbackEventInfo {
    pub event_time: ApiTime,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub event_type: i64,
    /// The body that was sent.
    #[serde(deserialize_with = "lenient::string")]
    pub request: String,
    /// What the customer's server answered.
    #[serde(deserialize_with = "lenient::string")]
    pub response: String,
    pub response_time: ApiTime,
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub result_code: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub stream_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_tolerates_nulls_unknown_and_absent_fields() {
        let t: CallbackTemplate = serde_json::from_str(
            r#"{"TemplateId": "1000", "TemplateName": "a", "PushExceptionNotifyUrl": null,
                "AudioAuditNotifyUrl": null, "SomethingNew": {"x": 1}, "RecordExceptionLevels": null}"#,
        )
        .expect("decodes");
        assert_eq!(t.template_id, 1000);
        assert_eq!(t.push_exception_notify_url, "");
        assert!(t.record_exception_levels.is_empty());
        assert_eq!(t.description, "");
    }

    #[test]
    fn domain_example_decodes() {
        let d: DomainInfo = serde_json::from_str(
            r#"{"Name": "push.livhub.net", "Type": 0, "Status": 1, "PlayType": 1, "IsDelayLive": 0,
                "IsMiniProgramLive": 0, "CreateTime": "2023-10-30 14:01:48", "BCName": 1,
                "CurrentCName": "push.livhub.net.tlivepush.com.", "TargetDomain": "push.livhub.net.tlivepush.com",
                "RentTag": 0, "RentExpireTime": "78894"}"#,
        )
        .expect("decodes");
        assert!(d.is_push());
        assert_eq!(d.bc_name, 1);
        assert_eq!(d.current_cname, "push.livhub.net.tlivepush.com.");
        assert_eq!(d.create_time.unix(), Some(1698645708));
        let back = serde_json::to_value(&d).expect("encodes");
        assert_eq!(back["BCName"], 1);
        assert_eq!(back["Type"], 0);
    }

    #[test]
    fn rule_accepts_both_time_formats() {
        let r: Vec<CallbackRule> = serde_json::from_str(
            r#"[{"CreateTime": "2022-05-16T10:59:38+08:00", "UpdateTime": "2018-09-12 15:52:01",
                 "TemplateId": 1000, "DomainName": "7895.livepush.myqcloud.com", "AppName": "live"}]"#,
        )
        .expect("decodes");
        assert_eq!(r[0].create_time.unix(), Some(1652669978));
        assert_eq!(r[0].update_time.unix(), Some(1536738721));
    }
}
