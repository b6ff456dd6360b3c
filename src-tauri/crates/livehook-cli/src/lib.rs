//! `livehook`: the LiveHook libraries, headless, for scripts and CI. The `livehook` binary and the
//! desktop app (when started as `livehook`) both run [`run`].

mod cli;
mod cloud;
mod deliveries;
mod emulator;
mod inspector;
mod keyfile;
mod output;
mod remote;
mod wait;

use std::process::ExitCode;

use clap::Parser;

/// How a command ended; maps to the documented exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// A cloud or network error.
    Failed,
    /// Bad usage or invalid input: nothing was sent.
    Invalid,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Success => 0,
            Outcome::Failed => 1,
            Outcome::Invalid => 2,
        })
    }
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
pub async fn until_stopped() {
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
}

/// The command line: parses `std::env::args_os()`, runs the command, and says how it ended. The
/// `livehook` binary is only this; the desktop app runs it when started as `livehook` (the desktop
/// package's /usr/bin/livehook is a link to the app, one copy of what both share).
pub fn run() -> ExitCode {
    // `LIVEHOOK_INSPECTOR_FORWARD=` in the service's configuration file means "not set", as it reads;
    // clap would take the empty value and refuse it. Done before any thread exists.
    for (name, value) in std::env::vars_os() {
        if value.is_empty() && name.to_str().is_some_and(|n| n.starts_with("LIVEHOOK_INSPECTOR_")) {
            std::env::remove_var(name);
        }
    }
    let args = cli::Cli::parse_from(cli::options_after_command(std::env::args_os().collect()));
    match args.command {
        cli::Command::Completions { shell } => {
            let mut command = <cli::Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "livehook", &mut script);
            // A closed pipe (`| head`) is the reader's choice, not an error worth a panic.
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), &script);
            return ExitCode::SUCCESS;
        }
        cli::Command::ManPages { dir } => {
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| clap_mangen::generate_to(<cli::Cli as clap::CommandFactory>::command(), &dir));
            return match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    output::eprint(&format!(
                        "error: cannot write the manual pages into {}: {e}",
                        dir.display()
                    ));
                    Outcome::Failed.into()
                }
            };
        }
        _ => {}
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("LIVEHOOK_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            output::eprint(&format!("error: cannot start: {e}"));
            return ExitCode::from(1);
        }
    };
    let outcome = runtime.block_on(async {
        let (cloud, options) = match args.command {
            cli::Command::Emulator(cmd) => return emulator::run(cmd).await,
            cli::Command::Inspector(cmd) => return inspector::run(cmd).await,
            cli::Command::Trigger(trigger) => {
                let output = trigger.out.output;
                return inspector::trigger(trigger, output).await;
            }
            cli::Command::Templates { options, command } => (cloud::Command::Templates(command), options),
            cli::Command::Rules { options, command } => (cloud::Command::Rules(command), options),
            cli::Command::Domains { options, command } => (cloud::Command::Domains(command), options),
            cli::Command::Deliveries { options, command } => (cloud::Command::Deliveries(command), options),
            cli::Command::Completions { .. } | cli::Command::ManPages { .. } => return Outcome::Success,
        };
        let target = cloud::Target {
            endpoint: options.endpoint,
            profile: options.profile,
            allow_insecure_http: options.allow_insecure_http,
        };
        cloud::run(cloud, target, options.out.output, options.language, options.timeout).await
    });
    outcome.into()
}
