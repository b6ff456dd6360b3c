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
export type About = { version: string, commit: string, 
/**
 * The operating system and architecture the binary was built for, e.g. `linux x86_64`.
 */
platform: string, };
export type AppErrorKind = "auth" | "signature" | "clock_skew" | "network" | "timeout" | "validation" | "not_found" | "in_use" | "already_exists" | "quota" | "rate_limited" | "keyring_unavailable" | "port_in_use" | "internal";
export type FieldMessage = { field: Field, en: string, zh: string, };
export type AppError = { kind: AppErrorKind, message: string, code: string | null, requestId: string | null, fields: Array<FieldMessage>, };
export type TemplateRow = { template: CallbackTemplate, bindings: Array<CallbackRule>, };
export type DomainRow = { domain: DomainInfo, rules: Array<CallbackRule>, };
export type BindTarget = { domain: string, appName: string, };
export type ItemResult = { target: BindTarget, ok: boolean, error: AppError | null, };
export type DeleteStep = { "step": "unbinding", target: BindTarget, index: number, total: number, } | { "step": "unbound", target: BindTarget, } | { "step": "deleting" } | { "step": "deleted" } | { "step": "failed", error: AppError, };
export type DeliveryQuery = { stream: string, 
/**
 * UNIX seconds, included.
 */
since: number, 
/**
 * UNIX seconds, excluded.
 */
until: number, eventType: number | null, failedOnly: boolean, };
export type DeliveryProgress = { 
/**
 * The day being read (1-based) of how many.
 */
window: number, windows: number, page: number, 
/**
 * 0 until the window's first page has answered.
 */
pages: number, records: number, };
export type DeliveryRow = { 
/**
 * When Tencent sent it (UNIX seconds), as the log says.
 */
eventTime: number | null, 
/**
 * The log's own text of that time.
 */
eventTimeText: string, eventType: number, 
/**
 * The body Tencent sent.
 */
request: string, 
/**
 * What the server answered.
 */
response: string, responseTime: number | null, 
/**
 * 0: delivered.
 */
resultCode: number, 
/**
 * The inspector's callback this record is, when it arrived there.
 */
inspectorId: number | null, };
export type DeliveryReport = { rows: Array<DeliveryRow>, 
/**
 * The inspector's callbacks of the stream in the range that no record accounts for (not replays),
 * newest first.
 */
onlyInInspector: Array<EventSummary>, 
/**
 * Whether the inspector has a database to match with at all.
 */
inspectorHasEvents: boolean, requests: number, windows: number, 
/**
 * Stopped before every page was read.
 */
cancelled: boolean, };
export type Liveness = "pending" | "live";
export type BindingState = { domain: string, appName: string, templateId: number, 
/**
 * When it was bound (UNIX ms), from the rule.
 */
boundAt: number | null, state: Liveness, 
/**
 * The first callback after binding: its arrival (UNIX ms) and id in the inspector.
 */
firstCallbackAt: number | null, firstCallbackId: number | null, 
/**
 * The latest callback Tencent's delivery log (as read in this session) shows sent for it since it
 * was bound (UNIX ms).
 */
deliveredAt: number | null, };
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
export type Verify = "valid" | "expired" | "not_yet_valid" | "bad_sign" | "unsigned" | "malformed" | "too_large";
export type Check = { "result": "valid", key: string, expiresIn: number, } | { "result": "expired", key: string, ago: number, } | { "result": "not_yet_valid", key: string, ahead: number, } | { "result": "bad_sign" } | { "result": "unsigned" } | { "result": "malformed", error: string, } | { "result": "too_large", limit: number, };
export type Answer = { status: number, 
/**
 * How long the receiver waited before answering.
 */
delayMs: number, body: string, 
/**
 * Which rule chose this answer, in words; None for the default.
 */
rule: string | null, };
export type EventSummary = { id: number, receivedAt: number, method: string, path: string, remote: string, bodySize: number, eventType: number | null, streamId: string | null, domain: string | null, appName: string | null, sequence: string | null, verify: Verify, keyLabel: string | null, attempt: number, status: number, 
/**
 * Set when this request was a replay (from LiveHook) of the callback with this id: it is then not
 * a delivery attempt of Tencent's.
 */
replayOf: number | null, };
export type Filter = { eventType: number | null, streamId: string | null, domain: string | null, appName: string | null, 
/**
 * A verification result (`valid`, `bad_sign`, …), or `invalid` for every result but `valid`.
 */
verify: "invalid" | Verify | null, 
/**
 * UNIX milliseconds, inclusive.
 */
since: number | null, 
/**
 * UNIX milliseconds, exclusive.
 */
until: number | null, 
/**
 * Words or a phrase to find in bodies.
 */
text: string | null, 
/**
 * Only these events (a hand-picked selection), at most [`MAX_IDS`].
 */
ids: Array<number> | null, 
/**
 * Paging: only events with a smaller id (the last id of the previous page).
 */
beforeId: number | null, 
/**
 * Page size, 1 to 1000 (default 100).
 */
limit: number | null, };
export type Page = { 
/**
 * Newest first.
 */
items: Array<EventSummary>, 
/**
 * Pass as `before_id` for the next page; None at the end.
 */
nextBeforeId: number | null, };
export type Traffic = { 
/**
 * UNIX ms where the first bucket starts (a multiple of `step` in the asker's time zone).
 */
start: number, 
/**
 * Each bucket's width in ms.
 */
step: number, buckets: number, 
/**
 * One per event type that occurs (None: not a Tencent callback), in type order.
 */
series: Array<TrafficSeries>, 
/**
 * Per bucket: how many did not verify (any result but `valid`).
 */
unverified: Array<number>, 
/**
 * Per bucket: how many were answered something other than 200.
 */
failed: Array<number>, 
/**
 * Every callback counted.
 */
total: number, };
export type TrafficSeries = { eventType: number | null, 
/**
 * Per bucket.
 */
counts: Array<number>, };
export type Retention = { 
/**
 * Keep at most this many (the oldest go first). 0: no limit.
 */
maxEvents: number, 
/**
 * Keep none older than this many days. 0: no limit.
 */
maxAgeDays: number, 
/**
 * Keep the database under this many MiB (the oldest go first). 0: no limit.
 */
maxMb: number, };
export type ForwardRecord = { eventId: number, at: number, url: string, status: number | null, answer: string, error: string | null, elapsedMs: number, };
export type Update = { "kind": "received", event: EventSummary, stored: number, } | { "kind": "hidden", count: number, stored: number, } | { "kind": "missed", missed: number, } | { "kind": "forwarded", record: ForwardRecord, } | { "kind": "storeFailed", message: string, } | { "kind": "disconnected", message: string, } | { "kind": "reconnected" };
export type ResponseRule = { 
/**
 * Match requests to this path exactly (e.g. `/live/record`); None: any path.
 */
path: string | null, 
/**
 * Match this event type; None: any.
 */
eventType: number | null, 
/**
 * Answer with this status (default 200).
 */
status: number | null, 
/**
 * Wait this long before answering.
 */
delayMs: number, 
/**
 * Answer 500 to the first N attempts of each delivery, then as above.
 */
failFirst: number, };
export type Anomaly = { "kind": "interruptionWithoutPush" } | { "kind": "pushWithoutInterruption", previous: string, } | { "kind": "recordingWithoutFile" } | { "kind": "gap", seconds: number, } | { "kind": "retry", attempt: number, } | { "kind": "unverified", result: Verify, };
export type TimelineEntry = { event: EventSummary, 
/**
 * The push session this event belongs to: its own `sequence`, or for an event that names none
 * (a recording file, say) the session of the stream that came before it (the first session, for
 * such events at most [`LEAD_SECONDS`] before it).
 */
session: string | null, 
/**
 * When it happened by the body's `event_time`, else when it arrived (UNIX seconds).
 */
at: number, anomalies: Array<Anomaly>, };
export type Timeline = { entries: Array<TimelineEntry>, older: boolean, 
/**
 * How many callbacks it read at most.
 */
limit: number, 
/**
 * The most any timeline reads ([`crate::TIMELINE_CAP`]): no "load older" past it.
 */
cap: number, };
export type SendResult = { url: string, attempt: number, status: number | null, answer: string, error: string | null, elapsedMs: number, 
/**
 * The body that was sent.
 */
body: string, };
export type Format = "json" | "ndjson" | "har";
export type KeyView = { label: string, masked: string, 
/**
 * Added by hand (removable), as opposed to a template's.
 */
manual: boolean, };
export type InspectorStatus = { running: boolean, 
/**
 * `http://127.0.0.1:PORT` while running.
 */
address: string | null, db: string, keys: Array<KeyView>, rules: Array<ResponseRule>, forwardTo: string | null, stored: number, retention: Retention, 
/**
 * Set when the keys added by hand could not be read from or saved to the keyring: they are then
 * kept only until the app closes.
 */
keysNote: string | null, 
/**
 * Templates whose URLs point at the inspector, with their own URLs kept for "Restore".
 */
takenOver: Array<number>, 
/**
 * The remote inspector shown instead of this computer's (its list, chart and live updates); the
 * other fields still describe this computer's receiver, except `stored`, which is the remote's.
 */
remote: AttachedRemote | null, 
/**
 * Why the remote shown did not answer just now.
 */
remoteNote: string | null, };
export type AttachedRemote = { id: string, name: string, url: string, };
export type SavedRemote = { id: string, name: string, 
/**
 * The read API's address, `https://host:port`.
 */
url: string, 
/**
 * The SHA-256 fingerprint of a certificate the user chose to trust (a self-signed one).
 */
fingerprint: string | null, };
export type RemoteInput = { id: string | null, name: string, url: string, token: string | null, fingerprint: string | null, };
export type RemoteProblem = "invalid" | "unauthorized" | "nameMismatch" | "untrusted" | "fingerprintChanged" | "unreachable" | "notAnInspector";
export type RemoteCheck = { ok: boolean, 
/**
 * How many callbacks it holds, when it answered.
 */
stored: number | null, problem: RemoteProblem | null, 
/**
 * What happened, in detail (English, technical).
 */
message: string | null, 
/**
 * The certificate's fingerprint, when one was refused.
 */
fingerprint: string | null, };
export type VerifySteps = { t: number | null, receivedSign: string | null, 
/**
 * The key that matched (or, when none did, the first key tried), masked.
 */
keyLabel: string | null, keyMasked: string | null, 
/**
 * `md5(<key> + t)` with the key masked.
 */
md5Input: string | null, 
/**
 * Shown only once `t` has passed: until then it (with this `t`) would make any body pass as
 * signed, since the sign does not cover the body.
 */
expectedSign: string | null, 
/**
 * When the expected sign is held back: the `t` (Unix seconds) after which it is shown.
 */
expectedAfter: number | null, 
/**
 * Seconds from receipt to `t` (negative: it had expired).
 */
expiresIn: number | null, keysTried: number, };
export type Fact = { en: string, zh: string, value: string, 
/**
 * The value in Chinese, where it is a word Tencent documents in both languages.
 */
valueZh: string | null, 
/**
 * A link to open (recording file, screenshot, audio).
 */
link: string | null, 
/**
 * A picture to preview (screenshot, audited image); the UI asks the backend for it.
 */
image: string | null, };
export type EventDetail = { summary: EventSummary, query: string, headers: Array<[string, string]>, bodyText: string, 
/**
 * The body as JSON, when it is JSON.
 */
json: unknown, 
/**
 * Facts made for the event type (label, value), in both languages.
 */
facts: Array<Fact>, check: Check, steps: VerifySteps, answer: Answer, attempts: Array<EventSummary>, forwards: Array<ForwardRecord>, curl: string, };
export type Gallery = { shots: Array<Screenshot>, older: boolean, };
export type Screenshot = { id: number, 
/**
 * When it was taken by the body's `event_time`, else when it arrived (UNIX seconds).
 */
at: number, 
/**
 * The picture's address (`pic_full_url`, else `pic_url`).
 */
url: string, 
/**
 * Whether its signature verified: an unverified one's picture is fetched only when asked.
 */
verified: boolean, };
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
export type NewProfile = { name: string, secretId: string, secretKey: string, sessionToken: string | null, endpoint: string | null, language: Language | null, };
export type ProfileChanges = { secretId: string | null, secretKey: string | null, sessionToken: string | null, endpoint: string | null, language: Language | null, clearLanguage: boolean, };
