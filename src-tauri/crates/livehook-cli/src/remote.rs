//! `inspector list --remote` and `inspector show --remote`: a receiver on another machine, read through
//! its read API with the token from a file; printed exactly as a local database would be.

use callback_inspector::event::StoredEvent;
use callback_inspector::tools;
use serde_json::Value;

use crate::cli::RemoteArgs;

/// A read API to ask, with its token.
pub struct Remote {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Remote {
    /// The API named by `args`, or what is wrong (usage: nothing was sent).
    pub fn new(args: &RemoteArgs) -> Result<Remote, String> {
        let (Some(base), Some(file)) = (&args.remote, &args.token_file) else {
            return Err("--remote needs --token-file".into());
        };
        let url = reqwest::Url::parse(base).map_err(|e| format!("--remote {base:?} is not a URL: {e}"))?;
        match url.scheme() {
            "https" => {}
            "http" if tencent_live::client::is_loopback(&url) || args.allow_insecure_remote => {}
            "http" => {
                return Err(format!(
                    "--remote {base} is plain http:// to another machine: the token would cross the network \
                     unencrypted; use https:// (serve it with a certificate or behind a TLS proxy) or pass \
                     --allow-insecure-remote"
                ))
            }
            other => return Err(format!("--remote {base:?}: {other}:// is not http:// or https://")),
        }
        let token = crate::keyfile::read_one(file).map_err(|e| format!("--token-file: {e}"))?;
        let mut builder = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none());
        if let Some(ca) = &args.remote_ca {
            let pem = std::fs::read(ca).map_err(|e| format!("--remote-ca {}: {e}", ca.display()))?;
            let cert = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| format!("--remote-ca {}: not a PEM certificate: {e}", ca.display()))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder.build().map_err(|e| e.to_string())?;
        Ok(Remote {
            base: base.trim_end_matches('/').to_owned(),
            token: token.expose().to_owned(),
            http,
        })
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value, String> {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .query(query)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| explain(&self.base, &e))?;
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let said = body.get("error").and_then(Value::as_str).unwrap_or("").to_owned();
        match status.as_u16() {
            200 => Ok(body),
            401 => Err(format!("{} refused the token ({said}); check --token-file", self.base)),
            code => Err(format!("{} answered {code}: {said}", self.base)),
        }
    }

    /// A page of callbacks as `inspector list --json` prints it, and the callbacks themselves.
    pub async fn events(&self, query: &[(&str, String)]) -> Result<(Value, Vec<StoredEvent>), String> {
        let mut page = self.get("/api/v1/events", query).await?;
        let mut events = Vec::new();
        if let Some(list) = page.get_mut("events").and_then(Value::as_array_mut) {
            for v in list.iter_mut() {
                events.push(tools::from_record(v).ok_or("the remote answered a callback this version cannot read")?);
                if let Some(o) = v.as_object_mut() {
                    o.remove("bodyText");
                }
            }
        }
        Ok((page, events))
    }

    /// One callback, or None when the remote has no such id.
    pub async fn event(&self, id: i64) -> Result<Option<StoredEvent>, String> {
        match self.get(&format!("/api/v1/events/{id}"), &[]).await {
            Ok(v) => Ok(Some(
                tools::from_record(&v).ok_or("the remote answered a callback this version cannot read")?,
            )),
            Err(e) if e.contains("answered 404") => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A failed request in words: the whole chain of causes, and what to do about a certificate refused.
fn explain(base: &str, e: &reqwest::Error) -> String {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    let hint = if chain.contains("NotValidForName") || chain.contains("not valid for name") {
        "; the certificate is not for this host name: use the name it was made for"
    } else if chain.contains("UnknownIssuer") || chain.contains("CaUsedAsEndEntity") || chain.contains("certificate") {
        "; the certificate is not trusted: give its authority with --remote-ca FILE"
    } else if chain.contains("Connection refused") {
        "; is `livehook inspector serve --api-listen` running there?"
    } else {
        ""
    };
    format!("{base}: {chain}{hint}")
}
