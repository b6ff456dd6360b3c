//! Which account the console talks to: a profile (keys from the keyring at signing time), or the offline
//! demo — the emulator running in this process on a loopback port with demo keys and seeded domains.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use live_emulator::{Account, DeliveryConfig, Emulator, EmulatorConfig, RunningEmulator};
use serde::Serialize;
use tencent_live::{Client, ClientConfig, Credentials, Secret};
use tokio::sync::OnceCell;
use ts_rs::TS;

use crate::error::{AppError, AppErrorKind};
use crate::profiles::{ProfileStore, ProfileView};

pub const DEMO_SECRET_ID: &str = "AKIDLiveHookDemo0000000000000000";
pub const DEMO_SECRET_KEY: &str = "livehookdemokey";

/// What the UI needs to know about where it is connected.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// True when no profile is active and the offline demo is in use.
    pub demo: bool,
    pub active_profile: Option<String>,
    pub endpoint: String,
    pub profiles: Vec<ProfileView>,
}

/// The result of "Test connection".
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub ok: bool,
    pub templates: u32,
    /// Seconds the local clock was found to be off (0 when fine).
    pub clock_offset: i64,
    pub error: Option<AppError>,
}

#[derive(Debug)]
pub struct Console {
    store: ProfileStore,
    demo_dir: PathBuf,
    demo: OnceCell<RunningEmulator>,
    /// The client of the active target, kept so its rate limiter and clock offset persist.
    client: Mutex<Option<(String, Client)>>,
    /// Set to stop the delivery log read under way.
    pub delivery_cancel: std::sync::atomic::AtomicBool,
    /// What delivery logs read in this session showed: per account, (domain, AppName) → the latest
    /// time a callback was sent for it (UNIX ms).
    pub delivered: Mutex<std::collections::HashMap<(String, String, String), i64>>,
}

fn client_config(endpoint: &str) -> ClientConfig {
    ClientConfig {
        endpoint: endpoint.to_owned(),
        request_timeout: Duration::from_secs(30),
        ..ClientConfig::default()
    }
}

impl Console {
    /// `demo_dir` keeps the demo's state between runs.
    pub fn new(store: ProfileStore, demo_dir: PathBuf) -> Console {
        Console {
            store,
            demo_dir,
            demo: OnceCell::new(),
            client: Mutex::new(None),
            delivery_cancel: std::sync::atomic::AtomicBool::new(false),
            delivered: Mutex::new(std::collections::HashMap::new()),
        }
    }

    pub fn store(&self) -> &ProfileStore {
        &self.store
    }

    async fn demo(&self) -> Result<&RunningEmulator, AppError> {
        self.demo
            .get_or_try_init(|| async {
                let mut config = EmulatorConfig::new(vec![Account::new(DEMO_SECRET_ID, DEMO_SECRET_KEY)]);
                config.state_dir = Some(self.demo_dir.clone());
                config.delivery = DeliveryConfig {
                    time_scale: 60.0,
                    ..DeliveryConfig::default()
                };
                let emulator =
                    Emulator::new(config).map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?;
                emulator
                    .start("127.0.0.1:0".parse().expect("a socket address"))
                    .await
                    .map_err(|e| {
                        AppError::new(
                            AppErrorKind::PortInUse,
                            format!("the offline demo could not listen on 127.0.0.1: {e}"),
                        )
                    })
            })
            .await
    }

    /// The emulator behind the offline demo (started on first use).
    pub async fn demo_emulator(&self) -> Result<Emulator, AppError> {
        Ok(self.demo().await?.emulator.clone())
    }

    /// In the offline demo, push a stream for a short session (push, recording, screenshots, audits,
    /// interruption); its callbacks go to the URLs of the template bound to the domain.
    pub async fn demo_scenario(&self, domain: String, app_name: String, stream_id: String) -> Result<(), AppError> {
        if !self.status().await?.demo {
            return Err(AppError::new(
                AppErrorKind::Validation,
                "Test streams exist only in the offline demo; push a real stream to your domain instead.",
            ));
        }
        let emulator = self.demo_emulator().await?;
        let spec = live_emulator::StreamSpec::new(&domain, &app_name, &stream_id);
        emulator
            .check_stream(&spec)
            .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))?;
        tokio::spawn(async move {
            if let Err(e) = emulator.scenario(&[spec], 2, Duration::from_secs(60)).await {
                tracing::warn!("the demo stream stopped: {e}");
            }
        });
        Ok(())
    }

    pub async fn status(&self) -> Result<Status, AppError> {
        let settings = self.store.load()?;
        let profiles = self.store.list()?;
        Ok(
            match settings
                .active
                .and_then(|a| settings.profiles.into_iter().find(|p| p.name == a))
            {
                Some(p) => Status {
                    demo: false,
                    active_profile: Some(p.name),
                    endpoint: p.endpoint,
                    profiles,
                },
                None => Status {
                    demo: true,
                    active_profile: None,
                    endpoint: self.demo().await?.endpoint(),
                    profiles,
                },
            },
        )
    }

    /// The account the lists and the delivery log's evidence belong to: `profile:<name>` or `demo`.
    /// An active name with no profile of that name is the demo, as for [`Console::client`] and
    /// [`Console::status`].
    pub fn account_key(&self) -> String {
        let settings = self.store.load().ok();
        match settings.and_then(|s| s.active.filter(|a| s.profiles.iter().any(|p| &p.name == a))) {
            Some(name) => format!("profile:{name}"),
            None => "demo".into(),
        }
    }

    /// The client for the active profile, or for the demo.
    pub async fn client(&self) -> Result<Client, AppError> {
        let settings = self.store.load()?;
        let (key, client) = match settings
            .active
            .and_then(|a| settings.profiles.into_iter().find(|p| p.name == a))
        {
            Some(p) => {
                let key = format!("profile:{}:{}:{}", p.name, p.secret_id, p.endpoint);
                if let Some(c) = self.cached(&key) {
                    return Ok(c);
                }
                // Fail early with the keyring's own explanation rather than at signing time.
                self.store.credentials(&p.name)?;
                (
                    key,
                    Client::new(client_config(&p.endpoint), self.store.source(&p.name))?,
                )
            }
            None => {
                let endpoint = self.demo().await?.endpoint();
                let key = format!("demo:{endpoint}");
                if let Some(c) = self.cached(&key) {
                    return Ok(c);
                }
                let creds = Credentials::new(DEMO_SECRET_ID, Secret::new(DEMO_SECRET_KEY));
                (key, Client::new(client_config(&endpoint), Arc::new(creds))?)
            }
        };
        *self.client.lock().unwrap_or_else(|p| p.into_inner()) = Some((key, client.clone()));
        Ok(client)
    }

    fn cached(&self, key: &str) -> Option<Client> {
        let guard = self.client.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().filter(|(k, _)| k == key).map(|(_, c)| c.clone())
    }

    /// Use the offline demo (no profile active).
    pub fn use_demo(&self) -> Result<(), AppError> {
        let mut settings = self.store.load()?;
        settings.active = None;
        self.store.save(&settings)?;
        Ok(())
    }

    /// Try a profile's keys against its endpoint with one read-only call.
    pub async fn test_connection(&self, name: &str) -> Result<ConnectionReport, AppError> {
        let profile = self.store.profile(name)?;
        self.store.credentials(name)?;
        let client = Client::new(client_config(&profile.endpoint), self.store.source(name))?;
        Ok(match client.templates().await {
            Ok(t) => ConnectionReport {
                ok: true,
                templates: t.len() as u32,
                clock_offset: client.clock_offset(),
                error: None,
            },
            Err(e) => ConnectionReport {
                ok: false,
                templates: 0,
                clock_offset: client.clock_offset(),
                error: Some(e.into()),
            },
        })
    }
}
