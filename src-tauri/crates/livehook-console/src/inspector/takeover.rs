//! "Use the inspector for this template": a template's callback URLs pointed at the receiver, the
//! URLs it had saved first (URLs only, never its key), and restoring them.

use super::*;

/// A template's callback URLs, without its name, description, levels or key.
pub(super) fn urls_only(fields: TemplateFields) -> TemplateFields {
    TemplateFields {
        template_name: None,
        description: None,
        callback_key: None,
        record_exception_levels: None,
        ..fields
    }
}

impl Inspector {
    /// An earlier version kept the template's whole fields, its callback key among them, in the
    /// restore file: rewrite it with the URLs only.
    pub(super) fn scrub_saved_urls(&self) {
        let Ok(raw) = std::fs::read_to_string(self.saved_urls_path()) else {
            return;
        };
        let Ok(all) = serde_json::from_str::<HashMap<String, TemplateFields>>(&raw) else {
            return;
        };
        if all
            .values()
            .any(|f| f.callback_key.is_some() || f.template_name.is_some() || f.description.is_some())
        {
            if let Err(e) = self.save_urls(&all) {
                tracing::warn!("the inspector's restore file still holds a callback key: {}", e.message);
            }
        }
    }

    pub(super) fn saved_urls_path(&self) -> PathBuf {
        self.dir.join("replaced-urls.json")
    }

    pub(super) fn saved_urls(&self) -> HashMap<String, TemplateFields> {
        std::fs::read_to_string(self.saved_urls_path())
            .ok()
            .and_then(|s| serde_json::from_str::<HashMap<String, TemplateFields>>(&s).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|(id, fields)| (id, urls_only(fields)))
            .collect()
    }

    pub(super) fn save_urls(&self, all: &HashMap<String, TemplateFields>) -> Result<(), AppError> {
        // urls_only again: a file written by an earlier version (with the key) is rewritten without.
        let all: HashMap<&String, TemplateFields> = all.iter().map(|(id, f)| (id, urls_only(f.clone()))).collect();
        let text = serde_json::to_string_pretty(&all).expect("serialisable");
        crate::files::write_atomic(&self.saved_urls_path(), text.as_bytes()).map_err(|e| {
            AppError::new(
                AppErrorKind::Internal,
                format!("Could not save the template's earlier URLs: {e}"),
            )
        })
    }

    /// Point every callback URL of a template at the inspector (`base`, e.g. its own address or a
    /// tunnel's public URL), one path per event type, keeping the old URLs to restore.
    pub async fn use_for_template(&self, client: &Client, template_id: i64, base: String) -> Result<(), AppError> {
        let base = base.trim().trim_end_matches('/').to_owned();
        if !is_http_url(&base) {
            return Err(not_http(&base));
        }
        let current = TemplateFields::from_template(&client.template(template_id).await?);
        let mut saved = self.saved_urls();
        let first = !saved.contains_key(&template_id.to_string());
        if first {
            // Only the URLs are kept to restore: the key stays in the keyring and the cloud.
            saved.insert(template_id.to_string(), urls_only(current));
        }
        // The restore point is on disk before the cloud template changes: a crash in between
        // leaves a way back, not a template pointing at the inspector with nothing to restore.
        self.save_urls(&saved)?;
        let url = |slug: &str| Some(format!("{base}/{slug}"));
        let changes = TemplateFields {
            stream_begin_notify_url: url("push"),
            stream_end_notify_url: url("interruption"),
            record_notify_url: url("recording"),
            record_status_notify_url: url("recording-status"),
            snapshot_notify_url: url("screenshot"),
            porn_censorship_notify_url: url("porn-detection"),
            push_exception_notify_url: url("push-exception"),
            audio_audit_notify_url: url("audio-audit"),
            record_exception_notify_url: url("recording-exception"),
            ..Default::default()
        };
        if let Err(e) = crate::ops::update_template(client, template_id, &changes).await {
            if first {
                saved.remove(&template_id.to_string());
                let _ = self.save_urls(&saved);
            }
            return Err(e);
        }
        self.refresh_keys(client).await
    }

    /// Put back the URLs a template had before `use_for_template`.
    pub async fn restore_template(&self, client: &Client, template_id: i64) -> Result<(), AppError> {
        let mut saved = self.saved_urls();
        let Some(before) = saved.get(&template_id.to_string()).cloned() else {
            return Err(AppError::new(
                AppErrorKind::NotFound,
                format!("LiveHook has no earlier URLs of template {template_id} to restore."),
            ));
        };
        let changes = TemplateFields {
            template_name: None,
            description: None,
            callback_key: None,
            record_exception_levels: None,
            ..before
        };
        crate::ops::update_template(client, template_id, &changes).await?;
        saved.remove(&template_id.to_string());
        self.save_urls(&saved)
    }

    /// Templates whose URLs the inspector replaced (their ids).
    pub fn taken_over(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.saved_urls().keys().filter_map(|k| k.parse().ok()).collect();
        ids.sort();
        ids
    }
}
