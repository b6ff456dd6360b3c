//! The keys the receiver verifies with: the current account's template keys, and keys added by hand,
//! kept in the OS keyring (never in a file), with what to say when the keyring cannot be reached.

use super::*;

/// The callback keys of an account's templates, labelled by template.
pub fn template_keys(templates: &[CallbackTemplate]) -> Vec<NamedKey> {
    templates
        .iter()
        .filter(|t| !t.callback_key.is_empty())
        .map(|t| {
            NamedKey::new(
                format!("template {} ({})", t.template_id, t.template_name),
                t.callback_key.clone(),
            )
        })
        .collect()
}

/// One key added by hand, as kept in the keyring entry.
#[derive(Serialize, Deserialize)]
pub(super) struct ManualKey {
    label: String,
    key: String,
}

/// The keys added by hand, from the keyring, and a note when they could not be read; None for the
/// keys when the keyring did not answer (so nothing may be written over its entry yet).
pub(super) fn load_manual(secrets: &dyn SecretStore) -> (Option<Vec<NamedKey>>, Option<String>) {
    match secrets.get(INSPECTOR_OWNER, SecretKind::InspectorKeys) {
        Ok(None) => (Some(Vec::new()), None),
        Ok(Some(text)) => match serde_json::from_str::<Vec<ManualKey>>(text.expose()) {
            Ok(list) => (
                Some(list.into_iter().map(|k| NamedKey::new(k.label, k.key)).collect()),
                None,
            ),
            Err(e) => (
                Some(Vec::new()),
                Some(format!(
                    "The keyring entry of the inspector's keys is not readable ({e}); add the keys again to replace it."
                )),
            ),
        },
        Err(e) => (
            None,
            Some(format!(
                "The inspector's keys added by hand could not be read from the keyring: {e} Keys added now last until LiveHook closes."
            )),
        ),
    }
}

/// A callback key as it may be shown: at most a quarter of it and never more than 4 characters.
pub fn mask_key(key: &str) -> String {
    let shown = (key.chars().count() / 4).min(4);
    format!("{}****", key.chars().take(shown).collect::<String>())
}

impl Inspector {
    pub(super) fn keys(&self) -> Vec<NamedKey> {
        let mut keys = self.template_keys.lock().unwrap_or_else(|p| p.into_inner()).clone();
        keys.extend(self.manual.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned());
        keys
    }

    pub(super) async fn push_keys(&self) {
        let keys = self.keys();
        if let Some(r) = self.running.lock().await.as_ref() {
            r.receiver.set_keys(keys);
        }
    }

    /// Take the keys of the account's templates (call after the templates change).
    pub async fn refresh_keys(&self, client: &Client) -> Result<(), AppError> {
        let templates = client.templates().await?;
        *self.template_keys.lock().unwrap_or_else(|p| p.into_inner()) = template_keys(&templates);
        self.push_keys().await;
        Ok(())
    }

    /// Save the keys added by hand to the keyring. When it refuses they still work until the app
    /// closes, and the status says so. When an earlier run's keys could not be read yet, they are read
    /// (and kept) first; while the keyring stays silent nothing is written over them.
    pub(super) fn save_manual(&self, manual: &mut Vec<NamedKey>, removed: Option<&str>) {
        use std::sync::atomic::Ordering;
        if !self.manual_loaded.load(Ordering::SeqCst) {
            match load_manual(self.secrets.as_ref()) {
                (Some(stored), _) => {
                    for k in stored {
                        if Some(k.label.as_str()) != removed && !manual.iter().any(|m| m.label == k.label) {
                            manual.push(k);
                        }
                    }
                    self.manual_loaded.store(true, Ordering::SeqCst);
                }
                (None, note) => {
                    *self.keys_note.lock().unwrap_or_else(|p| p.into_inner()) = note;
                    return;
                }
            }
        }
        let result = if manual.is_empty() {
            self.secrets.delete(INSPECTOR_OWNER, SecretKind::InspectorKeys)
        } else {
            let list: Vec<ManualKey> = manual
                .iter()
                .map(|k| ManualKey {
                    label: k.label.clone(),
                    key: k.key.expose().to_owned(),
                })
                .collect();
            let text = Secret::new(serde_json::to_string(&list).expect("keys serialise"));
            self.secrets.set(INSPECTOR_OWNER, SecretKind::InspectorKeys, &text)
        };
        *self.keys_note.lock().unwrap_or_else(|p| p.into_inner()) = result.err().map(|e| {
            format!("The keys added by hand could not be saved in the keyring: {e} They work until LiveHook closes.")
        });
    }

    pub async fn add_key(&self, label: String, key: String) -> Result<(), AppError> {
        let label = label.trim().to_owned();
        if label.is_empty() || key.is_empty() {
            return Err(AppError::new(
                AppErrorKind::Validation,
                "A key needs a name and a value.",
            ));
        }
        {
            let mut manual = self.manual.lock().unwrap_or_else(|p| p.into_inner());
            if manual.iter().any(|k| k.label == label) {
                return Err(AppError::new(
                    AppErrorKind::AlreadyExists,
                    format!("A key named \"{label}\" exists."),
                ));
            }
            manual.push(NamedKey::new(label, key));
            self.save_manual(&mut manual, None);
        }
        self.push_keys().await;
        Ok(())
    }

    pub async fn remove_key(&self, label: &str) -> Result<(), AppError> {
        {
            let mut manual = self.manual.lock().unwrap_or_else(|p| p.into_inner());
            manual.retain(|k| k.label != label);
            self.save_manual(&mut manual, Some(label));
        }
        self.push_keys().await;
        Ok(())
    }
}
