// The typed calls the UI makes. Every command, its arguments, result and progress messages come from
// the Rust command table (bindings/commands.ts); a transport carries them: Tauri's invoke inside the
// desktop app (tauri.ts), the loopback bridge to the same Rust backend in a plain browser (bridge.ts).
import type { AppError, Filter, TemplateFields } from "../bindings";
import type { Commands } from "../bindings/commands";

export type CommandName = keyof Commands;
export type Args<K extends CommandName> = Commands[K]["args"];
export type Result<K extends CommandName> = Commands[K]["result"];
export type ProgressOf<K extends CommandName> = Commands[K]["progress"];

/** Runs one command of the table; progress messages (if the command streams any) go to `onProgress`. */
export type Transport = <K extends CommandName>(
  name: K,
  args: Args<K>,
  onProgress?: (message: ProgressOf<K>) => void,
) => Promise<Result<K>>;

/** The UI's calls, each one command of the table with its arguments in order. */
export function makeBackend(call: Transport) {
  return {
    about: () => call("about", {}),
    appStatus: () => call("app_status", {}),
    useDemo: () => call("use_demo", {}),
    addProfile: (profile: Args<"add_profile">["profile"], switchTo: boolean | null) => call("add_profile", { profile, switch: switchTo }),
    updateProfile: (name: string, changes: Args<"update_profile">["changes"]) => call("update_profile", { name, changes }),
    renameProfile: (from: string, to: string) => call("rename_profile", { from, to }),
    deleteProfile: (name: string) => call("delete_profile", { name }),
    activateProfile: (name: string) => call("activate_profile", { name }),
    testConnection: (name: string) => call("test_connection", { name }),
    listTemplates: () => call("list_templates", {}),
    createTemplate: (fields: TemplateFields) => call("create_template", { fields }),
    updateTemplate: (id: number, changes: TemplateFields) => call("update_template", { id, changes }),
    deleteTemplate: (id: number) => call("delete_template", { id }),
    unbindAndDeleteTemplate: (id: number, onStep: (step: ProgressOf<"unbind_and_delete_template">) => void) =>
      call("unbind_and_delete_template", { id }, onStep),
    listDomains: () => call("list_domains", {}),
    bindDomains: (templateId: number, targets: Args<"bind_domains">["targets"]) => call("bind_domains", { templateId, targets }),
    unbindDomains: (targets: Args<"unbind_domains">["targets"]) => call("unbind_domains", { targets }),
    /** The export file's text; `ids` null = every template. */
    exportTemplates: (ids: number[] | null, withKeys: boolean) => call("export_templates", { ids, withKeys }),
    defaultExportDir: () => call("default_export_dir", {}),
    saveExport: (path: string, text: string, overwrite: boolean) => call("save_export", { path, text, overwrite }),
    planImport: (text: string) => call("plan_import", { text }),
    applyImport: (steps: Args<"apply_import">["steps"], onResult: (r: ProgressOf<"apply_import">) => void) =>
      call("apply_import", { steps }, onResult),
    inspectorStatus: () => call("inspector_status", {}),
    inspectorStart: (port: number, external: boolean) => call("inspector_start", { port, external }),
    inspectorStop: () => call("inspector_stop", {}),
    inspectorRefreshKeys: () => call("inspector_refresh_keys", {}),
    inspectorAddKey: (label: string, key: string) => call("inspector_add_key", { label, key }),
    inspectorRemoveKey: (label: string) => call("inspector_remove_key", { label }),
    inspectorSetRules: (rules: Args<"inspector_set_rules">["rules"]) => call("inspector_set_rules", { rules }),
    inspectorSetForward: (url: string | null) => call("inspector_set_forward", { url }),
    inspectorSetRetention: (retention: Args<"inspector_set_retention">["retention"]) => call("inspector_set_retention", { retention }),
    inspectorEvents: (filter: Filter) => call("inspector_events", { filter }),
    inspectorTraffic: (filter: Filter, buckets: number, utcOffsetMinutes: number) => call("inspector_traffic", { filter, buckets, utcOffsetMinutes }),
    inspectorDetail: (id: number) => call("inspector_detail", { id }),
    /** A screenshot as a data URL, fetched by the backend (the window's policy allows no remote images). */
    inspectorImage: (id: number, url: string) => call("inspector_image", { id, url }),
    inspectorScreenshots: (streamId: string, limit: number | null) => call("inspector_screenshots", { streamId, limit }),
    /** The push session the callback `sessionOf` belongs to, or (null) the whole stream. */
    inspectorTimeline: (streamId: string, sessionOf: number | null, limit: number | null = null) =>
      call("inspector_timeline", { streamId, sessionOf, limit }),
    /** Calls `onUpdate` with each arrival as a subscriber with `filter` sees it (decided by the backend, the
     *  stored count with each), until the receiver stops or `inspectorUnsubscribe`; answers its number. */
    inspectorSubscribe: (filter: Filter, onUpdate: (update: ProgressOf<"inspector_subscribe">) => void) =>
      call("inspector_subscribe", { filter }, onUpdate),
    inspectorUnsubscribe: (subscription: number) => call("inspector_unsubscribe", { subscription }),
    inspectorReplay: (id: number, url: string, resign: boolean, body: string | null) => call("inspector_replay", { id, url, resign, body }),
    /** Rejects with already_exists when `path` exists and `overwrite` is false. */
    inspectorExport: (filter: Filter, format: Args<"inspector_export">["format"], path: string, overwrite: boolean) =>
      call("inspector_export", { filter, format, path, overwrite }),
    inspectorSendTest: (eventType: number, url: string, key: string, retries: boolean, onResult: (r: ProgressOf<"inspector_send_test">) => void) =>
      call("inspector_send_test", { eventType, url, key, retries }, onResult),
    inspectorUseForTemplate: (templateId: number, base: string) => call("inspector_use_for_template", { templateId, base }),
    inspectorRestoreTemplate: (templateId: number) => call("inspector_restore_template", { templateId }),
    demoPushStream: (domain: string, appName: string, streamId: string) => call("demo_push_stream", { domain, appName, streamId }),
    /** Streams with stored callbacks, the most recently heard first. */
    inspectorStreams: () => call("inspector_streams", {}),
    /** The saved remote inspectors (never their tokens). */
    inspectorRemotes: () => call("inspector_remotes", {}),
    /** Tries an address and token without saving them; a refusal is an answer, not a rejection. */
    inspectorRemoteCheck: (remote: Args<"inspector_remote_check">["remote"]) => call("inspector_remote_check", { remote }),
    inspectorRemoteSave: (remote: Args<"inspector_remote_save">["remote"]) => call("inspector_remote_save", { remote }),
    inspectorRemoteDelete: (id: string) => call("inspector_remote_delete", { id }),
    /** Shows the saved remote `id` instead of this computer's inspector; null: this computer's again. */
    inspectorAttach: (id: string | null) => call("inspector_attach", { id }),
    /** Tencent's delivery log of one stream, matched with the inspector; progress before each request. */
    deliveriesRead: (query: Args<"deliveries_read">["query"], onProgress: (p: ProgressOf<"deliveries_read">) => void) =>
      call("deliveries_read", { query }, onProgress),
    /** Stops the delivery log read under way (it answers with what it read). */
    deliveriesCancel: () => call("deliveries_cancel", {}),
    /** Every binding, pending or live. */
    bindingStates: () => call("binding_states", {}),
    getUiSettings: () => call("get_ui_settings", {}),
    setUiSettings: (ui: Args<"set_ui_settings">["ui"]) => call("set_ui_settings", { ui }),
  };
}

export type Backend = ReturnType<typeof makeBackend>;

/** Errors from the backend are AppError objects; anything else is wrapped as internal. */
export function asAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "kind" in e && "message" in e) {
    return e as AppError;
  }
  return { kind: "internal", message: String(e), code: null, requestId: null, fields: [] };
}

export function emptyFields(): TemplateFields {
  return {
    TemplateName: null,
    Description: null,
    StreamBeginNotifyUrl: null,
    StreamEndNotifyUrl: null,
    RecordNotifyUrl: null,
    RecordStatusNotifyUrl: null,
    SnapshotNotifyUrl: null,
    PornCensorshipNotifyUrl: null,
    CallbackKey: null,
    PushExceptionNotifyUrl: null,
    AudioAuditNotifyUrl: null,
    RecordExceptionNotifyUrl: null,
    RecordExceptionLevels: null,
  };
}

export function emptyFilter(): Filter {
  return { eventType: null, streamId: null, domain: null, appName: null, verify: null, since: null, until: null, text: null, ids: null, beforeId: null, limit: null };
}
