//! The TypeScript declarations of every type that crosses to the UI, as one file. The UI imports them
//! from `ui/src/bindings/index.ts`; a test fails when that file differs from what the Rust types say.

use ts_rs::{Config, TS};

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

/// The contents of `ui/src/bindings/index.ts`.
pub fn typescript() -> String {
    // JSON carries i64 as a number; every id and time here fits in 2^53.
    let cfg = Config::default().with_large_int("number");
    let mut out =
        String::from("// Generated from the Rust types by `cargo test -p livehook-console`; do not edit.\n\n");
    for d in [
        decl::<tencent_live::api::CallbackTemplate>(&cfg),
        decl::<tencent_live::api::CallbackRule>(&cfg),
        decl::<tencent_live::api::DomainInfo>(&cfg),
        decl::<tencent_live::api::ApiTime>(&cfg),
        decl::<tencent_live::api::TemplateFields>(&cfg),
        decl::<tencent_live::Language>(&cfg),
        decl::<tencent_live::validate::Field>(&cfg),
        decl::<crate::error::AppErrorKind>(&cfg),
        decl::<crate::error::FieldMessage>(&cfg),
        decl::<crate::error::AppError>(&cfg),
        decl::<crate::ops::TemplateRow>(&cfg),
        decl::<crate::ops::DomainRow>(&cfg),
        decl::<crate::ops::BindTarget>(&cfg),
        decl::<crate::ops::ItemResult>(&cfg),
        decl::<crate::ops::DeleteStep>(&cfg),
        decl::<crate::transfer::TemplateExport>(&cfg),
        decl::<crate::transfer::ImportStep>(&cfg),
        decl::<crate::transfer::ImportItem>(&cfg),
        decl::<crate::transfer::ImportPlan>(&cfg),
        decl::<crate::transfer::ApprovedStep>(&cfg),
        decl::<crate::transfer::ImportResult>(&cfg),
        decl::<callback_inspector::Check>(&cfg),
        decl::<callback_inspector::Answer>(&cfg),
        decl::<callback_inspector::EventSummary>(&cfg),
        decl::<callback_inspector::Filter>(&cfg),
        decl::<callback_inspector::Page>(&cfg),
        decl::<callback_inspector::Retention>(&cfg),
        decl::<callback_inspector::ForwardRecord>(&cfg),
        decl::<callback_inspector::Live>(&cfg),
        decl::<callback_inspector::ResponseRule>(&cfg),
        decl::<callback_inspector::timeline::Anomaly>(&cfg),
        decl::<callback_inspector::timeline::TimelineEntry>(&cfg),
        decl::<callback_inspector::timeline::Timeline>(&cfg),
        decl::<callback_inspector::tools::SendResult>(&cfg),
        decl::<callback_inspector::tools::Format>(&cfg),
        decl::<crate::inspector::KeyView>(&cfg),
        decl::<crate::inspector::InspectorStatus>(&cfg),
        decl::<crate::inspector::VerifySteps>(&cfg),
        decl::<crate::facts::Fact>(&cfg),
        decl::<crate::inspector::EventDetail>(&cfg),
        decl::<crate::session::Status>(&cfg),
        decl::<crate::session::ConnectionReport>(&cfg),
        decl::<crate::profiles::ProfileView>(&cfg),
        decl::<crate::profiles::UiSettings>(&cfg),
        decl::<crate::profiles::NewProfile>(&cfg),
        decl::<crate::profiles::ProfileChanges>(&cfg),
    ] {
        out.push_str(&d);
    }
    out
}
