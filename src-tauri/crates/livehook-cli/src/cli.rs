//! The command line: global options and one subcommand per area.
//!
//! Over 500 lines on purpose: it is the whole clap definition, one declaration per flag, read as one
//! tree; splitting it would scatter the command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tencent_live::Secret;

use crate::output::Format;

#[derive(Debug, Parser)]
#[command(
    name = "livehook",
    version = livehook_console::about::LONG_VERSION,
    about = "Tencent Cloud Live (CSS) callback templates, rules and domains, and a local emulator of the API",
    after_help = "Credentials come from --profile NAME (a LiveHook desktop profile, SecretKey in the OS keyring) \
                  or from TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and, for temporary keys, \
                  TENCENTCLOUD_SESSION_TOKEN.\nExit status: 0 success, 1 cloud or network error, 2 usage \
                  or validation error (nothing is sent)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The options of the commands that call the cloud (templates, rules, domains): given before or after
/// the subcommand; other commands neither take nor list them.
#[derive(Debug, Args)]
pub struct CloudOptions {
    /// API endpoint, e.g. http://127.0.0.1:9000 for the emulator [default: the profile's, else
    /// https://live.tencentcloudapi.com].
    #[arg(long, env = "LIVEHOOK_ENDPOINT", global = true)]
    pub endpoint: Option<String>,
    /// Allow a plain http:// endpoint on another machine (signed requests would cross the network
    /// unencrypted). Loopback addresses need no permission.
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
    /// Use the credentials of a LiveHook desktop profile (SecretKey from the OS keyring) instead of the
    /// TENCENTCLOUD_* environment variables.
    #[arg(long, env = "LIVEHOOK_PROFILE", global = true)]
    pub profile: Option<String>,
    #[command(flatten)]
    pub out: OutputOption,
    /// Language of the cloud's error messages (zh-CN or en-US).
    #[arg(long, global = true, value_parser = parse_language)]
    pub language: Option<tencent_live::Language>,
    /// Seconds to wait for an answer.
    #[arg(long, global = true, default_value_t = 30)]
    pub timeout: u64,
}

/// How a command that prints a result prints it.
#[derive(Debug, Args)]
pub struct OutputOption {
    /// table for people, json for scripts (one document, the cloud's field names).
    #[arg(long, value_enum, global = true, default_value = "table")]
    pub output: Format,
}

/// A value that is a secret (or holds one): kept out of `Debug`, zeroed when dropped.
fn secret(s: &str) -> Result<Secret, String> {
    Ok(Secret::new(s))
}

fn parse_language(s: &str) -> Result<tencent_live::Language, String> {
    tencent_live::Language::parse(s).ok_or_else(|| format!("`{s}` is not zh-CN or en-US"))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Callback templates: list, show, create, edit, delete.
    Templates {
        #[command(flatten)]
        options: CloudOptions,
        #[command(subcommand)]
        command: TemplatesCmd,
    },
    /// Bindings of templates to push domains (callback rules).
    Rules {
        #[command(flatten)]
        options: CloudOptions,
        #[command(subcommand)]
        command: RulesCmd,
    },
    /// Tencent's own log of the callbacks it delivered for one stream (the last 14 days): what it sent,
    /// what your server answered, the result and how long the answer took.
    Deliveries {
        #[command(flatten)]
        options: CloudOptions,
        #[command(subcommand)]
        command: DeliveriesCmd,
    },
    /// Live domains of the account.
    Domains {
        #[command(flatten)]
        options: CloudOptions,
        #[command(subcommand)]
        command: DomainsCmd,
    },
    /// Run or steer the local emulator of the Live API.
    #[command(subcommand)]
    Emulator(EmulatorCmd),
    /// Receive, verify and keep callbacks (headless event inspector), and read what it kept.
    #[command(subcommand)]
    Inspector(InspectorCmd),
    /// Send a realistic, signed test callback of one event type to a URL and show the answer.
    Trigger(TriggerArgs),
    /// Print the completion script of a shell (bash, zsh, fish, elvish, powershell) to standard output,
    /// e.g. `livehook completions bash > ~/.local/share/bash-completion/completions/livehook`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (livehook.1 and one per subcommand, e.g. livehook-inspector-serve.1) into
    /// DIR, created if missing. The packages install them; `man livehook` reads them.
    ManPages { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum InspectorCmd {
    /// Receive callbacks on ADDR, verify them with the given keys, and keep them in the database.
    Serve(InspectorServeArgs),
    /// Print stored callbacks, newest first.
    List(InspectorListArgs),
    /// Print one stored callback whole: its request, how it verified and what was answered.
    Show(InspectorShowArgs),
}

#[derive(Debug, Args)]
pub struct InspectorShowArgs {
    /// The callback's id (the first column of `inspector list`).
    pub id: i64,
    /// The database of a receiver on this machine.
    #[arg(long, required_unless_present = "remote", conflicts_with = "remote")]
    pub db: Option<PathBuf>,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// One JSON document (the export record) instead of text.
    #[arg(long, conflicts_with = "curl")]
    pub json: bool,
    /// A cURL command that sends the same request again (every part quoted for a POSIX shell).
    #[arg(long)]
    pub curl: bool,
    /// The address the cURL command sends to.
    #[arg(long, default_value = "http://127.0.0.1:8920")]
    pub base: String,
}

#[derive(Debug, Args)]
/// Every option can also come from an environment variable, LIVEHOOK_INSPECTOR_ and the option's name
/// in capitals (LIVEHOOK_INSPECTOR_LISTEN, _DB, _KEY_FILE, …; _RULES separated by `;`): the server
/// package's /etc/livehook/inspector.conf sets them for the systemd service. An empty value is unset.
pub struct InspectorServeArgs {
    /// Address to listen on; anything but loopback needs --allow-external.
    #[arg(long, env = "LIVEHOOK_INSPECTOR_LISTEN", default_value = "127.0.0.1:8920")]
    pub listen: SocketAddr,
    /// Allow a non-loopback --listen address (e.g. 0.0.0.0:8920 on a server Tencent can reach).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_ALLOW_EXTERNAL")]
    pub allow_external: bool,
    /// The SQLite database to keep callbacks in (created if missing).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_DB")]
    pub db: PathBuf,
    /// A callback key to verify signatures with; repeat for several. LABEL=KEY names it. Other users
    /// of this machine can read command lines (ps): prefer --key-file.
    #[arg(long = "key", value_parser = secret)]
    pub keys: Vec<Secret>,
    /// Callback keys from a file, one LABEL=KEY (or KEY) per line; blank lines and lines starting
    /// with # are skipped. Repeat for several files.
    #[arg(long = "key-file", env = "LIVEHOOK_INSPECTOR_KEY_FILE")]
    pub key_files: Vec<PathBuf>,
    /// Keep at most this many callbacks (0: no limit).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_KEEP", default_value_t = 500_000)]
    pub keep: u64,
    /// Keep no callback older than this many days (0: no limit).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_KEEP_DAYS", default_value_t = 30)]
    pub keep_days: u32,
    /// Keep the database under this many MiB; the oldest callbacks go first (0: no limit).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_KEEP_MB", default_value_t = 2048)]
    pub keep_mb: u64,
    /// Also send every callback to this URL (your own handler) and record its answer.
    #[arg(long, env = "LIVEHOOK_INSPECTOR_FORWARD")]
    pub forward: Option<String>,
    /// Answer otherwise than 200: comma-separated path=/p, type=N, status=S, delay=MS, fail-first=N.
    /// Repeat for several; the first that matches a request decides.
    #[arg(long = "rule", env = "LIVEHOOK_INSPECTOR_RULES", value_delimiter = ';')]
    pub rules: Vec<String>,
    /// Connections open at once; more are closed unanswered, with a warning.
    #[arg(long, env = "LIVEHOOK_INSPECTOR_MAX_CONNECTIONS", default_value_t = u32::try_from(callback_inspector::receiver::MAX_CONNECTIONS).unwrap_or(u32::MAX),
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,
    /// Seconds a request's head or body may take to arrive, and an idle connection may stay open (1–30).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_READ_TIMEOUT", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=30))]
    pub read_timeout: u64,
    /// Also serve the read API (stored callbacks and a live stream, for `Authorization: Bearer`
    /// clients) on this address; the callback listener never serves stored data. Needs
    /// --api-token-file; anything but loopback needs --allow-external.
    #[arg(long, env = "LIVEHOOK_INSPECTOR_API_LISTEN", requires = "api_token_file")]
    pub api_listen: Option<SocketAddr>,
    /// The read API's token: the file's first line, at least 16 characters ("-": standard input).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_API_TOKEN_FILE", requires = "api_listen")]
    pub api_token_file: Option<PathBuf>,
    /// Serve both listeners over HTTPS with this PEM certificate chain (with --tls-key).
    #[arg(long, env = "LIVEHOOK_INSPECTOR_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, env = "LIVEHOOK_INSPECTOR_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Print no line per callback (start-up, warnings and errors still are): for a busy server, whose
    /// journal would otherwise take a line for every callback.
    #[arg(long, env = "LIVEHOOK_INSPECTOR_QUIET")]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct InspectorListArgs {
    /// The database of a receiver on this machine.
    #[arg(long, required_unless_present = "remote", conflicts_with = "remote")]
    pub db: Option<PathBuf>,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// A type's number (0), slug (stream-end) or name (interruption, recording-file, 断流).
    #[arg(long, value_parser = event_type_code)]
    pub event_type: Option<i64>,
    #[arg(long)]
    pub stream: Option<String>,
    /// yes: only callbacks whose signature verified; no: only the others.
    #[arg(long, value_parser = ["yes", "no"])]
    pub verified: Option<String>,
    /// Words to find in the bodies.
    #[arg(long)]
    pub text: Option<String>,
    /// The push domain (the body's `app`, or `domain` for audio audits).
    #[arg(long)]
    pub domain: Option<String>,
    /// The AppName (push path).
    #[arg(long)]
    pub app_name: Option<String>,
    /// Only callbacks received since then: a time such as 2026-12-02T15:00:00+08:00, or an age such
    /// as 30s, 15m, 2h or 7d.
    #[arg(long, value_parser = parse_since)]
    pub since: Option<i64>,
    /// The next page: the `nextBeforeId` of the previous `--json` page.
    #[arg(long)]
    pub before_id: Option<i64>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// One JSON document (the whole stored callbacks) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// Event type: a number (1, 0, 100, 200, 314, 315, 317, 321, 332, 341, 348), a name (push,
    /// interruption, recording, recording-status, screenshot, porn, audio) or a slug (record-file, ...).
    #[arg(long)]
    pub event: String,
    /// Where to send it.
    #[arg(long)]
    pub url: String,
    /// The callback key to sign it with (visible to other users in ps: prefer --key-file).
    #[arg(long, required_unless_present = "key_file", conflicts_with = "key_file", value_parser = secret)]
    pub key: Option<Secret>,
    /// A file holding the callback key: one line, KEY or LABEL=KEY ("-": standard input).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Keep sending on Tencent's retry schedule until it is answered 200.
    #[arg(long)]
    pub retries: bool,
    /// With --retries: divide the waits by this (60 turns minutes into seconds).
    #[arg(long, default_value_t = 1.0)]
    pub time_scale: f64,
    #[command(flatten)]
    pub out: OutputOption,
}

/// Reading a receiver on another machine through its read API (`inspector serve --api-listen`).
#[derive(Debug, Args, Clone)]
pub struct RemoteArgs {
    /// The read API's address, e.g. https://inspector.example.com:8921 (plain http:// only to this
    /// machine, unless --allow-insecure-remote).
    #[arg(long, requires = "token_file")]
    pub remote: Option<String>,
    /// The read API's token: the file's first line ("-": standard input). Never on the command line.
    #[arg(long, requires = "remote")]
    pub token_file: Option<PathBuf>,
    /// Allow a plain http:// --remote on another machine (the token would cross the network
    /// unencrypted).
    #[arg(long, requires = "remote")]
    pub allow_insecure_remote: bool,
    /// Also trust the certificate authority in this PEM file for an https:// --remote (a private CA,
    /// or a self-made one; the system's authorities are trusted anyway).
    #[arg(long, requires = "remote")]
    pub remote_ca: Option<PathBuf>,
    /// Trust exactly the server certificate with this SHA-256 fingerprint (as `openssl x509 -noout
    /// -fingerprint -sha256` prints it), whatever its name or issuer: a self-signed one.
    #[arg(long, requires = "remote")]
    pub remote_fingerprint: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCmd {
    /// Every template, with its configured events and where it is bound.
    List,
    /// One template with all its fields.
    Show { id: i64 },
    /// Create a template (checked against the console's rules first).
    Create(TemplateArgs),
    /// Change the given fields of a template; an empty value ("") clears a URL.
    Edit {
        id: i64,
        #[command(flatten)]
        fields: TemplateArgs,
    },
    /// Delete a template (it must not be bound to any domain).
    Delete { id: i64 },
}

#[derive(Debug, Args, Default, Clone)]
pub struct TemplateArgs {
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Key for `sign = md5(key + t)`; letters and digits, at most 32. Visible to other users in ps:
    /// prefer --callback-key-file.
    #[arg(long, conflicts_with = "callback_key_file", value_parser = secret)]
    pub callback_key: Option<Secret>,
    /// Read the callback key from this file's first line ("-": standard input).
    #[arg(long)]
    pub callback_key_file: Option<PathBuf>,
    /// Push (stream started, event 1).
    #[arg(long)]
    pub stream_begin_url: Option<String>,
    /// Interruption (event 0).
    #[arg(long)]
    pub stream_end_url: Option<String>,
    /// Recording file (event 100).
    #[arg(long)]
    pub record_url: Option<String>,
    /// Recording status (event 332).
    #[arg(long)]
    pub record_status_url: Option<String>,
    /// Screenshot (event 200).
    #[arg(long)]
    pub snapshot_url: Option<String>,
    /// Porn detection (event 317).
    #[arg(long)]
    pub porn_censorship_url: Option<String>,
    /// Push exception (event 321).
    #[arg(long)]
    pub push_exception_url: Option<String>,
    /// Audio audit (event 315).
    #[arg(long)]
    pub audio_audit_url: Option<String>,
    /// Recording exception (event 341).
    #[arg(long)]
    pub record_exception_url: Option<String>,
    /// Recording exception levels to report, comma-separated: error, warning (info with --api-limits).
    #[arg(long, value_delimiter = ',')]
    pub record_exception_levels: Option<Vec<String>>,
    /// Check against the API's looser limits instead of the console's (for templates made elsewhere).
    #[arg(long)]
    pub api_limits: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCmd {
    /// Every rule: domain, AppName, template and times.
    List,
    /// Bind a template to one or more push domains.
    Bind {
        #[arg(long)]
        template: i64,
        /// A push domain, or DOMAIN:APPNAME for only that AppName's streams; repeat for several
        /// (e.g. --domain push.a.com:live --domain push.b.com).
        #[arg(long = "domain", required = true)]
        domains: Vec<String>,
        /// Only streams pushed with this AppName (path), for every --domain without its own;
        /// omitted: every AppName of the domain.
        #[arg(long, default_value = "")]
        app_name: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Remove the rule of one or more push domains.
    Unbind {
        /// A push domain, or DOMAIN:APPNAME for that AppName's rule; repeat for several.
        #[arg(long = "domain", required = true)]
        domains: Vec<String>,
        /// The AppName of an AppName-specific rule, for every --domain without its own; omitted: the
        /// domain-wide rule.
        #[arg(long, default_value = "")]
        app_name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeliveriesCmd {
    /// Every delivery attempt (retries included) of one stream's callbacks, newest first. Ranges longer
    /// than a day are read a day at a time, every page of each.
    List(DeliveriesListArgs),
}

#[derive(Debug, Args)]
pub struct DeliveriesListArgs {
    /// The stream name, exactly as pushed (the log is kept per stream).
    #[arg(long, required = true)]
    pub stream: String,
    /// Start: an age before now (30m, 6h, 3d; at most 14d) or a time (2026-12-02T07:00:00Z,
    /// 2026-12-02T15:00:00+08:00, or 2026-12-02 15:00:00 in Beijing time).
    #[arg(long, default_value = "1d")]
    pub since: String,
    /// End (excluded): a time or an age, as for --since [default: now].
    #[arg(long)]
    pub until: Option<String>,
    /// Only this event type: a number, slug or name (push, interruption, recording, screenshot, …).
    #[arg(long, value_parser = event_type_code)]
    pub event_type: Option<i64>,
    /// Only deliveries that did not succeed (your server answered other than 200, or not in time).
    #[arg(long)]
    pub failed: bool,
}

/// `rules bind --wait`: after binding, wait for each binding's first callback to reach the inspector.
#[derive(Debug, Args, Clone)]
pub struct WaitArgs {
    /// Wait until the first callback for each bound domain (and AppName) reaches the event inspector,
    /// and print when it did (a new binding takes about 5–10 minutes to apply in the real service).
    #[arg(long)]
    pub wait: bool,
    /// How long to wait at most: 90s, 15m, 1h.
    #[arg(long, default_value = "15m", requires = "wait", value_parser = parse_duration)]
    pub wait_timeout: std::time::Duration,
    /// The inspector's database [default: the desktop app's; for `livehook inspector serve --db PATH`
    /// give the same PATH].
    #[arg(long, requires = "wait")]
    pub db: Option<PathBuf>,
}

/// `90s`, `15m`, `1h`.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let t = text.trim();
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("\"{text}\" is not a duration such as 90s, 15m or 1h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("\"{text}\" is not a duration such as 90s, 15m or 1h")),
    };
    Ok(std::time::Duration::from_secs(secs))
}

#[derive(Debug, Subcommand)]
pub enum DomainsCmd {
    /// Every domain (all pages).
    List {
        #[arg(long = "type", value_enum)]
        kind: Option<DomainType>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DomainType {
    Push,
    Play,
}

#[derive(Debug, Subcommand)]
pub enum EmulatorCmd {
    /// Serve the emulated Live API (and its admin endpoint under /__admin/).
    Serve(ServeArgs),
    /// Fault injection on a running emulator.
    Fault {
        #[command(flatten)]
        out: OutputOption,
        #[command(subcommand)]
        command: FaultCmd,
    },
    /// Simulate streams on a running emulator: their callbacks go to the bound templates' URLs.
    Stream {
        #[command(flatten)]
        out: OutputOption,
        #[command(subcommand)]
        command: StreamCmd,
    },
}

#[derive(Debug, Args, Clone)]
pub struct StreamArgs {
    /// The emulator's base URL.
    #[arg(long, env = "LIVEHOOK_ENDPOINT")]
    pub emulator: String,
    /// The push domain.
    #[arg(long)]
    pub domain: String,
    /// The AppName (push path).
    #[arg(long, default_value = "live")]
    pub app_name: String,
    /// The stream name.
    #[arg(long)]
    pub stream: String,
}

#[derive(Debug, Subcommand)]
pub enum StreamCmd {
    /// Start pushing: push started (1) and recording started (332).
    Start(StreamArgs),
    /// Stop pushing: recording ended (332), the recording file (100) and the interruption (0).
    Stop {
        #[command(flatten)]
        stream: StreamArgs,
        /// Interruption code (1: the client stopped; 8: no data for a long time; 12: network problem).
        #[arg(long, default_value_t = 1)]
        errcode: i64,
    },
    /// One event on a live stream.
    Event {
        #[command(flatten)]
        stream: StreamArgs,
        #[arg(long, value_enum)]
        kind: SimKind,
        /// Push exception types (1–16), comma-separated, with --kind push-exception.
        #[arg(long, value_delimiter = ',', default_value = "6")]
        types: Vec<i64>,
        /// error, warning or info, with --kind record-exception.
        #[arg(long, default_value = "error")]
        level: String,
        /// Recording exception type (e.g. -16 pull failed), with --kind record-exception.
        #[arg(long, default_value_t = -16, allow_negative_numbers = true)]
        exception: i64,
        /// Target URL, with --kind live-summary (a console-only event no API field configures).
        #[arg(long)]
        url: Option<String>,
    },
    /// A whole session for one or many streams, in the order the service produces events.
    Scenario {
        #[arg(long, env = "LIVEHOOK_ENDPOINT")]
        emulator: String,
        #[arg(long)]
        domain: String,
        #[arg(long, default_value = "live")]
        app_name: String,
        /// How many streams (named livehook-demo-1 …).
        #[arg(long, default_value_t = 1)]
        streams: u32,
        /// Screenshots per stream.
        #[arg(long, default_value_t = 2)]
        snapshots: u32,
        /// Seconds between steps (divided by the emulator's time scale).
        #[arg(long, default_value_t = 10)]
        step: u64,
    },
    /// Streams being pushed now.
    List {
        #[arg(long, env = "LIVEHOOK_ENDPOINT")]
        emulator: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SimKind {
    Snapshot,
    PornCensorship,
    AudioAudit,
    PushException,
    RecordException,
    LiveSummary,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free one (printed at start).
    #[arg(long, default_value = "127.0.0.1:9000")]
    pub listen: SocketAddr,
    #[arg(long, env = "TENCENTCLOUD_SECRET_ID", hide_env_values = true)]
    pub secret_id: String,
    #[arg(long, env = "TENCENTCLOUD_SECRET_KEY", hide_env_values = true, value_parser = secret)]
    pub secret_key: Secret,
    /// More accounts, as SECRET_ID:SECRET_KEY; repeat for several.
    #[arg(long = "account", value_parser = secret)]
    pub accounts: Vec<Secret>,
    /// Directory for the state file (state.json); the state survives restarts.
    #[arg(long, conflicts_with = "ephemeral")]
    pub state: Option<PathBuf>,
    /// Keep everything in memory (the default when --state is not given).
    #[arg(long)]
    pub ephemeral: bool,
    /// A JSON file listing the domains of new accounts: [{"name": "push.a.com", "type": "push"}, ...].
    #[arg(long)]
    pub domains: Option<PathBuf>,
    /// Do not enforce Tencent's per-action request rates.
    #[arg(long, conflicts_with = "rate_limit")]
    pub no_rate_limits: bool,
    /// Allow this many requests a second per action instead of Tencent's documented rates.
    #[arg(long)]
    pub rate_limit: Option<u32>,
    /// Divide callback retry intervals and the timeout by this (60: a one-minute retry after one second).
    #[arg(long, default_value_t = 1.0)]
    pub time_scale: f64,
    /// current: every minute up to 12 retries (screenshots every 2 minutes, 5); legacy: every 60 s, 3 retries.
    #[arg(long, value_enum, default_value = "current")]
    pub retry_schedule: Schedule,
    /// Seconds a callback target has to answer before the attempt counts as failed.
    #[arg(long, default_value_t = 20)]
    pub callback_timeout: u64,
    /// Serve HTTPS with this PEM certificate (with --tls-key), for clients that only speak HTTPS (tccli).
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Run the emulator's clock this many seconds ahead of this machine's (negative: behind), to see
    /// how clients handle a skewed clock.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub clock_offset: i64,
    /// Seconds before a new binding takes effect (the real service: about 300–600). Default: at once.
    #[arg(long)]
    pub binding_delay: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Schedule {
    Current,
    Legacy,
}

#[derive(Debug, Subcommand)]
pub enum FaultCmd {
    /// Add a fault for the next N calls (--count) or a share of calls (--rate).
    Add {
        /// The emulator's base URL.
        #[arg(long, env = "LIVEHOOK_ENDPOINT")]
        emulator: String,
        /// An action name, or * for all.
        #[arg(long, default_value = "*")]
        action: String,
        #[arg(long, value_enum)]
        kind: FaultType,
        /// Milliseconds, with --kind latency.
        #[arg(long)]
        ms: Option<u64>,
        /// HTTP status, with --kind http.
        #[arg(long)]
        status: Option<u16>,
        /// Tencent error code, with --kind error (e.g. RequestLimitExceeded).
        #[arg(long)]
        code: Option<String>,
        #[arg(long, conflicts_with = "rate")]
        count: Option<u32>,
        #[arg(long)]
        rate: Option<f64>,
    },
    /// Remove every fault.
    Clear {
        #[arg(long, env = "LIVEHOOK_ENDPOINT")]
        emulator: String,
    },
    /// Show the faults in force.
    List {
        #[arg(long, env = "LIVEHOOK_ENDPOINT")]
        emulator: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FaultType {
    Latency,
    Drop,
    Reset,
    Http,
    Error,
}

/// An age (`30s`, `15m`, `2h`, `7d`) before `now_ms`, in UNIX milliseconds; None when `text` is not one.
fn age_before(text: &str, now_ms: i64) -> Option<i64> {
    let (i, c) = text.char_indices().last()?;
    let unit = match c {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => 86_400_000,
        _ => return None,
    };
    Some(now_ms - i64::from(text[..i].parse::<u32>().ok()?) * unit)
}

/// `--since`: an RFC 3339 time, or an age (`30s`, `15m`, `2h`, `7d`) before now; UNIX milliseconds.
pub fn parse_since(text: &str) -> Result<i64, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    match age_before(text, chrono::Utc::now().timestamp_millis()) {
        Some(ms) => Ok(ms),
        None => Err(format!(
            "\"{text}\" is neither a time like 2026-12-02T15:00:00+08:00 nor an age like 30s, 15m, 2h or 7d"
        )),
    }
}

/// A time for the delivery log: RFC 3339 (`…Z` or with an offset), `YYYY-MM-DD hh:mm:ss` in Beijing time
/// (the console's form), or an age (`30s`, `15m`, `2h`, `7d`) before `now_ms`; UNIX milliseconds.
pub fn parse_time_at(text: &str, now_ms: i64) -> Result<i64, String> {
    let text = text.trim();
    if let Some(t) = tencent_live::api::ApiTime::parse(text).parsed {
        return Ok(t.timestamp_millis());
    }
    match age_before(text, now_ms) {
        Some(ms) => Ok(ms),
        None => Err(format!(
            "\"{text}\" is not a time (2026-12-02T07:00:00Z, 2026-12-02T15:00:00+08:00, or 2026-12-02 15:00:00 \
             in Beijing time) nor an age (30s, 15m, 2h, 7d)"
        )),
    }
}

/// `--event-type`: a number, slug or name of a callback event type, as its code.
pub fn event_type_code(s: &str) -> Result<i64, String> {
    tencent_live::callback::EventType::parse(s)
        .map(|e| e.code())
        .ok_or_else(|| {
            format!(
                "unknown event type {s:?}; use a number or one of: {}",
                tencent_live::callback::EventType::name_list()
            )
        })
}

/// `livehook --profile prod templates list`, `livehook --output json trigger …`: options may also come
/// before the command they belong to; they are moved after its name (where clap takes them), and one
/// that does not apply to the command is refused there.
pub fn options_after_command(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    const TAKES_VALUE: [&str; 5] = ["--endpoint", "--profile", "--language", "--timeout", "--output"];
    let mut i = 1;
    while i < args.len() {
        let Some(a) = args[i].to_str() else { return args };
        if !a.starts_with('-') {
            break;
        }
        if matches!(a, "--help" | "-h" | "--version" | "-V") {
            return args;
        }
        i += if TAKES_VALUE.contains(&a) { 2 } else { 1 };
    }
    if i <= 1 || i >= args.len() {
        return args;
    }
    let mut out = Vec::with_capacity(args.len());
    out.push(args[0].clone());
    out.push(args[i].clone());
    out.extend_from_slice(&args[1..i]);
    out.extend_from_slice(&args[i + 1..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        let args = std::iter::once("livehook")
            .chain(args.iter().copied())
            .map(Into::into)
            .collect();
        Cli::try_parse_from(options_after_command(args))
    }

    #[test]
    fn delivery_log_times_in_every_form() {
        let now = 1_765_000_000_000;
        assert_eq!(parse_time_at("2h", now), Ok(now - 7_200_000));
        assert_eq!(parse_time_at("14d", now), Ok(now - 14 * 86_400_000));
        let utc = parse_time_at("2025-12-06T07:00:00Z", now).expect("utc");
        assert_eq!(
            parse_time_at("2025-12-06 15:00:00", now),
            Ok(utc),
            "Beijing time is UTC+8"
        );
        assert_eq!(parse_time_at("2025-12-06T15:00:00+08:00", now), Ok(utc));
        assert!(parse_time_at("yesterday", now).is_err());
        assert!(parse_time_at("5w", now).is_err());
    }

    #[test]
    fn the_delivery_log_needs_a_stream() {
        assert!(parse(&["deliveries", "list"]).is_err(), "--stream is required");
        match parse(&[
            "deliveries",
            "list",
            "--stream",
            "直播间1",
            "--event-type",
            "interruption",
            "--failed",
        ])
        .expect("parses")
        .command
        {
            Command::Deliveries {
                command: DeliveriesCmd::List(a),
                ..
            } => {
                assert_eq!(a.stream, "直播间1");
                assert_eq!(a.event_type, Some(0));
                assert!(a.failed);
                assert_eq!(a.since, "1d");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_cloud_options_go_before_or_after_the_area_and_nowhere_else() {
        for args in [
            &["--profile", "templates", "templates", "list"][..],
            &["templates", "--profile", "templates", "list"],
            &["templates", "list", "--profile", "templates"],
            &["--profile=templates", "templates", "list"],
            &["--output", "json", "--profile", "templates", "templates", "list"],
        ] {
            match parse(args).expect("parses").command {
                Command::Templates { options, .. } => {
                    assert_eq!(options.profile.as_deref(), Some("templates"), "{args:?}")
                }
                other => panic!("{args:?}: {other:?}"),
            }
        }
        match parse(&[
            "--output", "json", "trigger", "--event", "push", "--url", "http://x", "--key", "k",
        ])
        .expect("parses")
        .command
        {
            Command::Trigger(t) => assert_eq!(t.out.output, Format::Json),
            other => panic!("{other:?}"),
        }
        for args in [
            &["--endpoint", "http://x", "inspector", "list", "--db", "x.db"][..],
            &["inspector", "serve", "--db", "x.db", "--profile", "p"],
            &["emulator", "serve", "--output", "json"],
            &[
                "trigger",
                "--event",
                "push",
                "--url",
                "http://x",
                "--key",
                "k",
                "--timeout",
                "3",
            ],
        ] {
            let e = parse(args).expect_err("refused");
            assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument, "{args:?}");
        }
    }

    #[test]
    fn each_command_lists_only_the_options_that_apply_to_it() {
        use clap::CommandFactory;
        let mut cli = Cli::command();
        let help = |cli: &mut clap::Command, path: &[&str]| {
            let mut c = cli.clone();
            c.build();
            let mut sub = &mut c;
            for p in path {
                sub = sub.find_subcommand_mut(p).expect("subcommand");
            }
            sub.render_long_help().to_string()
        };
        for path in [
            &["inspector", "serve"][..],
            &["inspector", "list"],
            &["emulator", "serve"],
            &["trigger"],
        ] {
            let h = help(&mut cli, path);
            for cloud in [
                "--endpoint",
                "--profile",
                "--allow-insecure-http",
                "--language",
                "--timeout",
            ] {
                assert!(!h.contains(cloud), "{path:?} lists {cloud}:\n{h}");
            }
        }
        assert!(!help(&mut cli, &["emulator", "serve"]).contains("--output"));
        assert!(help(&mut cli, &["trigger"]).contains("--output"));
        let h = help(&mut cli, &["templates", "list"]);
        for cloud in [
            "--endpoint",
            "--profile",
            "--allow-insecure-http",
            "--language",
            "--timeout",
            "--output",
        ] {
            assert!(h.contains(cloud), "templates list lacks {cloud}:\n{h}");
        }
    }
}
