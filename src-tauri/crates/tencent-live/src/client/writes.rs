//! Creates and deletes that never happen twice. When the outcome of one is unknown (the request went out
//! and no answer came back), the client looks at the service's state before doing anything else: if the
//! effect is there, the call succeeded; only if it is not is the call made again.

use std::collections::HashSet;

use super::Client;
use crate::api::{self, TemplateFields};
use crate::error::{Error, ErrorKind, Result};
use crate::validate::{self, Purpose, Rules};

/// The result of a write, and whether it was established by looking rather than by the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled<T> {
    pub value: T,
    /// True when the answer was lost and the effect was found by reading the service's state.
    pub reconciled: bool,
}

impl Client {
    /// Call `request`; when its outcome is unknown, ask `look` whether the effect is in place
    /// (`Some(value)`) and repeat only when it is not.
    async fn settle<A, T, Look, LookFut>(
        &self,
        request: &A,
        done: impl Fn(A::Response) -> T,
        look: Look,
    ) -> Result<Settled<T>>
    where
        A: api::Action,
        Look: Fn() -> LookFut,
        LookFut: std::future::Future<Output = Result<Option<T>>>,
    {
        let attempts = self.inner.config.retry.max_attempts.max(1);
        let mut last = None;
        for _ in 0..attempts {
            match self.call_inner(request, false).await {
                Ok(response) => {
                    return Ok(Settled {
                        value: done(response),
                        reconciled: false,
                    })
                }
                Err(error) if error.outcome_unknown() => {
                    tracing::warn!(action = A::NAME, %error, "outcome unknown; checking the service's state");
                    match look().await {
                        Ok(Some(value)) => {
                            return Ok(Settled {
                                value,
                                reconciled: true,
                            })
                        }
                        Ok(None) => last = Some(error),
                        Err(look_error) => {
                            tracing::warn!(%look_error, "could not check the service's state");
                            return Err(Error::Unsettled {
                                action: A::NAME.into(),
                                cause: Box::new(error),
                            });
                        }
                    }
                }
                Err(error) => return Err(error),
            }
        }
        Err(Error::Unsettled {
            action: A::NAME.into(),
            cause: Box::new(last.unwrap_or_else(|| Error::Decode {
                action: A::NAME.into(),
                detail: "no attempt was made".into(),
                request_id: None,
            })),
        })
    }

    /// Create a template. The fields are checked against the API's limits first (nothing invalid is
    /// sent). Returns the new TemplateId.
    pub async fn create_template(&self, fields: &TemplateFields) -> Result<Settled<i64>> {
        validate::validate_template(fields, Rules::Api, Purpose::Create).map_err(Error::Validation)?;
        // What exists before, so that a lost answer can be told from a template that was already there.
        let before: HashSet<i64> = self.templates().await?.iter().map(|t| t.template_id).collect();
        let before = &before;
        let request = api::CreateLiveCallbackTemplate {
            fields: fields.clone(),
            stream_mix_notify_url: None,
        };
        self.settle(
            &request,
            |r| r.template_id,
            move || async move {
                let now = self.templates().await?;
                Ok(now
                    .iter()
                    .filter(|t| !before.contains(&t.template_id) && fields.matches(t))
                    .map(|t| t.template_id)
                    .max())
            },
        )
        .await
    }

    /// Change a template; only the fields set in `changes` are sent. Repeating a modify is harmless.
    pub async fn modify_template(&self, template_id: i64, changes: &TemplateFields) -> Result<()> {
        validate::validate_template(changes, Rules::Api, Purpose::Modify).map_err(Error::Validation)?;
        self.call(&api::ModifyLiveCallbackTemplate {
            template_id,
            fields: changes.clone(),
        })
        .await?;
        Ok(())
    }

    pub async fn delete_template(&self, template_id: i64) -> Result<Settled<()>> {
        self.settle(
            &api::DeleteLiveCallbackTemplate { template_id },
            |_| (),
            move || async move {
                match self.template(template_id).await {
                    Ok(_) => Ok(None),
                    Err(e) if e.kind() == ErrorKind::NotFound => Ok(Some(())),
                    Err(e) => Err(e),
                }
            },
        )
        .await
    }

    /// Bind a template to a push domain, for every AppName (`app_name` = `""`) or one.
    pub async fn bind(&self, template_id: i64, domain: &str, app_name: &str) -> Result<Settled<()>> {
        let request = api::CreateLiveCallbackRule {
            domain_name: domain.to_owned(),
            app_name: app_name.to_owned(),
            template_id,
        };
        self.settle(
            &request,
            |_| (),
            move || async move {
                let rules = self.rules().await?;
                Ok(rules
                    .iter()
                    .any(|r| r.domain_name == domain && r.app_name == app_name && r.template_id == template_id)
                    .then_some(()))
            },
        )
        .await
    }

    /// Remove the rule of a push domain and AppName.
    pub async fn unbind(&self, domain: &str, app_name: &str) -> Result<Settled<()>> {
        let request = api::DeleteLiveCallbackRule {
            domain_name: domain.to_owned(),
            app_name: app_name.to_owned(),
        };
        self.settle(
            &request,
            |_| (),
            move || async move {
                let rules = self.rules().await?;
                Ok((!rules.iter().any(|r| r.domain_name == domain && r.app_name == app_name)).then_some(()))
            },
        )
        .await
    }
}
