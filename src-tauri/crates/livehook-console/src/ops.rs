//! The console workflow on one account: templates with where they are bound, domains with their rules,
//! binding and unbinding several at once with a result per item, and deleting a bound template by
//! unbinding it first, step by step.

use serde::{Deserialize, Serialize};
use tencent_live::api::{self, CallbackRule, CallbackTemplate, DomainInfo, TemplateFields};
use tencent_live::validate::{self, Purpose, Rules};
use tencent_live::Client;
use ts_rs::TS;

use crate::error::AppError;

/// A template and the rules that bind it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateRow {
    pub template: CallbackTemplate,
    pub bindings: Vec<CallbackRule>,
}

/// A push domain and every rule on it (domain-wide and per AppName).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DomainRow {
    pub domain: DomainInfo,
    pub rules: Vec<CallbackRule>,
}

/// A (domain, AppName) pair; `appName` `""` is the whole domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BindTarget {
    pub domain: String,
    pub app_name: String,
}

/// What happened to one item of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemResult {
    pub target: BindTarget,
    pub ok: bool,
    pub error: Option<AppError>,
}

/// A step of "unbind, then delete", reported as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "step")]
pub enum DeleteStep {
    Unbinding { target: BindTarget, index: u32, total: u32 },
    Unbound { target: BindTarget },
    Deleting,
    Deleted,
    Failed { error: AppError },
}

pub async fn templates(client: &Client) -> Result<Vec<TemplateRow>, AppError> {
    let (templates, rules) = tokio::try_join!(client.templates(), client.rules())?;
    Ok(templates
        .into_iter()
        .map(|template| {
            let bindings = rules
                .iter()
                .filter(|r| r.template_id == template.template_id)
                .cloned()
                .collect();
            TemplateRow { template, bindings }
        })
        .collect())
}

/// Create with the console's rules: nothing invalid is sent. Answers with the new template, unbound, so
/// that the caller can show it and offer to bind it without listing again.
pub async fn create_template(client: &Client, fields: &TemplateFields) -> Result<TemplateRow, AppError> {
    validate::validate_template(fields, Rules::Console, Purpose::Create)?;
    let id = client.create_template(fields).await?.value;
    Ok(TemplateRow {
        template: fields.to_template(id),
        bindings: Vec::new(),
    })
}

/// Edit: only the changed fields are sent, and the result must still be a valid template. The template
/// is read first (one request) so that an edit is checked against what is stored now, not against what
/// the form loaded earlier. Answers with the template as it now is.
pub async fn update_template(client: &Client, id: i64, changes: &TemplateFields) -> Result<CallbackTemplate, AppError> {
    let current = TemplateFields::from_template(&client.template(id).await?);
    validate::validate_edit(&current, changes, Rules::Console)?;
    client.modify_template(id, changes).await?;
    Ok(current.merged(changes).to_template(id))
}

pub async fn delete_template(client: &Client, id: i64) -> Result<(), AppError> {
    client.delete_template(id).await?;
    Ok(())
}

/// Unbind every rule of a template, then delete it; stops at the first failure, having said what was done.
pub async fn unbind_and_delete(client: &Client, id: i64, progress: impl Fn(DeleteStep)) -> Result<(), AppError> {
    let rules: Vec<CallbackRule> = client
        .rules()
        .await?
        .into_iter()
        .filter(|r| r.template_id == id)
        .collect();
    let total = rules.len() as u32;
    for (i, rule) in rules.iter().enumerate() {
        let target = BindTarget {
            domain: rule.domain_name.clone(),
            app_name: rule.app_name.clone(),
        };
        progress(DeleteStep::Unbinding {
            target: target.clone(),
            index: i as u32 + 1,
            total,
        });
        if let Err(e) = client.unbind(&rule.domain_name, &rule.app_name).await {
            let error = AppError::from(e);
            progress(DeleteStep::Failed { error: error.clone() });
            return Err(error);
        }
        progress(DeleteStep::Unbound { target });
    }
    progress(DeleteStep::Deleting);
    match client.delete_template(id).await {
        Ok(_) => {
            progress(DeleteStep::Deleted);
            Ok(())
        }
        Err(e) => {
            let error = AppError::from(e);
            progress(DeleteStep::Failed { error: error.clone() });
            Err(error)
        }
    }
}

/// Every push domain (all pages) with its rules.
pub async fn domains(client: &Client) -> Result<Vec<DomainRow>, AppError> {
    let filter = api::DescribeLiveDomains {
        domain_type: Some(api::DOMAIN_TYPE_PUSH),
        ..Default::default()
    };
    let (domains, rules) = tokio::try_join!(client.all_domains(filter), client.rules())?;
    Ok(domains
        .into_iter()
        .map(|domain| {
            let rules = rules.iter().filter(|r| r.domain_name == domain.name).cloned().collect();
            DomainRow { domain, rules }
        })
        .collect())
}

/// Bind a template to each target in turn; one result per target, nothing retried blindly.
pub async fn bind(client: &Client, template_id: i64, targets: &[BindTarget]) -> Vec<ItemResult> {
    let mut out = Vec::with_capacity(targets.len());
    for t in targets {
        let r = client.bind(template_id, &t.domain, &t.app_name).await;
        out.push(ItemResult {
            target: t.clone(),
            ok: r.is_ok(),
            error: r.err().map(AppError::from),
        });
    }
    out
}

pub async fn unbind(client: &Client, targets: &[BindTarget]) -> Vec<ItemResult> {
    let mut out = Vec::with_capacity(targets.len());
    for t in targets {
        let r = client.unbind(&t.domain, &t.app_name).await;
        out.push(ItemResult {
            target: t.clone(),
            ok: r.is_ok(),
            error: r.err().map(AppError::from),
        });
    }
    out
}
