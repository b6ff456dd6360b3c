// The typed calls the UI makes. Inside the desktop app they go to the Rust commands (tauri.ts); in a
// plain browser (development, UI tests) to the in-memory mock (mock.ts), which behaves like the emulator.
import type {
  AppError,
  EventDetail,
  Filter,
  InspectorStatus,
  Live,
  Page,
  ResponseRule,
  Retention,
  SendResult,
  TimelineEntry,
  Format,
  ApprovedStep,
  ImportPlan,
  ImportResult,
  BindTarget,
  ConnectionReport,
  DeleteStep,
  DomainRow,
  ItemResult,
  ProfileView,
  Status,
  TemplateFields,
  TemplateRow,
  UiSettings,
  Language,
} from "../bindings";

export type NewProfile = {
  name: string;
  secretId: string;
  secretKey: string;
  sessionToken?: string | null;
  endpoint?: string | null;
  language?: Language | null;
};

export type ProfileChanges = Partial<Omit<NewProfile, "name">>;

export interface Backend {
  appStatus(): Promise<Status>;
  useDemo(): Promise<Status>;
  addProfile(profile: NewProfile): Promise<ProfileView>;
  updateProfile(name: string, changes: ProfileChanges): Promise<ProfileView>;
  renameProfile(from: string, to: string): Promise<void>;
  deleteProfile(name: string): Promise<void>;
  activateProfile(name: string): Promise<Status>;
  testConnection(name: string): Promise<ConnectionReport>;
  listTemplates(): Promise<TemplateRow[]>;
  createTemplate(fields: TemplateFields): Promise<number>;
  updateTemplate(id: number, changes: TemplateFields): Promise<void>;
  deleteTemplate(id: number): Promise<void>;
  unbindAndDeleteTemplate(id: number, onStep: (step: DeleteStep) => void): Promise<void>;
  listDomains(): Promise<DomainRow[]>;
  bindDomains(templateId: number, targets: BindTarget[]): Promise<ItemResult[]>;
  unbindDomains(targets: BindTarget[]): Promise<ItemResult[]>;
  /** The export file's text; `ids` null = every template. */
  exportTemplates(ids: number[] | null, withKeys: boolean): Promise<string>;
  defaultExportDir(): Promise<string>;
  saveExport(path: string, text: string, overwrite: boolean): Promise<void>;
  planImport(text: string): Promise<ImportPlan>;
  applyImport(steps: ApprovedStep[], onResult: (r: ImportResult) => void): Promise<ImportResult[]>;
  inspectorStatus(): Promise<InspectorStatus>;
  inspectorStart(port: number, external: boolean): Promise<InspectorStatus>;
  inspectorStop(): Promise<InspectorStatus>;
  inspectorRefreshKeys(): Promise<InspectorStatus>;
  inspectorAddKey(label: string, key: string): Promise<InspectorStatus>;
  inspectorRemoveKey(label: string): Promise<InspectorStatus>;
  inspectorSetRules(rules: ResponseRule[]): Promise<InspectorStatus>;
  inspectorSetForward(url: string | null): Promise<InspectorStatus>;
  inspectorSetRetention(retention: Retention): Promise<InspectorStatus>;
  inspectorEvents(filter: Filter): Promise<Page>;
  inspectorDetail(id: number): Promise<EventDetail>;
  inspectorTimeline(streamId: string, sequence: string | null): Promise<TimelineEntry[]>;
  /** Calls `onLive` for each callback as it is stored, until the receiver stops. */
  inspectorSubscribe(onLive: (live: Live) => void): Promise<void>;
  inspectorReplay(id: number, url: string, resign: boolean, body: string | null): Promise<SendResult>;
  /** Rejects with already_exists when `path` exists and `overwrite` is false. */
  inspectorExport(filter: Filter, format: Format, path: string, overwrite: boolean): Promise<number>;
  inspectorSendTest(eventType: number, url: string, key: string, retries: boolean, onResult: (r: SendResult) => void): Promise<SendResult[]>;
  inspectorUseForTemplate(templateId: number, base: string): Promise<void>;
  inspectorRestoreTemplate(templateId: number): Promise<void>;
  inspectorTakenOver(): Promise<number[]>;
  demoPushStream(domain: string, appName: string, streamId: string): Promise<void>;
  getUiSettings(): Promise<UiSettings>;
  setUiSettings(ui: UiSettings): Promise<void>;
}

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
