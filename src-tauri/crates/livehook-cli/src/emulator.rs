//! `livehook emulator serve` and `livehook emulator fault ...`.

use std::path::Path;

use live_emulator::{Account, DomainSeed, Emulator, EmulatorConfig, FaultKind, FaultRule, RateLimit};
use serde_json::Value;

use crate::cli::{EmulatorCmd, FaultCmd, FaultType, ServeArgs};
use crate::output::{self, print, print_json, Format};
use crate::Outcome;

pub async fn run(cmd: EmulatorCmd, format: Format) -> Outcome {
    match cmd {
        EmulatorCmd::Serve(args) => serve(args).await,
        EmulatorCmd::Fault(cmd) => fault(cmd, format).await,
    }
}

fn fail(message: &str) -> Outcome {
    output::eprint(&format!("error: {message}"));
    Outcome::Invalid
}

fn read_domains(path: &Path) -> Result<Vec<DomainSeed>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a domain list ({e}); expected e.g. [{{\"name\": \"push.a.com\", \"type\": \"push\"}}]",
            path.display()
        )
    })
}

async fn serve(args: ServeArgs) -> Outcome {
    let mut accounts = vec![Account::new(&args.secret_id, &args.secret_key)];
    for (i, pair) in args.accounts.iter().enumerate() {
        let Some((id, key)) = pair
            .split_once(':')
            .filter(|(id, key)| !id.is_empty() && !key.is_empty())
        else {
            return fail(&format!("--account {pair:?} must be SECRET_ID:SECRET_KEY"));
        };
        let mut account = Account::new(id, key);
        account.appid += i as i64 + 1;
        accounts.push(account);
    }
    let mut config = EmulatorConfig::new(accounts);
    config.rate_limit = match (args.no_rate_limits, args.rate_limit) {
        (true, _) => RateLimit::Off,
        (false, Some(n)) if n > 0 => RateLimit::PerSecond(n),
        (false, Some(_)) => return fail("--rate-limit must be at least 1 (or use --no-rate-limits)"),
        (false, None) => RateLimit::Documented,
    };
    config.state_dir = if args.ephemeral { None } else { args.state.clone() };
    if let Some(path) = &args.domains {
        match read_domains(path) {
            Ok(d) => config.domains = Some(d),
            Err(e) => return fail(&e),
        }
    }
    let emulator = match Emulator::new(config) {
        Ok(e) => e,
        Err(e) => return fail(&e.to_string()),
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    " (port {} is taken; try --listen 127.0.0.1:0 for a free one)",
                    args.listen.port()
                )
            } else {
                String::new()
            };
            return fail(&format!("cannot listen on {}: {e}{hint}", args.listen));
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(&e.to_string()),
    };
    let state = match (&args.state, args.ephemeral) {
        (Some(dir), false) => format!("state in {}", dir.join("state.json").display()),
        _ => "state in memory only (ephemeral)".into(),
    };
    print(&format!(
        "LiveHook emulator listening on http://{addr}, {state}; admin at http://{addr}/__admin/\n\
         Use it with: LIVEHOOK_ENDPOINT=http://{addr} TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... livehook templates list\n"
    ));
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
            tokio::select! {
                _ = ctrl_c => {},
                _ = term.recv() => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
    };
    match emulator.serve(listener, shutdown).await {
        Ok(()) => Outcome::Success,
        Err(e) => {
            output::eprint(&format!("error: the emulator stopped: {e}"));
            Outcome::Failed
        }
    }
}

async fn fault(cmd: FaultCmd, format: Format) -> Outcome {
    let http = reqwest::Client::new();
    let (emulator, request) = match cmd {
        FaultCmd::Add {
            emulator,
            action,
            kind,
            ms,
            status,
            code,
            count,
            rate,
        } => {
            let fault = match kind {
                FaultType::Latency => match ms {
                    Some(ms) => FaultKind::Latency { ms },
                    None => return fail("--kind latency needs --ms"),
                },
                FaultType::Drop => FaultKind::Drop,
                FaultType::Reset => FaultKind::Reset,
                FaultType::Http => match status {
                    Some(status) if (100..600).contains(&status) => FaultKind::Http { status },
                    _ => return fail("--kind http needs --status (100–599)"),
                },
                FaultType::Error => match code {
                    Some(code) if !code.is_empty() => FaultKind::Error { code, message: None },
                    _ => return fail("--kind error needs --code, e.g. RequestLimitExceeded"),
                },
            };
            let rule = FaultRule {
                action,
                fault,
                count: count.or(if rate.is_none() { Some(1) } else { None }),
                rate,
            };
            if let Err(e) = rule.validate() {
                return fail(&e);
            }
            let url = format!("{}/__admin/faults", emulator.trim_end_matches('/'));
            (emulator, http.post(url).json(&rule))
        }
        FaultCmd::Clear { emulator } => {
            let url = format!("{}/__admin/faults", emulator.trim_end_matches('/'));
            (emulator, http.delete(url))
        }
        FaultCmd::List { emulator } => {
            let url = format!("{}/__admin/faults", emulator.trim_end_matches('/'));
            (emulator, http.get(url))
        }
    };
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => {
            output::eprint(&format!("error: cannot reach the emulator at {emulator}: {e}"));
            return Outcome::Failed;
        }
    };
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        output::eprint(&format!("error: the emulator refused: {body}"));
        return Outcome::Invalid;
    }
    if format == Format::Json {
        print_json(&body);
    } else if let Some(list) = body.as_array() {
        if list.is_empty() {
            print("No faults in force.\n");
        }
        for rule in list {
            print(&format!("{rule}\n"));
        }
    } else {
        print("OK\n");
    }
    Outcome::Success
}
