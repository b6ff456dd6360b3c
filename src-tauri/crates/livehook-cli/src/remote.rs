//! `inspector list --remote` and `inspector show --remote`: a receiver on another machine, read through
//! its read API ([`callback_inspector::remote`]) with the token from a file; printed exactly as a local
//! database would be.

use callback_inspector::remote::{RemoteClient, RemoteOptions};

use crate::cli::RemoteArgs;

/// The read API named by `args`, or what is wrong (usage: nothing was sent).
pub fn client(args: &RemoteArgs) -> Result<RemoteClient, String> {
    let (Some(url), Some(file)) = (&args.remote, &args.token_file) else {
        return Err("--remote needs --token-file".into());
    };
    let token = crate::keyfile::read_one(file).map_err(|e| format!("--token-file: {e}"))?;
    let ca_pem = match &args.remote_ca {
        Some(ca) => Some(std::fs::read(ca).map_err(|e| format!("--remote-ca {}: {e}", ca.display()))?),
        None => None,
    };
    RemoteClient::new(&RemoteOptions {
        url: url.clone(),
        token: token.expose().to_owned(),
        ca_pem,
        fingerprint: args.remote_fingerprint.clone(),
        allow_insecure: args.allow_insecure_remote,
    })
    .map_err(|e| {
        let text = e.to_string();
        if text.contains("plain http://") {
            format!("--remote {text}, or pass --allow-insecure-remote")
        } else {
            format!("--remote {text}")
        }
    })
}

/// A refusal in the CLI's words: where the CLI takes a certificate authority.
pub fn explain(e: &callback_inspector::remote::RemoteError) -> String {
    use callback_inspector::remote::RemoteError;
    match e {
        RemoteError::Untrusted { url, fingerprint } => format!(
            "{url}: the certificate is not trusted: give its authority with --remote-ca FILE, or, once you \
             have compared it with the server's, its fingerprint with --remote-fingerprint {fingerprint}"
        ),
        RemoteError::Unauthorized { url, said } => format!("{url} refused the token ({said}); check --token-file"),
        other => other.to_string(),
    }
}
