// The only module that imports @tauri-apps/api.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { DeleteStep, ImportResult } from "../bindings";
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
  getUiSettings: () => invoke("get_ui_settings"),
  setUiSettings: (ui) => invoke("set_ui_settings", { ui }),
};
