//! Accounts as named profiles. Everything but the secrets goes to a versioned JSON settings file that is
//! written atomically; SecretKeys and session tokens go to a [`SecretStore`] (the OS keyring). The UI
//! learns whether a secret is set, never what it is.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tencent_live::client::CredentialSource;
use tencent_live::secret::mask_secret_id;
use tencent_live::{Credentials, Language, Secret};

use crate::secrets::{SecretError, SecretKind, SecretStore};

pub const SETTINGS_VERSION: u32 = 1;
/// The app identifier: the keyring service name and the settings directory. Debug builds use their own,
/// so a development build never touches the profiles of an installed LiveHook.
pub const APP_ID: &str = if cfg!(debug_assertions) {
    "com.livehook.desktop.dev"
} else {
    "com.livehook.desktop"
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub secret_id: String,
    #[serde(default = "default_endpoint")]
    pub endpoint: String,
    /// Language of the cloud's error messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

fn default_endpoint() -> String {
    tencent_live::api::DEFAULT_ENDPOINT.to_owned()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct UiSettings {
    /// `zh-CN` or `en-US`; unset: follow the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `light`, `dark`; unset: follow the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub version: u32,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    #[serde(default)]
    pub ui: UiSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SETTINGS_VERSION,
            profiles: Vec::new(),
            active: None,
            ui: UiSettings::default(),
        }
    }
}

/// A profile as the UI sees it: no secret, only whether one is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub name: String,
    pub secret_id_masked: String,
    pub endpoint: String,
    pub language: Option<Language>,
    pub has_secret: bool,
    pub has_token: bool,
    pub active: bool,
}

/// A new profile. The secrets pass through here once, on their way to the keyring, as [`Secret`]s:
/// `Debug` hides them and their memory is zeroed when dropped.
#[derive(Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NewProfile {
    pub name: String,
    pub secret_id: String,
    #[ts(type = "string")]
    pub secret_key: Secret,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub session_token: Option<Secret>,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub language: Option<Language>,
}

/// Changes to a profile; `None` keeps a value. A session token of `""` removes the stored one;
/// `clear_language` goes back to the app's language (a `language` given with it wins). `Debug` hides
/// the secrets.
#[derive(Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileChanges {
    #[serde(default)]
    pub secret_id: Option<String>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub secret_key: Option<Secret>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub session_token: Option<Secret>,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub clear_language: bool,
}

/// `Some(<redacted>)` for a secret that is there, `None` for one that is not.
fn redacted(v: &Option<Secret>) -> Option<&'static str> {
    v.as_ref().map(|_| "<redacted>")
}

impl std::fmt::Debug for NewProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewProfile")
            .field("name", &self.name)
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("session_token", &redacted(&self.session_token))
            .field("endpoint", &self.endpoint)
            .field("language", &self.language)
            .finish()
    }
}

impl std::fmt::Debug for ProfileChanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileChanges")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &redacted(&self.secret_key))
            .field("session_token", &redacted(&self.session_token))
            .field("endpoint", &self.endpoint)
            .field("language", &self.language)
            .field("clear_language", &self.clear_language)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{0}")]
    Invalid(String),
    #[error("there is no profile named {0:?}")]
    NotFound(String),
    #[error("a profile named {0:?} already exists")]
    Exists(String),
    #[error("the profile {0:?} has no SecretKey in the keyring; edit the profile and enter it again")]
    NoSecret(String),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("cannot read or write the settings file {0}: {1}")]
    Io(PathBuf, String),
    #[error("the settings file {0} was written by a newer LiveHook (version {1}); update LiveHook")]
    TooNew(PathBuf, u32),
    #[error("the settings file {0} is damaged ({1}); it was left as it is")]
    Corrupt(PathBuf, String),
}

/// The settings directory of `app_id`, where the desktop app keeps `settings.json`
/// (`LIVEHOOK_CONFIG_DIR` overrides it).
pub fn config_dir(app_id: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("LIVEHOOK_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let base = if cfg!(target_os = "macos") {
        home.map(|h| h.join("Library/Application Support"))
    } else if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".config")))
    };
    base.map(|b| b.join(app_id))
}

/// Profiles in a settings file plus their secrets in a store.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    path: PathBuf,
    secrets: Arc<dyn SecretStore>,
}

fn check_name(name: &str) -> Result<(), ProfileError> {
    let n = name.trim();
    if n.is_empty()
        || n.chars().count() > 64
        || n != name
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(ProfileError::Invalid(
            "a profile name is 1–64 characters, without slashes or leading and trailing spaces".into(),
        ));
    }
    Ok(())
}

/// A secret without the spaces a paste brings, itself a [`Secret`] (zeroed when dropped).
fn trimmed(s: &Secret) -> Secret {
    Secret::new(s.expose().trim())
}

fn check_secret_id(id: &str) -> Result<(), ProfileError> {
    if id.is_empty() || id.chars().any(char::is_whitespace) {
        return Err(ProfileError::Invalid(
            "the SecretId must not be empty or contain spaces".into(),
        ));
    }
    Ok(())
}

fn check_endpoint(endpoint: &str) -> Result<(), ProfileError> {
    if !tencent_live::validate::is_http_url(endpoint) {
        return Err(ProfileError::Invalid(format!(
            "the endpoint {endpoint:?} is not an http:// or https:// address"
        )));
    }
    // Plain http to another machine would carry the signed requests (and a session token) in the
    // clear; the command line can be told to allow it (--allow-insecure-http), a saved account not.
    if let Ok(url) = url::Url::parse(endpoint) {
        if url.scheme() == "http" && !tencent_live::client::is_loopback(&url) {
            return Err(ProfileError::Invalid(format!(
                "the endpoint {endpoint:?} is plain http:// on another machine: requests would cross the network unencrypted; use https:// (plain http is allowed only to this computer, e.g. an emulator on 127.0.0.1)"
            )));
        }
    }
    Ok(())
}

impl ProfileStore {
    pub fn new(dir: &Path, secrets: Arc<dyn SecretStore>) -> ProfileStore {
        ProfileStore {
            path: dir.join("settings.json"),
            secrets,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Result<Settings, ProfileError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => return Err(ProfileError::Io(self.path.clone(), e.to_string())),
        };
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| ProfileError::Corrupt(self.path.clone(), e.to_string()))?;
        let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0) as u32;
        if version > SETTINGS_VERSION {
            return Err(ProfileError::TooNew(self.path.clone(), version));
        }
        serde_json::from_value(value).map_err(|e| ProfileError::Corrupt(self.path.clone(), e.to_string()))
    }

    /// Write to a temporary file in the same directory, flush it, then rename it over the old one.
    pub fn save(&self, settings: &Settings) -> Result<(), ProfileError> {
        let bytes =
            serde_json::to_vec_pretty(settings).map_err(|e| ProfileError::Io(self.path.clone(), e.to_string()))?;
        crate::files::write_atomic(&self.path, &bytes).map_err(|e| ProfileError::Io(self.path.clone(), e.to_string()))
    }

    fn view(&self, p: &Profile, active: bool) -> Result<ProfileView, ProfileError> {
        Ok(ProfileView {
            name: p.name.clone(),
            secret_id_masked: mask_secret_id(&p.secret_id),
            endpoint: p.endpoint.clone(),
            language: p.language,
            has_secret: self.secrets.get(&p.name, SecretKind::SecretKey)?.is_some(),
            has_token: self.secrets.get(&p.name, SecretKind::SessionToken)?.is_some(),
            active,
        })
    }

    pub fn list(&self) -> Result<Vec<ProfileView>, ProfileError> {
        let s = self.load()?;
        s.profiles
            .iter()
            .map(|p| self.view(p, s.active.as_deref() == Some(p.name.as_str())))
            .collect()
    }

    pub fn add(&self, new: NewProfile) -> Result<ProfileView, ProfileError> {
        check_name(&new.name)?;
        let secret_id = new.secret_id.trim().to_owned();
        check_secret_id(&secret_id)?;
        if new.secret_key.expose().trim().is_empty() {
            return Err(ProfileError::Invalid("the SecretKey must not be empty".into()));
        }
        let endpoint = new
            .endpoint
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(default_endpoint);
        check_endpoint(&endpoint)?;
        let mut settings = self.load()?;
        if settings.profiles.iter().any(|p| p.name == new.name) {
            return Err(ProfileError::Exists(new.name));
        }
        // Secrets first: if the keyring is unavailable, nothing is half-saved.
        self.secrets
            .set(&new.name, SecretKind::SecretKey, &trimmed(&new.secret_key))?;
        if let Some(token) = new.session_token.filter(|t| !t.expose().trim().is_empty()) {
            self.secrets
                .set(&new.name, SecretKind::SessionToken, &trimmed(&token))?;
        }
        let profile = Profile {
            name: new.name.clone(),
            secret_id,
            endpoint,
            language: new.language,
        };
        settings.profiles.push(profile.clone());
        if settings.active.is_none() {
            settings.active = Some(new.name.clone());
        }
        if let Err(e) = self.save(&settings) {
            let _ = self.secrets.delete_all(&new.name);
            return Err(e);
        }
        self.view(&profile, settings.active.as_deref() == Some(new.name.as_str()))
    }

    pub fn update(&self, name: &str, changes: ProfileChanges) -> Result<ProfileView, ProfileError> {
        let mut settings = self.load()?;
        let index = settings
            .profiles
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        let mut profile = settings.profiles[index].clone();
        if let Some(id) = changes.secret_id {
            check_secret_id(id.trim())?;
            profile.secret_id = id.trim().to_owned();
        }
        if let Some(endpoint) = changes.endpoint {
            let endpoint = if endpoint.trim().is_empty() {
                default_endpoint()
            } else {
                endpoint
            };
            check_endpoint(&endpoint)?;
            profile.endpoint = endpoint;
        }
        if changes.language.is_some() {
            profile.language = changes.language;
        } else if changes.clear_language {
            profile.language = None;
        }
        if let Some(key) = changes.secret_key.filter(|k| !k.expose().trim().is_empty()) {
            self.secrets.set(name, SecretKind::SecretKey, &trimmed(&key))?;
        }
        match changes.session_token {
            Some(t) if t.expose().trim().is_empty() => self.secrets.delete(name, SecretKind::SessionToken)?,
            Some(t) => self.secrets.set(name, SecretKind::SessionToken, &trimmed(&t))?,
            None => {}
        }
        settings.profiles[index] = profile.clone();
        self.save(&settings)?;
        self.view(&profile, settings.active.as_deref() == Some(name))
    }

    pub fn rename(&self, from: &str, to: &str) -> Result<(), ProfileError> {
        check_name(to)?;
        let mut settings = self.load()?;
        if settings.profiles.iter().any(|p| p.name == to) {
            return Err(ProfileError::Exists(to.to_owned()));
        }
        let profile = settings
            .profiles
            .iter_mut()
            .find(|p| p.name == from)
            .ok_or_else(|| ProfileError::NotFound(from.to_owned()))?;
        self.secrets.rename(from, to)?;
        profile.name = to.to_owned();
        if settings.active.as_deref() == Some(from) {
            settings.active = Some(to.to_owned());
        }
        self.save(&settings)
    }

    pub fn delete(&self, name: &str) -> Result<(), ProfileError> {
        let mut settings = self.load()?;
        let before = settings.profiles.len();
        settings.profiles.retain(|p| p.name != name);
        if settings.profiles.len() == before {
            return Err(ProfileError::NotFound(name.to_owned()));
        }
        self.secrets.delete_all(name)?;
        if settings.active.as_deref() == Some(name) {
            settings.active = settings.profiles.first().map(|p| p.name.clone());
        }
        self.save(&settings)
    }

    pub fn set_active(&self, name: &str) -> Result<(), ProfileError> {
        let mut settings = self.load()?;
        if !settings.profiles.iter().any(|p| p.name == name) {
            return Err(ProfileError::NotFound(name.to_owned()));
        }
        settings.active = Some(name.to_owned());
        self.save(&settings)
    }

    pub fn profile(&self, name: &str) -> Result<Profile, ProfileError> {
        self.load()?
            .profiles
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| ProfileError::NotFound(name.to_owned()))
    }

    /// The profile's credentials, read from the keyring now.
    pub fn credentials(&self, name: &str) -> Result<Credentials, ProfileError> {
        let profile = self.profile(name)?;
        let key = self
            .secrets
            .get(name, SecretKind::SecretKey)?
            .ok_or_else(|| ProfileError::NoSecret(name.to_owned()))?;
        let mut creds = Credentials::new(profile.secret_id, key);
        if let Some(token) = self.secrets.get(name, SecretKind::SessionToken)? {
            creds = creds.with_token(token);
        }
        Ok(creds)
    }

    /// A credential source that reads this profile's secrets each time a request is signed.
    pub fn source(&self, name: &str) -> Arc<dyn CredentialSource> {
        Arc::new(ProfileCredentials {
            store: self.clone(),
            name: name.to_owned(),
        })
    }
}

#[derive(Debug)]
struct ProfileCredentials {
    store: ProfileStore,
    name: String,
}

impl CredentialSource for ProfileCredentials {
    fn credentials(&self) -> Result<Credentials, String> {
        self.store.credentials(&self.name).map_err(|e| e.to_string())
    }
}
