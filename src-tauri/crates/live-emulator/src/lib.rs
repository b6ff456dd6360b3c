//! A local stand-in for Tencent Cloud Live's callback-management API: the same actions, validation
//! and error codes, TC3-HMAC-SHA256 verification, several accounts, seeded domains, persistent state
//! and fault injection. Usable as a library (tests, the desktop app's demo mode) and through
//! `livehook emulator serve`.

mod actions;
mod auth;
pub mod delivery;
pub mod faults;
pub mod media;
mod params;
mod reply;
mod server;
pub mod simulate;
pub mod state;
pub mod tls;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tencent_live::client::Bucket;
use tencent_live::clock::{SharedClock, SystemClock};
use tencent_live::secret::Secret;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot};

pub use actions::{rate_limit, ACTIONS};
pub use delivery::{Attempt, DeliveryConfig};
pub use faults::{FaultKind, FaultRule, Faults};
pub use simulate::{Dispatch, SimError, StreamEvent, StreamSpec};
pub use state::{DomainKind, DomainSeed, StateError, World};
pub use tencent_live::callback::RetrySchedule;

/// One emulated account.
#[derive(Debug, Clone)]
pub struct Account {
    pub secret_id: String,
    pub secret_key: Secret,
    /// When set, every request must carry this `X-TC-Token` (temporary credentials).
    pub token: Option<Secret>,
    pub appid: i64,
}

impl Account {
    pub fn new(secret_id: &str, secret_key: &str) -> Account {
        Account {
            secret_id: secret_id.to_owned(),
            secret_key: Secret::new(secret_key),
            token: None,
            appid: 1_250_000_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub accounts: Vec<Account>,
    /// Domains for accounts that have none yet; `None` gives each account the default set.
    pub domains: Option<Vec<DomainSeed>>,
    /// Where `state.json` lives; `None` keeps everything in memory.
    pub state_dir: Option<PathBuf>,
    pub clock: SharedClock,
    pub rate_limit: RateLimit,
    /// How callbacks are delivered: timeout, retry schedule, time scale, binding delay.
    pub delivery: DeliveryConfig,
}

/// How many requests a second each action of each account may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// Tencent's documented rates (200 or 500 a second, per action).
    Documented,
    /// The same rate for every action (for tests and demos of `RequestLimitExceeded`).
    PerSecond(u32),
    Off,
}

impl EmulatorConfig {
    pub fn new(accounts: Vec<Account>) -> EmulatorConfig {
        EmulatorConfig {
            accounts,
            domains: None,
            state_dir: None,
            clock: Arc::new(SystemClock),
            rate_limit: RateLimit::Documented,
            delivery: DeliveryConfig::default(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Shared {
    accounts: HashMap<String, Account>,
    world: Mutex<World>,
    state_file: Option<PathBuf>,
    pub(crate) faults: Faults,
    pub(crate) clock: SharedClock,
    rate_limit: RateLimit,
    buckets: Mutex<HashMap<(String, &'static str), Bucket>>,
    pub(crate) delivery: DeliveryConfig,
    pub(crate) http: reqwest::Client,
    pub(crate) attempts: broadcast::Sender<Attempt>,
    pub(crate) streams: simulate::LiveStreams,
    /// `http://ADDR` while served: screenshot and audit pictures then point here (`media.rs`).
    pub(crate) media_base: Mutex<Option<String>>,
    /// How many signed requests each action has taken since start (after authentication, faults
    /// included), so that tests can say what a workflow costs.
    pub(crate) calls: Mutex<BTreeMap<&'static str, u64>>,
}

impl Shared {
    pub(crate) fn key_of(&self, secret_id: &str) -> Option<(Secret, Option<Secret>)> {
        self.accounts
            .get(secret_id)
            .map(|a| (a.secret_key.clone(), a.token.clone()))
    }

    pub(crate) fn within_rate(&self, secret_id: &str, action: &'static str) -> bool {
        let rate = match self.rate_limit {
            RateLimit::Off => return true,
            RateLimit::Documented => rate_limit(action),
            RateLimit::PerSecond(n) => n,
        };
        let now = tokio::time::Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets
            .entry((secret_id.to_owned(), action))
            .or_insert_with(|| Bucket::full(rate, now))
            .take(rate, now)
            .is_ok()
    }

    /// Run `f` on the state; when it reports a change, save the state file before answering.
    pub(crate) fn with_world<T>(
        &self,
        f: impl FnOnce(&mut World) -> Result<(T, bool), reply::Fault>,
    ) -> Result<T, reply::Fault> {
        let mut world = self.world.lock().unwrap_or_else(|p| p.into_inner());
        let (value, changed) = f(&mut world)?;
        if changed {
            if let Some(path) = &self.state_file {
                if let Err(e) = world.save(path) {
                    tracing::error!(%e, "could not save the emulator state");
                    return Err(reply::Fault::new(
                        "InternalError.DBError",
                        "The state could not be saved.",
                    ));
                }
            }
        }
        Ok(value)
    }

    pub(crate) fn snapshot(&self) -> World {
        self.snapshot_ref().clone()
    }

    pub(crate) fn snapshot_ref(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn snapshot_appid(&self, account: &str) -> i64 {
        self.snapshot_ref()
            .accounts
            .get(account)
            .map(|a| a.appid)
            .unwrap_or_default()
    }

    /// Append one delivery attempt to the account's log (bounded). Attempts are many and cheap to lose,
    /// so they are written with the next change to the state or at shutdown, not one file write each.
    pub(crate) fn log_delivery(&self, account: &str, record: tencent_live::api::CallbackEventInfo) {
        let mut world = self.snapshot_ref();
        if let Some(acc) = world.accounts.get_mut(account) {
            acc.deliveries.push(record);
            let excess = acc.deliveries.len().saturating_sub(delivery::LOG_LIMIT);
            acc.deliveries.drain(..excess);
        }
    }

    /// Write the state file now (at shutdown).
    pub(crate) fn save(&self) {
        if let Some(path) = &self.state_file {
            if let Err(e) = self.snapshot_ref().save(path) {
                tracing::error!(%e, "could not save the emulator state");
            }
        }
    }
}

/// The emulator, ready to serve. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
}

impl Emulator {
    pub fn new(config: EmulatorConfig) -> Result<Emulator, StateError> {
        let state_file = config.state_dir.as_ref().map(|d| d.join("state.json"));
        if let Some(dir) = &config.state_dir {
            std::fs::create_dir_all(dir).map_err(|e| StateError::Io(dir.clone(), e.to_string()))?;
        }
        let mut world = match &state_file {
            Some(path) => World::load(path)?.unwrap_or_else(World::new),
            None => World::new(),
        };
        let now = config.clock.now_unix();
        for account in &config.accounts {
            let seeds = config
                .domains
                .clone()
                .unwrap_or_else(|| DomainSeed::defaults(account.appid));
            world.ensure_account(&account.secret_id, account.appid, &seeds, now);
        }
        if let Some(path) = &state_file {
            world.save(path)?;
        }
        Ok(Emulator {
            shared: Arc::new(Shared {
                accounts: config.accounts.into_iter().map(|a| (a.secret_id.clone(), a)).collect(),
                world: Mutex::new(world),
                state_file,
                faults: Faults::default(),
                clock: config.clock,
                rate_limit: config.rate_limit,
                buckets: Mutex::new(HashMap::new()),
                delivery: config.delivery,
                http: reqwest::Client::builder()
                    .user_agent("LiveHook-Emulator-Callback/1.0")
                    .build()
                    .map_err(|e| StateError::Io(PathBuf::from("<http client>"), e.to_string()))?,
                attempts: broadcast::channel(4096).0,
                streams: Mutex::new(HashMap::new()),
                media_base: Mutex::new(None),
                calls: Mutex::new(BTreeMap::new()),
            }),
        })
    }

    pub fn router(&self) -> axum::Router {
        server::router(self.shared.clone())
    }

    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Every delivery attempt from now on, as it happens.
    pub fn subscribe(&self) -> broadcast::Receiver<Attempt> {
        self.shared.attempts.subscribe()
    }

    /// How many signed requests each action has taken so far, by action name.
    pub fn calls(&self) -> BTreeMap<&'static str, u64> {
        self.shared.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// A copy of every account's state.
    pub fn snapshot(&self) -> World {
        self.shared.snapshot()
    }

    /// Where the bodies sent from now on point their pictures (`<base>/__media/...`, served by
    /// [`Emulator::router`]); serving sets it to the listener's own address.
    pub fn set_media_base(&self, base: String) {
        *self.shared.media_base.lock().unwrap_or_else(|p| p.into_inner()) = Some(base);
    }

    /// Serve on `listener` until `shutdown` resolves.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        if let Ok(addr) = listener.local_addr() {
            self.set_media_base(format!("http://{addr}"));
        }
        let result = axum::serve(listener, self.router())
            .with_graceful_shutdown(shutdown)
            .await;
        self.shared.save();
        result
    }

    /// Serve HTTPS on `listener` until `shutdown` resolves (see [`tls::load`]).
    pub async fn serve_tls(
        self,
        listener: TcpListener,
        config: Arc<rustls::ServerConfig>,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        if let Ok(addr) = listener.local_addr() {
            self.set_media_base(format!("https://{addr}"));
        }
        let result = tls::serve(listener, config, self.router(), shutdown).await;
        self.shared.save();
        result
    }

    /// Bind `addr` (port 0 picks a free port) and serve in the background until the handle is dropped.
    pub async fn start(self, addr: SocketAddr) -> std::io::Result<RunningEmulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        // Before the task runs, so a stream started right away already points at the pictures.
        self.set_media_base(format!("http://{addr}"));
        let (tx, rx) = oneshot::channel::<()>();
        let emulator = self.clone();
        let task = tokio::spawn(async move {
            if let Err(e) = self
                .serve(listener, async {
                    let _ = rx.await;
                })
                .await
            {
                tracing::error!(%e, "the emulator stopped");
            }
        });
        Ok(RunningEmulator {
            addr,
            emulator,
            stop: Some(tx),
            task,
        })
    }
}

/// A running emulator; stops when dropped.
#[derive(Debug)]
pub struct RunningEmulator {
    pub addr: SocketAddr,
    pub emulator: Emulator,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningEmulator {
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop serving and wait until the listener is closed.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pictures' address is known the moment `start` returns, before the serving task has run: a
    /// stream pushed right away points its screenshots at the emulator, not at Tencent's hosts.
    #[tokio::test(flavor = "current_thread")]
    async fn a_started_emulator_knows_where_its_pictures_are_at_once() {
        let emulator = Emulator::new(EmulatorConfig::new(vec![Account::new("AKIDmedia", "k")])).expect("emulator");
        let running = emulator
            .start("127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("start");
        let base = running.emulator.shared.media_base.lock().expect("lock").clone();
        assert_eq!(base, Some(running.endpoint()));
        running.stop().await;
    }
}
