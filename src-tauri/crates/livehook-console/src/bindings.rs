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
        decl::<crate::about::About>(&cfg),
        decl::<crate::error::AppErrorKind>(&cfg),
        decl::<crate::error::FieldMessage>(&cfg),
        decl::<crate::error::AppError>(&cfg),
        decl::<crate::ops::TemplateRow>(&cfg),
        decl::<crate::ops::DomainRow>(&cfg),
        decl::<crate::ops::BindTarget>(&cfg),
        decl::<crate::ops::ItemResult>(&cfg),
        decl::<crate::ops::DeleteStep>(&cfg),
        decl::<crate::deliveries::DeliveryQuery>(&cfg),
        decl::<crate::deliveries::DeliveryProgress>(&cfg),
        decl::<crate::deliveries::DeliveryRow>(&cfg),
        decl::<crate::deliveries::DeliveryReport>(&cfg),
        decl::<crate::liveness::Liveness>(&cfg),
        decl::<crate::liveness::BindingState>(&cfg),
        decl::<crate::transfer::TemplateExport>(&cfg),
        decl::<crate::transfer::ImportStep>(&cfg),
        decl::<crate::transfer::ImportItem>(&cfg),
        decl::<crate::transfer::ImportPlan>(&cfg),
        decl::<crate::transfer::ApprovedStep>(&cfg),
        decl::<crate::transfer::ImportResult>(&cfg),
        decl::<callback_inspector::Verify>(&cfg),
        decl::<callback_inspector::Check>(&cfg),
        decl::<callback_inspector::Answer>(&cfg),
        decl::<callback_inspector::EventSummary>(&cfg),
        decl::<callback_inspector::Filter>(&cfg),
        decl::<callback_inspector::Page>(&cfg),
        decl::<callback_inspector::Traffic>(&cfg),
        decl::<callback_inspector::TrafficSeries>(&cfg),
        decl::<callback_inspector::Retention>(&cfg),
        decl::<callback_inspector::ForwardRecord>(&cfg),
        decl::<callback_inspector::Update>(&cfg),
        decl::<callback_inspector::ResponseRule>(&cfg),
        decl::<callback_inspector::timeline::Anomaly>(&cfg),
        decl::<callback_inspector::timeline::TimelineEntry>(&cfg),
        decl::<callback_inspector::timeline::Timeline>(&cfg),
        decl::<callback_inspector::tools::SendResult>(&cfg),
        decl::<callback_inspector::tools::Format>(&cfg),
        decl::<crate::inspector::KeyView>(&cfg),
        decl::<crate::inspector::InspectorStatus>(&cfg),
        decl::<crate::inspector::AttachedRemote>(&cfg),
        decl::<crate::inspector::SavedRemote>(&cfg),
        decl::<crate::inspector::RemoteInput>(&cfg),
        decl::<crate::inspector::RemoteProblem>(&cfg),
        decl::<crate::inspector::RemoteCheck>(&cfg),
        decl::<crate::inspector::VerifySteps>(&cfg),
        decl::<callback_inspector::details::Fact>(&cfg),
        decl::<crate::inspector::EventDetail>(&cfg),
        decl::<crate::inspector::Gallery>(&cfg),
        decl::<crate::inspector::Screenshot>(&cfg),
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

/// The contents of `ui/src/bindings/vocabulary.ts`: every event type and verification result the UI
/// lists, in order, from the Rust enums (their names are in [`vocabulary_names`]).
pub fn vocabulary() -> String {
    use tencent_live::callback::EventType;
    let mut out = String::from(
        "// Generated from the Rust enums by `cargo test -p livehook-console`; do not edit.\n\
         import type { Field, Verify } from \"./index\";\n\n\
         /** Every callback event type, in the console's order: its code, its command-line slug, and the template\n \
         * field whose URL receives it (null: configured elsewhere). Names: `vocabulary.eventType.<code>`. */\n\
         export const EVENT_TYPES = [\n",
    );
    for t in EventType::ALL {
        let field = t.template_field().map_or("null".to_owned(), |f| format!("\"{f}\""));
        out.push_str(&format!(
            "  {{ code: {}, slug: \"{}\", field: {field} }},\n",
            t.code(),
            t.slug()
        ));
    }
    out.push_str(
        "] as const satisfies readonly { code: number; slug: string; field: Field | null }[];\n\n\
         /** Every verification result. Names: `vocabulary.verify.<result>` (and `.invalid`, every one but valid). */\n\
         export const VERIFY_RESULTS = [",
    );
    let results: Vec<String> = callback_inspector::Verify::ALL
        .iter()
        .map(|v| format!("\"{}\"", v.slug()))
        .collect();
    out.push_str(&results.join(", "));
    out.push_str("] as const satisfies readonly Verify[];\n");
    out
}

/// The contents of `ui/src/locales/<language>/vocabulary.json`: the display names of event types and
/// verification results, from the Rust enums, so that the app, the command line and both languages
/// name them one way.
pub fn vocabulary_names(language: tencent_live::Language) -> String {
    use callback_inspector::{Verify, VerifyFilter};
    use tencent_live::callback::EventType;
    let pick = |(en, zh): (&str, &str)| match language {
        tencent_live::Language::ZhCn => zh.to_owned(),
        tencent_live::Language::EnUs => en.to_owned(),
    };
    let mut event_type = serde_json::Map::new();
    for t in EventType::ALL {
        event_type.insert(t.code().to_string(), pick(t.names()).into());
    }
    let mut verify = serde_json::Map::new();
    for v in Verify::ALL {
        verify.insert(v.slug().to_owned(), pick(v.names()).into());
    }
    verify.insert("invalid".to_owned(), pick(VerifyFilter::INVALID_NAMES).into());
    let value = serde_json::json!({ "eventType": event_type, "verify": verify });
    serde_json::to_string_pretty(&value).expect("names serialise") + "\n"
}
