//! Where SecretKeys and session tokens live: the OS keyring (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows), never a file. Entries are keyed by the app identifier (the keyring
//! "service") and `<profile>/<kind>` (the "user"). Tests use [`MemoryStore`].

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use tencent_live::Secret;

/// Which secret of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    SecretKey,
    SessionToken,
    /// The event inspector's keys added by hand (one entry, a JSON list), under [`INSPECTOR_OWNER`].
    InspectorKeys,
    /// A remote inspector's read-API token, under [`remote_owner`] of the saved remote's id.
    RemoteToken,
}

/// The "profile" part of a remote inspector's keyring entry. Profiles never hold a
/// [`SecretKind::RemoteToken`] entry, so this cannot collide with a profile's secrets.
pub fn remote_owner(id: &str) -> String {
    format!("remote-inspector-{id}")
}

/// The "profile" part of the inspector's own keyring entry. Profiles never hold an
/// [`SecretKind::InspectorKeys`] entry, so a profile of this name does not collide with it.
pub const INSPECTOR_OWNER: &str = "inspector";

impl SecretKind {
    fn suffix(self) -> &'static str {
        match self {
            SecretKind::SecretKey => "secret-key",
            SecretKind::SessionToken => "session-token",
            SecretKind::InspectorKeys => "inspector-keys",
            SecretKind::RemoteToken => "api-token",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No keyring service answered (e.g. a Linux desktop without a Secret Service such as GNOME Keyring).
    #[error("no keyring service is available ({0}). On Linux install and start a Secret Service provider, e.g. `sudo apt install gnome-keyring` and log in again; LiveHook does not fall back to storing keys in a file.")]
    Unavailable(String),
    /// The keyring refused (locked, access denied, …).
    #[error("the keyring refused the request: {0}")]
    Refused(String),
}

/// A place to keep secrets. Implementations must never log or persist values elsewhere.
pub trait SecretStore: Send + Sync + fmt::Debug {
    fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), SecretError>;
    fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, SecretError>;
    fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), SecretError>;

    /// Remove every secret of a profile.
    fn delete_all(&self, profile: &str) -> Result<(), SecretError> {
        self.delete(profile, SecretKind::SecretKey)?;
        self.delete(profile, SecretKind::SessionToken)
    }

    /// Move a profile's secrets to a new name (rename).
    fn rename(&self, from: &str, to: &str) -> Result<(), SecretError> {
        for kind in [SecretKind::SecretKey, SecretKind::SessionToken] {
            if let Some(v) = self.get(from, kind)? {
                self.set(to, kind, &v)?;
                self.delete(from, kind)?;
            }
        }
        Ok(())
    }
}

/// The OS keyring, under `service` (the app identifier; dev builds use a distinct one).
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: &str) -> KeyringStore {
        KeyringStore {
            service: service.to_owned(),
        }
    }

    fn entry(&self, profile: &str, kind: SecretKind) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, &format!("{profile}/{}", kind.suffix())).map_err(map_err)
    }
}

fn map_err(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            SecretError::Unavailable(inner.to_string())
        }
        other => SecretError::Refused(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), SecretError> {
        self.entry(profile, kind)?.set_password(value.expose()).map_err(map_err)
    }

    fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, SecretError> {
        match self.entry(profile, kind)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), SecretError> {
        match self.entry(profile, kind)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
}

/// Secrets in memory, for tests and the offline demo.
#[derive(Debug, Default)]
pub struct MemoryStore {
    values: Mutex<HashMap<(String, SecretKind), Secret>>,
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, SecretKind), Secret>> {
        self.values.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), SecretError> {
        self.lock().insert((profile.to_owned(), kind), value.clone());
        Ok(())
    }

    fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, SecretError> {
        Ok(self.lock().get(&(profile.to_owned(), kind)).cloned())
    }

    fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), SecretError> {
        self.lock().remove(&(profile.to_owned(), kind));
        Ok(())
    }
}
