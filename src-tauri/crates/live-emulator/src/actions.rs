//! The actions themselves, on one account's state. Where Tencent documents no behaviour, the choice made
//! here is written next to it (and in the README's emulator section).

use serde_json::{json, Map, Value};
use tencent_live::api::{ApiTime, CallbackEventInfo, CallbackRule, CallbackTemplate, TemplateFields, MAX_TEMPLATES};
use tencent_live::validate::{self, Problem, Purpose, Rules};

use crate::params::{opt, req, Kind, Param, Params};
use crate::reply::Fault;
use crate::state::{AccountState, World};

pub const ACTIONS: &[&str] = &[
    "CreateLiveCallbackTemplate",
    "ModifyLiveCallbackTemplate",
    "DeleteLiveCallbackTemplate",
    "DescribeLiveCallbackTemplate",
    "DescribeLiveCallbackTemplates",
    "CreateLiveCallbackRule",
    "DeleteLiveCallbackRule",
    "DescribeLiveCallbackRules",
    "DescribeLiveDomains",
    "DescribeLiveDomain",
    "DescribeCallbackRecordsList",
];

/// Requests per second that Tencent documents for each action.
pub fn rate_limit(action: &str) -> u32 {
    match action {
        "DescribeLiveCallbackTemplate"
        | "DescribeLiveCallbackTemplates"
        | "DescribeLiveCallbackRules"
        | "DescribeLiveDomain"
        | "DescribeCallbackRecordsList" => 500,
        _ => 200,
    }
}

const TEMPLATE_TEXT: [&str; 11] = [
    "Description",
    "StreamBeginNotifyUrl",
    "StreamEndNotifyUrl",
    "RecordNotifyUrl",
    "RecordStatusNotifyUrl",
    "SnapshotNotifyUrl",
    "PornCensorshipNotifyUrl",
    "CallbackKey",
    "PushExceptionNotifyUrl",
    "AudioAuditNotifyUrl",
    "RecordExceptionNotifyUrl",
];

fn template_spec(create: bool) -> Vec<Param> {
    let mut spec = vec![if create {
        req("TemplateName", Kind::Str)
    } else {
        opt("TemplateName", Kind::Str)
    }];
    spec.extend(TEMPLATE_TEXT.iter().map(|n| opt(n, Kind::Str)));
    spec.push(opt("RecordExceptionLevels", Kind::StrList));
    if create {
        // Deprecated, still accepted by Create; Modify rejects it as unknown (it is not in Modify's list).
        spec.push(opt("StreamMixNotifyUrl", Kind::Str));
    } else {
        spec.push(req("TemplateId", Kind::Int));
    }
    spec
}

fn fields_of(p: &Params) -> TemplateFields {
    let s = |n: &str| p.str(n).map(str::to_owned);
    TemplateFields {
        template_name: s("TemplateName"),
        description: s("Description"),
        stream_begin_notify_url: s("StreamBeginNotifyUrl"),
        stream_end_notify_url: s("StreamEndNotifyUrl"),
        record_notify_url: s("RecordNotifyUrl"),
        record_status_notify_url: s("RecordStatusNotifyUrl"),
        snapshot_notify_url: s("SnapshotNotifyUrl"),
        porn_censorship_notify_url: s("PornCensorshipNotifyUrl"),
        callback_key: s("CallbackKey"),
        push_exception_notify_url: s("PushExceptionNotifyUrl"),
        audio_audit_notify_url: s("AudioAuditNotifyUrl"),
        record_exception_notify_url: s("RecordExceptionNotifyUrl"),
        record_exception_levels: p.str_list("RecordExceptionLevels"),
    }
}

fn value_fault(errors: validate::ValidationErrors) -> Fault {
    let first = &errors.0[0];
    let code = match (&first.field, &first.problem) {
        (validate::Field::TemplateName, _) => "InvalidParameter.ArgsNotMatch",
        (_, Problem::NotHttpUrl) => "InvalidParameter.UrlNotSafe",
        _ => "InvalidParameterValue",
    };
    let field = first.field.api_name();
    Fault::new(
        code,
        format!("{field}: {}", errors.messages(tencent_live::Language::EnUs).join(" ")),
    )
    .zh(&format!(
        "{field}：{}",
        errors.messages(tencent_live::Language::ZhCn).join(" ")
    ))
}

fn apply(t: &mut CallbackTemplate, f: &TemplateFields) {
    let set = |target: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            target.clone_from(v);
        }
    };
    set(&mut t.template_name, &f.template_name);
    set(&mut t.description, &f.description);
    set(&mut t.stream_begin_notify_url, &f.stream_begin_notify_url);
    set(&mut t.stream_end_notify_url, &f.stream_end_notify_url);
    set(&mut t.record_notify_url, &f.record_notify_url);
    set(&mut t.record_status_notify_url, &f.record_status_notify_url);
    set(&mut t.snapshot_notify_url, &f.snapshot_notify_url);
    set(&mut t.porn_censorship_notify_url, &f.porn_censorship_notify_url);
    set(&mut t.callback_key, &f.callback_key);
    set(&mut t.push_exception_notify_url, &f.push_exception_notify_url);
    set(&mut t.audio_audit_notify_url, &f.audio_audit_notify_url);
    set(&mut t.record_exception_notify_url, &f.record_exception_notify_url);
    if let Some(levels) = &f.record_exception_levels {
        t.record_exception_levels.clone_from(levels);
    }
}

fn conf_not_found(id: i64, code: &str) -> Fault {
    Fault::new(code, format!("The template {id} does not exist.")).zh("模板不存在。")
}

fn out(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Handle one action for the account `secret_id`. Returns the response fields and whether state changed.
pub fn handle(
    world: &mut World,
    secret_id: &str,
    action: &str,
    body: Map<String, Value>,
    now: i64,
) -> Result<(Map<String, Value>, bool), Fault> {
    let next_id = world.next_template_id;
    let account = world
        .accounts
        .get_mut(secret_id)
        .ok_or_else(|| Fault::new("InternalError.GetBizidError", "The account could not be found."))?;
    match action {
        "CreateLiveCallbackTemplate" => {
            let p = Params::check(body, &template_spec(true))?;
            let fields = fields_of(&p);
            validate::validate_template(&fields, Rules::Api, Purpose::Create).map_err(value_fault)?;
            if account.templates.len() >= MAX_TEMPLATES {
                return Err(Fault::new(
                    "InternalError.ConfOutLimit",
                    format!("An account can have at most {MAX_TEMPLATES} callback templates."),
                )
                .zh("模板数量超过限制。"));
            }
            let mut t = CallbackTemplate {
                template_id: next_id,
                stream_mix_notify_url: p.str("StreamMixNotifyUrl").unwrap_or_default().to_owned(),
                ..CallbackTemplate::default()
            };
            apply(&mut t, &fields);
            account.templates.insert(next_id, t);
            world.next_template_id += 1;
            Ok((out(json!({ "TemplateId": next_id })), true))
        }
        "ModifyLiveCallbackTemplate" => {
            let p = Params::check(body, &template_spec(false))?;
            let id = p.int("TemplateId").unwrap_or_default();
            let fields = fields_of(&p);
            validate::validate_template(&fields, Rules::Api, Purpose::Modify).map_err(value_fault)?;
            let t = account
                .templates
                .get_mut(&id)
                .ok_or_else(|| conf_not_found(id, "InternalError.ConfNotFound"))?;
            // Choice: an omitted field is kept, "" clears it, and a template must keep one URL.
            let mut changed = t.clone();
            apply(&mut changed, &fields);
            if TemplateFields::from_template(&changed).urls().is_empty() {
                return Err(
                    Fault::new("InvalidParameterValue", "At least one callback URL must remain set.")
                        .zh("至少需要填写一个回调地址。"),
                );
            }
            *t = changed;
            Ok((Map::new(), true))
        }
        "DeleteLiveCallbackTemplate" => {
            let p = Params::check(body, &[req("TemplateId", Kind::Int)])?;
            let id = p.int("TemplateId").unwrap_or_default();
            if !account.templates.contains_key(&id) {
                return Err(conf_not_found(id, "InternalError.ConfNotFound"));
            }
            let bound: Vec<String> = account
                .rules
                .iter()
                .filter(|r| r.template_id == id)
                .map(|r| match r.app_name.as_str() {
                    "" => r.domain_name.clone(),
                    app => format!("{}/{app}", r.domain_name),
                })
                .collect();
            if !bound.is_empty() {
                return Err(Fault::new(
                    "FailedOperation.ConfInUsed",
                    format!("The template is in use by {}; unbind it first.", bound.join(", ")),
                )
                .zh("模板使用中，请先解绑。"));
            }
            account.templates.remove(&id);
            Ok((Map::new(), true))
        }
        "DescribeLiveCallbackTemplate" => {
            let p = Params::check(body, &[req("TemplateId", Kind::Int)])?;
            let id = p.int("TemplateId").unwrap_or_default();
            let t = account
                .templates
                .get(&id)
                .ok_or_else(|| conf_not_found(id, "InternalError.ConfNotFound"))?;
            Ok((out(json!({ "Template": t })), false))
        }
        "DescribeLiveCallbackTemplates" => {
            Params::check(body, &[])?;
            let list: Vec<&CallbackTemplate> = account.templates.values().collect();
            Ok((out(json!({ "Templates": list })), false))
        }
        "CreateLiveCallbackRule" => {
            let p = Params::check(
                body,
                &[
                    req("DomainName", Kind::Str),
                    req("AppName", Kind::Str),
                    req("TemplateId", Kind::Int),
                ],
            )?;
            let (domain, app) = (
                p.str("DomainName").unwrap_or_default(),
                p.str("AppName").unwrap_or_default(),
            );
            let id = p.int("TemplateId").unwrap_or_default();
            if !account.templates.contains_key(&id) {
                return Err(conf_not_found(id, "InvalidParameter.ConfNotFound"));
            }
            check_push_domain(account, domain)?;
            // Choice: one rule per (domain, AppName); a second one is refused rather than replacing the first.
            if account
                .rules
                .iter()
                .any(|r| r.domain_name == domain && r.app_name == app)
            {
                return Err(Fault::new(
                    "InternalError.RuleAlreadyExist",
                    format!("A callback rule for {domain} and AppName \"{app}\" already exists; delete it first."),
                )
                .zh("规则已存在。"));
            }
            let time = ApiTime::from_unix(now);
            account.rules.push(CallbackRule {
                create_time: time.clone(),
                update_time: time,
                template_id: id,
                domain_name: domain.to_owned(),
                app_name: app.to_owned(),
            });
            Ok((Map::new(), true))
        }
        "DeleteLiveCallbackRule" => {
            let p = Params::check(body, &[req("DomainName", Kind::Str), req("AppName", Kind::Str)])?;
            let (domain, app) = (
                p.str("DomainName").unwrap_or_default(),
                p.str("AppName").unwrap_or_default(),
            );
            let before = account.rules.len();
            account
                .rules
                .retain(|r| !(r.domain_name == domain && r.app_name == app));
            if account.rules.len() == before {
                return Err(Fault::new(
                    "FailedOperation.NotFound",
                    format!("No callback rule exists for {domain} and AppName \"{app}\"."),
                )
                .zh("记录不存在。"));
            }
            Ok((Map::new(), true))
        }
        "DescribeLiveCallbackRules" => {
            Params::check(body, &[])?;
            Ok((out(json!({ "Rules": account.rules })), false))
        }
        "DescribeLiveDomains" => describe_domains(account, body),
        "DescribeLiveDomain" => {
            let p = Params::check(body, &[req("DomainName", Kind::Str)])?;
            let name = p.str("DomainName").unwrap_or_default();
            let d = account
                .domains
                .iter()
                .find(|d| d.name == name)
                .ok_or_else(|| domain_not_found(name))?;
            Ok((out(json!({ "DomainInfo": d })), false))
        }
        "DescribeCallbackRecordsList" => describe_records(account, body, now),
        _ => Err(Fault::new(
            "InvalidAction",
            format!("The action `{action}` is not supported."),
        )),
    }
}

fn domain_not_found(name: &str) -> Fault {
    Fault::new(
        "ResourceNotFound.DomainNotExist",
        format!("The domain {name} does not exist."),
    )
    .zh("域名不存在或不匹配。")
}

fn check_push_domain(account: &AccountState, name: &str) -> Result<(), Fault> {
    let d = account
        .domains
        .iter()
        .find(|d| d.name == name)
        .ok_or_else(|| domain_not_found(name))?;
    if !d.is_push() {
        return Err(Fault::new(
            "InvalidParameterValue",
            format!("{name} is a playback domain; callback rules bind push domains."),
        ));
    }
    Ok(())
}

fn range(p: &Params, name: &str, default: i64, lo: i64, hi: i64) -> Result<i64, Fault> {
    let v = p.int(name).unwrap_or(default);
    if !(lo..=hi).contains(&v) {
        return Err(Fault::new(
            "InvalidParameterValue",
            format!("The value of parameter `{name}` must be between {lo} and {hi}."),
        ));
    }
    Ok(v)
}

/// The page `page` (from 1) of `size` items, both already checked by [`range`].
fn page_of<T>(items: Vec<T>, page: i64, size: i64) -> Vec<T> {
    items
        .into_iter()
        .skip(((page - 1) * size) as usize)
        .take(size as usize)
        .collect()
}

fn describe_domains(account: &AccountState, body: Map<String, Value>) -> Result<(Map<String, Value>, bool), Fault> {
    let p = Params::check(
        body,
        &[
            opt("DomainStatus", Kind::Int),
            opt("DomainType", Kind::Int),
            opt("PageSize", Kind::Int),
            opt("PageNum", Kind::Int),
            opt("IsDelayLive", Kind::Int),
            opt("DomainPrefix", Kind::Str),
            opt("PlayType", Kind::Int),
        ],
    )?;
    let size = range(&p, "PageSize", 10, 10, 100)?;
    let page = range(&p, "PageNum", 1, 1, 100_000)?;
    let delay = p.int("IsDelayLive").unwrap_or(0);
    let matching: Vec<_> = account
        .domains
        .iter()
        .filter(|d| p.int("DomainStatus").is_none_or(|s| d.status == s))
        .filter(|d| p.int("DomainType").is_none_or(|t| d.domain_type == t))
        .filter(|d| d.is_delay_live == delay)
        .filter(|d| p.str("DomainPrefix").is_none_or(|pre| d.name.starts_with(pre)))
        .filter(|d| {
            p.int("PlayType")
                .is_none_or(|pt| d.domain_type != 1 || d.play_type == pt)
        })
        .collect();
    let all_count = matching.len();
    let list = page_of(matching, page, size);
    let mut play = [0i64; 3];
    for d in account.domains.iter().filter(|d| d.domain_type == 1 && d.status == 1) {
        if let Some(slot) = play.get_mut((d.play_type - 1).max(0) as usize) {
            *slot += 1;
        }
    }
    Ok((
        out(json!({
            "AllCount": all_count,
            "DomainList": list,
            "CreateLimitCount": 100 - account.domains.len().min(100) as i64,
            "PlayTypeCount": play,
        })),
        false,
    ))
}

fn describe_records(
    account: &AccountState,
    body: Map<String, Value>,
    now: i64,
) -> Result<(Map<String, Value>, bool), Fault> {
    let p = Params::check(
        body,
        &[
            req("StartTime", Kind::Str),
            req("EndTime", Kind::Str),
            req("StreamName", Kind::Str),
            req("PageNum", Kind::Int),
            req("PageSize", Kind::Int),
            opt("EventType", Kind::Int),
            opt("ResultCode", Kind::Int),
        ],
    )?;
    let time = |name: &str| {
        ApiTime::parse(p.str(name).unwrap_or_default()).unix().ok_or_else(|| {
            Fault::new(
                "InvalidParameterValue",
                format!(
                    "`{name}` must be a time such as 2024-01-02T07:04:05Z (UTC) or 2024-01-02 15:04:05 (Beijing time)."
                ),
            )
        })
    };
    let (start, end) = (time("StartTime")?, time("EndTime")?);
    if end < start || end - start > 86_400 {
        return Err(Fault::new(
            "InvalidParameterValue",
            "EndTime must follow StartTime by at most one day.",
        ));
    }
    if start < now - 14 * 86_400 {
        return Err(Fault::new(
            "InvalidParameterValue",
            "Only the last 14 days can be queried.",
        ));
    }
    let size = range(&p, "PageSize", 10, 1, 100)?;
    let page = range(&p, "PageNum", 1, 1, 100_000)?;
    let stream = p.str("StreamName").unwrap_or_default();
    let matching: Vec<_> = account
        .deliveries
        .iter()
        .rev()
        .filter(|r| r.stream_id == stream)
        .filter(|r| r.event_time.unix().is_some_and(|t| (start..=end).contains(&t)))
        .filter(|r| p.int("EventType").is_none_or(|e| r.event_type == e))
        .filter(|r| p.int("ResultCode").is_none_or(|c| r.result_code == c))
        .collect();
    let total = matching.len() as i64;
    // Times come back in the form the request used: UTC `…T…Z` or Beijing `YYYY-MM-DD hh:mm:ss`.
    let utc = ApiTime::parse(p.str("StartTime").unwrap_or_default()).is_rfc3339();
    let in_form = |t: &ApiTime| match (utc, t.unix()) {
        (true, Some(secs)) => ApiTime::utc(secs),
        _ => t.clone(),
    };
    let list: Vec<_> = matching
        .into_iter()
        .skip(((page - 1) * size) as usize)
        .take(size as usize)
        .map(|r| CallbackEventInfo {
            event_time: in_form(&r.event_time),
            response_time: in_form(&r.response_time),
            ..r.clone()
        })
        .collect();
    Ok((
        out(json!({
            "DataInfoList": list,
            "PageNum": page,
            "PageSize": size,
            "TotalNum": total,
            "TotalPage": (total + size - 1) / size,
        })),
        false,
    ))
}
