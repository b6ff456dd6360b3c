// Generated from the Rust types by `cargo test -p livehook-console`; do not edit.

export type CallbackTemplate = { TemplateId: number, TemplateName: string, Description: string, StreamBeginNotifyUrl: string, StreamMixNotifyUrl: string, StreamEndNotifyUrl: string, RecordNotifyUrl: string, 
/**
 * Not in the documented CallBackTemplateInfo, though Create and Modify accept it; kept when a
 * service returns it.
 */
RecordStatusNotifyUrl: string, SnapshotNotifyUrl: string, PornCensorshipNotifyUrl: string, CallbackKey: string, PushExceptionNotifyUrl: string, AudioAuditNotifyUrl: string, RecordExceptionNotifyUrl: string, RecordExceptionLevels: Array<string>, };
export type CallbackRule = { CreateTime: ApiTime, UpdateTime: ApiTime, TemplateId: number, DomainName: string, AppName: string, };
export type DomainInfo = { Name: string, Type: number, Status: number, CreateTime: ApiTime, BCName: number, TargetDomain: string, PlayType: number, IsDelayLive: number, CurrentCName: string, RentTag: number, RentExpireTime: string, IsMiniProgramLive: number, };
export type ApiTime = string;
export type TemplateFields = { TemplateName: string | null, Description: string | null, StreamBeginNotifyUrl: string | null, StreamEndNotifyUrl: string | null, RecordNotifyUrl: string | null, RecordStatusNotifyUrl: string | null, SnapshotNotifyUrl: string | null, PornCensorshipNotifyUrl: string | null, CallbackKey: string | null, PushExceptionNotifyUrl: string | null, AudioAuditNotifyUrl: string | null, RecordExceptionNotifyUrl: string | null, RecordExceptionLevels: Array<string> | null, };
export type Language = "zh-CN" | "en-US";
export type Field = "TemplateName" | "Description" | "CallbackKey" | "StreamBeginNotifyUrl" | "StreamEndNotifyUrl" | "RecordNotifyUrl" | "RecordStatusNotifyUrl" | "SnapshotNotifyUrl" | "PornCensorshipNotifyUrl" | "PushExceptionNotifyUrl" | "AudioAuditNotifyUrl" | "RecordExceptionNotifyUrl" | "RecordExceptionLevels" | "Template";
export type AppErrorKind = "auth" | "signature" | "clock_skew" | "network" | "timeout" | "validation" | "not_found" | "in_use" | "already_exists" | "quota" | "rate_limited" | "keyring_unavailable" | "port_in_use" | "internal";
export type FieldMessage = { field: Field, en: string, zh: string, };
export type AppError = { kind: AppErrorKind, message: string, code: string | null, requestId: string | null, fields: Array<FieldMessage>, };
export type TemplateRow = { template: CallbackTemplate, bindings: Array<CallbackRule>, };
export type DomainRow = { domain: DomainInfo, rules: Array<CallbackRule>, };
export type BindTarget = { domain: string, appName: string, };
export type ItemResult = { target: BindTarget, ok: boolean, error: AppError | null, };
export type DeleteStep = { "step": "unbinding", target: BindTarget, index: number, total: number, } | { "step": "unbound", target: BindTarget, } | { "step": "deleting" } | { "step": "deleted" } | { "step": "failed", error: AppError, };
export type TemplateExport = { format: string, version: number, 
/**
 * RFC 3339, UTC.
 */
exportedAt: string, 
/**
 * Whether the callback keys are in the file (it is then as secret as the keys).
 */
withKeys: boolean, templates: Array<TemplateFields>, };
export type ImportStep = { "action": "create", fields: TemplateFields, } | { "action": "update", id: number, changes: TemplateFields, };
export type ImportItem = { 
/**
 * Position in the file, from 0.
 */
index: number, name: string, 
/**
 * `None` when there is nothing to send (unchanged or invalid).
 */
step: ImportStep | null, 
/**
 * The fields an update changes, in the console's order.
 */
changed: Array<Field>, 
/**
 * The template with this name, when there is one.
 */
existingId: number | null, 
/**
 * Why this entry cannot be imported.
 */
error: AppError | null, };
export type ImportPlan = { items: Array<ImportItem>, 
/**
 * Whether the file carries callback keys (entries without one keep the existing key).
 */
withKeys: boolean, };
export type ApprovedStep = { index: number, name: string, step: ImportStep, };
export type ImportResult = { index: number, name: string, ok: boolean, 
/**
 * The template created or updated.
 */
id: number | null, error: AppError | null, };
export type Status = { 
/**
 * True when no profile is active and the offline demo is in use.
 */
demo: boolean, activeProfile: string | null, endpoint: string, profiles: Array<ProfileView>, };
export type ConnectionReport = { ok: boolean, templates: number, 
/**
 * Seconds the local clock was found to be off (0 when fine).
 */
clockOffset: number, error: AppError | null, };
export type ProfileView = { name: string, secretIdMasked: string, endpoint: string, language: Language | null, hasSecret: boolean, hasToken: boolean, active: boolean, };
export type UiSettings = { 
/**
 * `zh-CN` or `en-US`; unset: follow the system.
 */
language?: string | null, 
/**
 * `light`, `dark`; unset: follow the system.
 */
theme?: string | null, };
