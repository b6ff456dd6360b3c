//! What the emulated service knows, per account: templates, rules, domains and the delivery log.
//! Saved as one JSON file (written atomically) when a state directory is given.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tencent_live::api::{ApiTime, CallbackEventInfo, CallbackRule, CallbackTemplate, DomainInfo};

/// One account's state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccountState {
    pub appid: i64,
    pub templates: BTreeMap<i64, CallbackTemplate>,
    pub rules: Vec<CallbackRule>,
    pub domains: Vec<DomainInfo>,
    /// Delivered callbacks, oldest first (DescribeCallbackRecordsList reads this).
    pub deliveries: Vec<CallbackEventInfo>,
}

/// Every account's state, keyed by SecretId.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct World {
    pub accounts: BTreeMap<String, AccountState>,
    /// Template ids are unique across the whole service, as in Tencent's.
    pub next_template_id: i64,
}

/// A domain to create at start-up (the file given to `--domains` is a JSON list of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainSeed {
    pub name: String,
    /// `push` or `play`.
    #[serde(rename = "type")]
    pub kind: DomainKind,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DomainKind {
    Push,
    Play,
}

impl DomainSeed {
    pub fn push(name: &str) -> DomainSeed {
        DomainSeed {
            name: name.to_owned(),
            kind: DomainKind::Push,
            enabled: true,
        }
    }

    pub fn play(name: &str) -> DomainSeed {
        DomainSeed {
            name: name.to_owned(),
            kind: DomainKind::Play,
            enabled: true,
        }
    }

    /// The domains every new account gets unless a list is given.
    pub fn defaults(appid: i64) -> Vec<DomainSeed> {
        vec![
            DomainSeed::push(&format!("{appid}.livepush.myqcloud.com")),
            DomainSeed::push("push.example.com"),
            DomainSeed::push("push2.example.com"),
            DomainSeed::play("play.example.com"),
        ]
    }

    pub fn to_domain(&self, created: i64) -> DomainInfo {
        let (domain_type, suffix) = match self.kind {
            DomainKind::Push => (0, "tlivepush.com"),
            DomainKind::Play => (1, "tlivecdn.com"),
        };
        let target = format!("{}.{suffix}", self.name);
        DomainInfo {
            name: self.name.clone(),
            domain_type,
            status: i64::from(self.enabled),
            create_time: ApiTime::from_unix(created),
            bc_name: 1,
            current_cname: format!("{target}."),
            target_domain: target,
            play_type: if self.kind == DomainKind::Play { 1 } else { 0 },
            is_delay_live: 0,
            rent_tag: 0,
            rent_expire_time: "0000-00-00 00:00:00".into(),
            is_mini_program_live: 0,
        }
    }
}

impl World {
    pub fn new() -> World {
        World {
            accounts: BTreeMap::new(),
            next_template_id: 1000,
        }
    }

    /// Add an account unless it exists, with the given domains.
    pub fn ensure_account(&mut self, secret_id: &str, appid: i64, domains: &[DomainSeed], now: i64) {
        self.accounts
            .entry(secret_id.to_owned())
            .or_insert_with(|| AccountState {
                appid,
                domains: domains.iter().map(|d| d.to_domain(now)).collect(),
                ..AccountState::default()
            });
    }

    pub fn load(path: &Path) -> Result<Option<World>, StateError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| StateError::Corrupt(path.to_owned(), e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StateError::Io(path.to_owned(), e.to_string())),
        }
    }

    /// Write to a temporary file beside `path`, flush it to disk, then rename over `path`.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        use std::io::Write;
        let io = |e: std::io::Error| StateError::Io(path.to_owned(), e.to_string());
        let tmp = path.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| StateError::Io(path.to_owned(), e.to_string()))?;
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(&bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read or write the emulator state {0}: {1}")]
    Io(PathBuf, String),
    #[error("the emulator state {0} is not valid ({1}); move it aside or start with --ephemeral")]
    Corrupt(PathBuf, String),
}
