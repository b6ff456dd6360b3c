//! Templates to and from a JSON file. An export is a full snapshot of each template's fields, callback
//! keys only when asked. An import is planned first (create, update with the fields that change,
//! unchanged, or invalid with the reason), shown, and only the steps the user keeps are sent, one at a
//! time, each with its result. Templates are matched by name, as a person reads them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tencent_live::api::{CallbackTemplate, TemplateFields};
use tencent_live::validate::{self, Field, Purpose, Rules};
use tencent_live::Client;
use ts_rs::TS;

use crate::error::{AppError, AppErrorKind};
use crate::ops;

/// What the `format` member of an export says.
pub const FORMAT: &str = "livehook.callback-templates";
/// The newest version this build writes and reads.
pub const VERSION: u32 = 1;

/// The file's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateExport {
    pub format: String,
    pub version: u32,
    /// RFC 3339, UTC.
    pub exported_at: String,
    /// Whether the callback keys are in the file (it is then as secret as the keys).
    pub with_keys: bool,
    pub templates: Vec<TemplateFields>,
}

/// The export of `templates` (those in `ids` when given, in that order of the list).
pub fn export(templates: &[CallbackTemplate], ids: Option<&[i64]>, with_keys: bool) -> TemplateExport {
    let templates = templates
        .iter()
        .filter(|t| ids.is_none_or(|ids| ids.contains(&t.template_id)))
        .map(|t| {
            let mut f = TemplateFields::from_template(t);
            if !with_keys {
                f.callback_key = None;
            }
            f
        })
        .collect();
    TemplateExport {
        format: FORMAT.to_owned(),
        version: VERSION,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        with_keys,
        templates,
    }
}

/// The export as the text of a file: pretty JSON with a final newline.
pub fn export_text(export: &TemplateExport) -> String {
    let mut s = serde_json::to_string_pretty(export).expect("an export serialises");
    s.push('\n');
    s
}

/// One step of an import, as the user will approve it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "action")]
pub enum ImportStep {
    /// No template has this name: create it.
    Create { fields: TemplateFields },
    /// A template has this name and differs: send only `changes`.
    Update { id: i64, changes: TemplateFields },
}

/// What an import would do with one entry of the file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportItem {
    /// Position in the file, from 0.
    pub index: u32,
    pub name: String,
    /// `None` when there is nothing to send (unchanged or invalid).
    pub step: Option<ImportStep>,
    /// The fields an update changes, in the console's order.
    pub changed: Vec<Field>,
    /// The template with this name, when there is one.
    pub existing_id: Option<i64>,
    /// Why this entry cannot be imported.
    pub error: Option<AppError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    pub items: Vec<ImportItem>,
    /// Whether the file carries callback keys (entries without one keep the existing key).
    pub with_keys: bool,
}

/// A step the user kept, as the UI sends it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApprovedStep {
    pub index: u32,
    pub name: String,
    pub step: ImportStep,
}

/// The result of one step sent.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportResult {
    pub index: u32,
    pub name: String,
    pub ok: bool,
    /// The template created or updated.
    pub id: Option<i64>,
    pub error: Option<AppError>,
}

fn bad_file(message: impl Into<String>) -> AppError {
    AppError::new(AppErrorKind::Validation, message)
}

/// Read a file: an export of any version up to ours, or a bare list of templates written by hand.
pub fn parse(text: &str) -> Result<(Vec<TemplateFields>, bool), AppError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        bad_file(format!(
            "This file is not JSON (line {}, column {}: {e}). Choose a file exported by LiveHook.",
            e.line(),
            e.column()
        ))
    })?;
    let (list, with_keys) = match value {
        serde_json::Value::Array(items) => (items, true),
        serde_json::Value::Object(mut doc) => {
            match doc.get("format").and_then(|f| f.as_str()) {
                Some(FORMAT) => {}
                Some(other) => {
                    return Err(bad_file(format!(
                        "This file holds \"{other}\", not LiveHook callback templates."
                    )))
                }
                None => {
                    return Err(bad_file(
                        "This file has no \"format\"; it was not exported by LiveHook.",
                    ))
                }
            }
            let version = doc.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
            if version == 0 || version > u64::from(VERSION) {
                return Err(bad_file(format!(
                    "This file is version {version}; this LiveHook reads versions 1 to {VERSION}. Update LiveHook."
                )));
            }
            let with_keys = doc.get("withKeys").and_then(|v| v.as_bool()).unwrap_or(false);
            match doc.remove("templates") {
                Some(serde_json::Value::Array(items)) => (items, with_keys),
                _ => return Err(bad_file("This file has no \"templates\" list.")),
            }
        }
        _ => return Err(bad_file("This file holds neither an export nor a list of templates.")),
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        let fields: TemplateFields = serde_json::from_value(item)
            .map_err(|e| bad_file(format!("Template {} in the file is not a template: {e}", i + 1)))?;
        out.push(fields);
    }
    Ok((out, with_keys))
}

/// The fields of `wanted` that differ from `current`; unset fields in `wanted` are left as they are.
fn changes(current: &TemplateFields, wanted: &TemplateFields) -> (TemplateFields, Vec<Field>) {
    let mut out = TemplateFields::default();
    let mut changed = Vec::new();
    macro_rules! diff {
        ($($name:ident => $field:ident),* $(,)?) => {$(
            if wanted.$name.is_some() && wanted.$name != current.$name {
                out.$name = wanted.$name.clone();
                changed.push(Field::$field);
            }
        )*};
    }
    diff!(
        template_name => TemplateName,
        description => Description,
        callback_key => CallbackKey,
        stream_begin_notify_url => StreamBeginNotifyUrl,
        stream_end_notify_url => StreamEndNotifyUrl,
        record_notify_url => RecordNotifyUrl,
        record_status_notify_url => RecordStatusNotifyUrl,
        snapshot_notify_url => SnapshotNotifyUrl,
        porn_censorship_notify_url => PornCensorshipNotifyUrl,
        push_exception_notify_url => PushExceptionNotifyUrl,
        audio_audit_notify_url => AudioAuditNotifyUrl,
        record_exception_notify_url => RecordExceptionNotifyUrl,
    );
    if let Some(levels) = &wanted.record_exception_levels {
        let mut a = levels.clone();
        let mut b = current.record_exception_levels.clone().unwrap_or_default();
        a.sort();
        b.sort();
        if a != b {
            out.record_exception_levels = Some(levels.clone());
            changed.push(Field::RecordExceptionLevels);
        }
    }
    (out, changed)
}

/// What importing `text` into an account holding `existing` would do. Nothing is sent.
pub fn plan(text: &str, existing: &[CallbackTemplate]) -> Result<ImportPlan, AppError> {
    let (entries, with_keys) = parse(text)?;
    let mut by_name: HashMap<&str, Vec<&CallbackTemplate>> = HashMap::new();
    for t in existing {
        by_name.entry(t.template_name.as_str()).or_default().push(t);
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut items = Vec::with_capacity(entries.len());
    for (i, fields) in entries.into_iter().enumerate() {
        let index = i as u32;
        let name = fields.template_name.clone().unwrap_or_default();
        let mut item = ImportItem {
            index,
            name: name.clone(),
            step: None,
            changed: Vec::new(),
            existing_id: None,
            error: None,
        };
        if let Some(first) = seen.get(&name) {
            item.error = Some(bad_file(format!(
                "\"{name}\" is also template {} of this file; keep one of them.",
                first + 1
            )));
            items.push(item);
            continue;
        }
        seen.insert(name.clone(), index);
        match by_name.get(name.as_str()).map(Vec::as_slice) {
            None | Some([]) => match validate::validate_template(&fields, Rules::Console, Purpose::Create) {
                Ok(()) => item.step = Some(ImportStep::Create { fields }),
                Err(e) => item.error = Some(e.into()),
            },
            Some([current]) => {
                item.existing_id = Some(current.template_id);
                let current_fields = TemplateFields::from_template(current);
                let (changes, changed) = changes(&current_fields, &fields);
                if !changed.is_empty() {
                    match validate::validate_edit(&current_fields, &changes, Rules::Console) {
                        Ok(()) => {
                            item.step = Some(ImportStep::Update {
                                id: current.template_id,
                                changes,
                            });
                            item.changed = changed;
                        }
                        Err(e) => item.error = Some(e.into()),
                    }
                }
            }
            Some(several) => {
                let ids: Vec<String> = several.iter().map(|t| t.template_id.to_string()).collect();
                item.error = Some(bad_file(format!(
                    "{} templates are named \"{name}\" ({}); rename them so the import knows which to change.",
                    several.len(),
                    ids.join(", ")
                )));
            }
        }
        items.push(item);
    }
    Ok(ImportPlan { items, with_keys })
}

/// Plan an import against the account's templates as they are now.
pub async fn plan_for(client: &Client, text: &str) -> Result<ImportPlan, AppError> {
    plan(text, &client.templates().await?)
}

/// Send the approved steps one by one, each checked again before it goes; one result per step, reported
/// as it happens. A failed step does not stop the others, and none is repeated.
pub async fn apply(client: &Client, steps: &[ApprovedStep], progress: impl Fn(&ImportResult)) -> Vec<ImportResult> {
    let mut out = Vec::with_capacity(steps.len());
    for ApprovedStep { index, name, step } in steps {
        let result = match step {
            ImportStep::Create { fields } => ops::create_template(client, fields)
                .await
                .map(|row| row.template.template_id),
            ImportStep::Update { id, changes } => ops::update_template(client, *id, changes).await.map(|_| *id),
        };
        let r = ImportResult {
            index: *index,
            name: name.clone(),
            ok: result.is_ok(),
            id: result.as_ref().ok().copied(),
            error: result.err(),
        };
        progress(&r);
        out.push(r);
    }
    out
}

/// Write an export to `path`: absolute, ending in `.json`, never over an existing file unless
/// `overwrite`, written whole or not at all, and readable by the owner only (it may hold keys).
pub fn save(path: &std::path::Path, text: &str, overwrite: bool) -> Result<(), AppError> {
    crate::files::save_export(path, text.as_bytes(), overwrite, "json")
}
