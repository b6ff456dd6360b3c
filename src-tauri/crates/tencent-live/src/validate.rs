//! The rules a template must meet, with one error per offending field. Two rule sets: the console's
//! (what the Tencent Cloud console lets a person type) and the API's looser limits (what a template made
//! elsewhere may contain).

use std::fmt;

use serde::Serialize;

use crate::api::TemplateFields;
use crate::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rules {
    /// Name ≤ 30 characters, description ≤ 100, key ≤ 32 letters and digits, levels error/warning.
    Console,
    /// Name ≤ 255 bytes, description ≤ 1024 bytes, any key, levels error/warning/info.
    Api,
}

/// Whether the fields describe a new template (name and a URL required) or changes to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Create,
    Modify,
}

/// A template field, named as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Field {
    TemplateName,
    Description,
    CallbackKey,
    StreamBeginNotifyUrl,
    StreamEndNotifyUrl,
    RecordNotifyUrl,
    RecordStatusNotifyUrl,
    SnapshotNotifyUrl,
    PornCensorshipNotifyUrl,
    PushExceptionNotifyUrl,
    AudioAuditNotifyUrl,
    RecordExceptionNotifyUrl,
    RecordExceptionLevels,
    /// The template as a whole (e.g. "no callback URL at all").
    Template,
}

impl Field {
    pub fn api_name(self) -> &'static str {
        match self {
            Field::TemplateName => "TemplateName",
            Field::Description => "Description",
            Field::CallbackKey => "CallbackKey",
            Field::StreamBeginNotifyUrl => "StreamBeginNotifyUrl",
            Field::StreamEndNotifyUrl => "StreamEndNotifyUrl",
            Field::RecordNotifyUrl => "RecordNotifyUrl",
            Field::RecordStatusNotifyUrl => "RecordStatusNotifyUrl",
            Field::SnapshotNotifyUrl => "SnapshotNotifyUrl",
            Field::PornCensorshipNotifyUrl => "PornCensorshipNotifyUrl",
            Field::PushExceptionNotifyUrl => "PushExceptionNotifyUrl",
            Field::AudioAuditNotifyUrl => "AudioAuditNotifyUrl",
            Field::RecordExceptionNotifyUrl => "RecordExceptionNotifyUrl",
            Field::RecordExceptionLevels => "RecordExceptionLevels",
            Field::Template => "Template",
        }
    }

    /// The field's label in the console's words.
    pub fn label(self, lang: Language) -> &'static str {
        let (en, zh) = match self {
            Field::TemplateName => ("Template name", "模板名称"),
            Field::Description => ("Description", "描述"),
            Field::CallbackKey => ("Callback key", "回调密钥"),
            Field::StreamBeginNotifyUrl => ("Push callback URL", "推流回调地址"),
            Field::StreamEndNotifyUrl => ("Interruption callback URL", "断流回调地址"),
            Field::RecordNotifyUrl => ("Recording callback URL", "录制回调地址"),
            Field::RecordStatusNotifyUrl => ("Recording status callback URL", "录制状态回调地址"),
            Field::SnapshotNotifyUrl => ("Screenshot callback URL", "截图回调地址"),
            Field::PornCensorshipNotifyUrl => ("Porn detection callback URL", "鉴黄回调地址"),
            Field::PushExceptionNotifyUrl => ("Push exception callback URL", "推流异常回调地址"),
            Field::AudioAuditNotifyUrl => ("Audio audit callback URL", "音频审核回调地址"),
            Field::RecordExceptionNotifyUrl => ("Recording exception callback URL", "录制异常回调地址"),
            Field::RecordExceptionLevels => ("Recording exception levels", "录制异常级别"),
            Field::Template => ("Template", "模板"),
        };
        match lang {
            Language::EnUs => en,
            Language::ZhCn => zh,
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLongChars {
        max: usize,
        actual: usize,
    },
    TooLongBytes {
        max: usize,
        actual: usize,
    },
    /// Characters outside Chinese, letters, digits, `_` and `-`.
    BadCharacters {
        chars: String,
    },
    /// Characters outside letters and digits.
    KeyCharacters {
        chars: String,
    },
    NotHttpUrl,
    NoUrl,
    BadLevel {
        level: String,
        allowed: Vec<&'static str>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: Field,
    #[serde(flatten)]
    pub problem: Problem,
}

impl FieldError {
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        let label = self.field.label(lang);
        match &self.problem {
            Problem::Required if zh => format!("{label}不能为空。"),
            Problem::Required => format!("{label} is required."),
            Problem::TooLongChars { max, actual } if zh => {
                format!("{label}最多 {max} 个字符，当前 {actual} 个。")
            }
            Problem::TooLongChars { max, actual } => {
                format!("{label} can be at most {max} characters; it has {actual}.")
            }
            Problem::TooLongBytes { max, actual } if zh => {
                format!("{label}最多 {max} 字节，当前 {actual} 字节。")
            }
            Problem::TooLongBytes { max, actual } => {
                format!("{label} can be at most {max} bytes; it has {actual}.")
            }
            Problem::BadCharacters { chars } if zh => {
                format!("{label}只能包含中文、字母、数字、_ 和 -，不能包含：{chars}")
            }
            Problem::BadCharacters { chars } => {
                format!("{label} may contain only Chinese characters, letters, digits, _ and -; remove: {chars}")
            }
            Problem::KeyCharacters { chars } if zh => {
                format!("{label}只能包含字母和数字，不能包含：{chars}")
            }
            Problem::KeyCharacters { chars } => {
                format!("{label} may contain only letters and digits; remove: {chars}")
            }
            Problem::NotHttpUrl if zh => {
                format!("{label}必须是以 http:// 或 https:// 开头、包含主机名的完整地址。")
            }
            Problem::NotHttpUrl => {
                format!("{label} must be a full http:// or https:// address with a host name.")
            }
            Problem::NoUrl if zh => "请至少填写一个回调地址。".to_owned(),
            Problem::NoUrl => "Fill in at least one callback URL.".to_owned(),
            Problem::BadLevel { level, allowed } if zh => {
                format!("不支持的录制异常级别“{level}”，可选：{}", allowed.join("、"))
            }
            Problem::BadLevel { level, allowed } => {
                format!(
                    "Unknown recording exception level \"{level}\"; use {}.",
                    allowed.join(", ")
                )
            }
        }
    }
}

/// Every problem found in a set of fields, in field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn for_field(&self, field: Field) -> impl Iterator<Item = &FieldError> {
        self.0.iter().filter(move |e| e.field == field)
    }

    pub fn messages(&self, lang: Language) -> Vec<String> {
        self.0.iter().map(|e| e.message(lang)).collect()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.messages(Language::EnUs).join(" "))
    }
}

pub const CONSOLE_LEVELS: &[&str] = &["error", "warning"];
pub const API_LEVELS: &[&str] = &["error", "warning", "info"];

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ebef}')
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || is_chinese(c)
}

/// The distinct characters of `s` that fail `ok`, in order, for an error message.
fn offending(s: &str, ok: impl Fn(char) -> bool) -> Option<String> {
    let mut bad: Vec<char> = Vec::new();
    for c in s.chars().filter(|c| !ok(*c)) {
        if !bad.contains(&c) {
            bad.push(c);
        }
    }
    (!bad.is_empty()).then(|| {
        bad.iter()
            .map(|c| {
                if c.is_whitespace() {
                    format!("{:?}", c)
                } else {
                    c.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Is `s` an absolute http or https URL with a host?
pub fn is_http_url(s: &str) -> bool {
    if s.trim() != s {
        return false;
    }
    // The URL parser repairs `https:///x` and `http:x.com` into URLs with a host; a person who typed
    // them did not give one.
    let lower = s.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("http://").or_else(|| lower.strip_prefix("https://")) else {
        return false;
    };
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return false;
    }
    match url::Url::parse(s) {
        Ok(u) => matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()),
        Err(_) => false,
    }
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: Field,
    value: &str,
    rules: Rules,
    console_chars: usize,
    api_bytes: usize,
) {
    let problem = match rules {
        Rules::Console if value.chars().count() > console_chars => Some(Problem::TooLongChars {
            max: console_chars,
            actual: value.chars().count(),
        }),
        Rules::Api if value.len() > api_bytes => Some(Problem::TooLongBytes {
            max: api_bytes,
            actual: value.len(),
        }),
        _ => None,
    };
    errors.extend(problem.map(|problem| FieldError { field, problem }));
    if let Some(chars) = offending(value, name_char) {
        errors.push(FieldError {
            field,
            problem: Problem::BadCharacters { chars },
        });
    }
}

/// Check template fields. For `Purpose::Modify`, pass only the changes; to check that an edited template
/// still has a URL, validate the merged result with `Purpose::Create` too (see [`validate_edit`]).
pub fn validate_template(fields: &TemplateFields, rules: Rules, purpose: Purpose) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    match fields.template_name.as_deref() {
        None if purpose == Purpose::Create => errors.push(FieldError {
            field: Field::TemplateName,
            problem: Problem::Required,
        }),
        Some("") => errors.push(FieldError {
            field: Field::TemplateName,
            problem: Problem::Required,
        }),
        Some(name) => check_text(&mut errors, Field::TemplateName, name, rules, 30, 255),
        None => {}
    }
    if let Some(desc) = fields.description.as_deref() {
        check_text(&mut errors, Field::Description, desc, rules, 100, 1024);
    }
    if let (Some(key), Rules::Console) = (fields.callback_key.as_deref(), rules) {
        if key.chars().count() > 32 {
            errors.push(FieldError {
                field: Field::CallbackKey,
                problem: Problem::TooLongChars {
                    max: 32,
                    actual: key.chars().count(),
                },
            });
        }
        if let Some(chars) = offending(key, |c| c.is_ascii_alphanumeric()) {
            errors.push(FieldError {
                field: Field::CallbackKey,
                problem: Problem::KeyCharacters { chars },
            });
        }
    }
    let url_fields = [
        (Field::StreamBeginNotifyUrl, &fields.stream_begin_notify_url),
        (Field::StreamEndNotifyUrl, &fields.stream_end_notify_url),
        (Field::RecordNotifyUrl, &fields.record_notify_url),
        (Field::RecordStatusNotifyUrl, &fields.record_status_notify_url),
        (Field::SnapshotNotifyUrl, &fields.snapshot_notify_url),
        (Field::PornCensorshipNotifyUrl, &fields.porn_censorship_notify_url),
        (Field::PushExceptionNotifyUrl, &fields.push_exception_notify_url),
        (Field::AudioAuditNotifyUrl, &fields.audio_audit_notify_url),
        (Field::RecordExceptionNotifyUrl, &fields.record_exception_notify_url),
    ];
    for (field, value) in url_fields {
        if let Some(url) = value.as_deref().filter(|u| !u.is_empty()) {
            if !is_http_url(url) {
                errors.push(FieldError {
                    field,
                    problem: Problem::NotHttpUrl,
                });
            }
        }
    }
    if purpose == Purpose::Create && fields.urls().is_empty() {
        errors.push(FieldError {
            field: Field::Template,
            problem: Problem::NoUrl,
        });
    }
    if let Some(levels) = &fields.record_exception_levels {
        let allowed = match rules {
            Rules::Console => CONSOLE_LEVELS,
            Rules::Api => API_LEVELS,
        };
        for level in levels.iter().filter(|l| !allowed.contains(&l.as_str())) {
            errors.push(FieldError {
                field: Field::RecordExceptionLevels,
                problem: Problem::BadLevel {
                    level: level.clone(),
                    allowed: allowed.to_vec(),
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// Check an edit: the changes themselves, and the template they produce (which must keep a URL).
pub fn validate_edit(current: &TemplateFields, changes: &TemplateFields, rules: Rules) -> Result<(), ValidationErrors> {
    validate_template(changes, rules, Purpose::Modify)?;
    let merged = current.merged(changes);
    if merged.urls().is_empty() {
        return Err(ValidationErrors(vec![FieldError {
            field: Field::Template,
            problem: Problem::NoUrl,
        }]));
    }
    Ok(())
}
