// The only module that imports @tauri-apps/api.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { DeleteStep, ImportResult, Live, SendResult } from "../bindings";
import type { Backend } from "./api";

export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export const tauriBackend: Backend = {
  appStatus: () => invoke("app_status"),
  useDemo: () => invoke("use_demo"),
  addProfile: (profile) => invoke("add_profile", { profile }),
  updateProfile: (name, changes) => invoke("update_profile", { name, changes }),
  renameProfile: (from, to) => invoke("rename_profile", { from, to }),
  deleteProfile: (name) => invoke("delete_profile", { name }),
  activateProfile: (name) => invoke("activate_profile", { name }),
  testConnection: (name) => invoke("test_connection", { name }),
  listTemplates: () => invoke("list_templates"),
  createTemplate: (fields) => invoke("create_template", { fields }),
  updateTemplate: (id, changes) => invoke("update_template", { id, changes }),
  deleteTemplate: (id) => invoke("delete_template", { id }),
  unbindAndDeleteTemplate: (id, onStep) => {
    const progress = new Channel<DeleteStep>();
    progress.onmessage = onStep;
    return invoke("unbind_and_delete_template", { id, progress });
  },
  listDomains: () => invoke("list_domains"),
  bindDomains: (templateId, targets) => invoke("bind_domains", { templateId, targets }),
  unbindDomains: (targets) => invoke("unbind_domains", { targets }),
  exportTemplates: (ids, withKeys) => invoke("export_templates", { ids, withKeys }),
  defaultExportDir: () => invoke("default_export_dir"),
  saveExport: (path, text, overwrite) => invoke("save_export", { path, text, overwrite }),
  planImport: (text) => invoke("plan_import", { text }),
  applyImport: (steps, onResult) => {
    const progress = new Channel<ImportResult>();
    progress.onmessage = onResult;
    return invoke("apply_import", { steps, progress });
  },
  inspectorStatus: () => invoke("inspector_status"),
  inspectorStart: (port, external) => invoke("inspector_start", { port, external }),
  inspectorStop: () => invoke("inspector_stop"),
  inspectorRefreshKeys: () => invoke("inspector_refresh_keys"),
  inspectorAddKey: (label, key) => invoke("inspector_add_key", { label, key }),
  inspectorRemoveKey: (label) => invoke("inspector_remove_key", { label }),
  inspectorSetRules: (rules) => invoke("inspector_set_rules", { rules }),
  inspectorSetForward: (url) => invoke("inspector_set_forward", { url }),
  inspectorSetRetention: (retention) => invoke("inspector_set_retention", { retention }),
  inspectorEvents: (filter) => invoke("inspector_events", { filter }),
  inspectorDetail: (id) => invoke("inspector_detail", { id }),
  inspectorTimeline: (streamId, sequence) => invoke("inspector_timeline", { streamId, sequence }),
  inspectorSubscribe: (onLive) => {
    const events = new Channel<Live>();
    events.onmessage = onLive;
    return invoke("inspector_subscribe", { events });
  },
  inspectorReplay: (id, url, resign, body) => invoke("inspector_replay", { id, url, resign, body }),
  inspectorExport: (filter, format, path, overwrite) => invoke("inspector_export", { filter, format, path, overwrite }),
  inspectorSendTest: (eventType, url, key, retries, onResult) => {
    const results = new Channel<SendResult>();
    results.onmessage = onResult;
    return invoke("inspector_send_test", { eventType, url, key, retries, results });
  },
  inspectorUseForTemplate: (templateId, base) => invoke("inspector_use_for_template", { templateId, base }),
  inspectorRestoreTemplate: (templateId) => invoke("inspector_restore_template", { templateId }),
  inspectorTakenOver: () => invoke("inspector_taken_over"),
  demoPushStream: (domain, appName, streamId) => invoke("demo_push_stream", { domain, appName, streamId }),
  getUiSettings: () => invoke("get_ui_settings"),
  setUiSettings: (ui) => invoke("set_ui_settings", { ui }),
};
