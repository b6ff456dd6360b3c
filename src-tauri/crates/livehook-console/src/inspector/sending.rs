//! Sending: a stored callback replayed to a URL (as captured or re-signed), and realistic signed test
//! events, on Tencent's retry schedule when asked.

use super::*;

/// Send a realistic signed test event to the user's URL (optionally on Tencent's retry schedule,
/// one minute taken as one second so a person can watch it), reporting each answer as it comes.
pub async fn send_test(
    event_type: i64,
    url: String,
    key: String,
    retries: bool,
    on_attempt: impl Fn(&tools::SendResult),
) -> Result<Vec<tools::SendResult>, AppError> {
    let config = tencent_live::callback::Retries {
        time_scale: 60.0,
        ..Default::default()
    };
    let http = reqwest::Client::new();
    tools::send_test_event(
        &http,
        &url,
        event_type,
        &Secret::new(key),
        chrono::Utc::now().timestamp(),
        retries.then_some(&config),
        on_attempt,
    )
    .await
    .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
}

impl Inspector {
    /// Send a stored callback to `url` again: as captured, re-signed with the key that matched (or the
    /// first key), or edited.
    pub async fn replay(
        &self,
        id: i64,
        url: String,
        resign: bool,
        body: Option<String>,
    ) -> Result<tools::SendResult, AppError> {
        let keys = self.keys();
        // Only a replay to this inspector carries its mark; any other server gets the request alone.
        let (event, mark) = match self.attached() {
            // From a remote receiver: sent from this computer, as captured there.
            Some(a) => (remote_event(&a, id).await?.event, None),
            None => self.local_replay_source(id, &url).await?,
        };

        let key = || -> Result<Secret, AppError> {
            signing_key(&event.check, &keys)
                .map(|k| k.key.clone())
                .ok_or_else(|| AppError::new(AppErrorKind::Validation, "There is no key to sign with; add one first."))
        };
        let how = match (body, resign) {
            (Some(body), resign) => tools::Replay::Edited {
                body,
                resign: if resign { Some(key()?) } else { None },
            },
            (None, true) => tools::Replay::Resigned { key: key()? },
            (None, false) => tools::Replay::AsCaptured,
        };
        let http = reqwest::Client::new();
        tools::replay(
            &http,
            &url,
            &event,
            &how,
            chrono::Utc::now().timestamp(),
            mark.as_deref(),
        )
        .await
        .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
    }

    /// A callback of this computer's receiver to replay, and its mark when it goes back to this receiver.
    async fn local_replay_source(
        &self,
        id: i64,
        url: &str,
    ) -> Result<(callback_inspector::StoredEvent, Option<String>), AppError> {
        self.with(|r| {
            let port = r.receiver.addr().port();
            let to_self = url::Url::parse(url).is_ok_and(|u| {
                u.port_or_known_default() == Some(port)
                    && match u.host() {
                        Some(url::Host::Domain(d)) => d == "localhost",
                        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                        None => false,
                    }
            });
            Ok((r.event(id)?, to_self.then(|| r.receiver.replay_mark(id))))
        })
        .await
    }
}
