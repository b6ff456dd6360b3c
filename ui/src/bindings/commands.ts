// Generated from the command table by `cargo test -p livehook-console`; do not edit.

import type { ApprovedStep, BindTarget, CallbackTemplate, ConnectionReport, DeleteStep, DomainRow, EventDetail, Filter, Format, ImportPlan, ImportResult, InspectorStatus, ItemResult, Live, NewProfile, Page, ProfileChanges, ProfileView, ResponseRule, Retention, SendResult, Status, TemplateFields, TemplateRow, Timeline, UiSettings } from "./index";

export type Commands = {
  app_status: { args: {}; result: Status; progress: never };
  use_demo: { args: {}; result: Status; progress: never };
  add_profile: { args: { profile: NewProfile }; result: ProfileView; progress: never };
  update_profile: { args: { name: string, changes: ProfileChanges }; result: ProfileView; progress: never };
  rename_profile: { args: { from: string, to: string }; result: null; progress: never };
  delete_profile: { args: { name: string }; result: null; progress: never };
  activate_profile: { args: { name: string }; result: Status; progress: never };
  test_connection: { args: { name: string }; result: ConnectionReport; progress: never };
  list_templates: { args: {}; result: Array<TemplateRow>; progress: never };
  create_template: { args: { fields: TemplateFields }; result: TemplateRow; progress: never };
  update_template: { args: { id: number, changes: TemplateFields }; result: CallbackTemplate; progress: never };
  delete_template: { args: { id: number }; result: null; progress: never };
  unbind_and_delete_template: { args: { id: number }; result: null; progress: DeleteStep };
  list_domains: { args: {}; result: Array<DomainRow>; progress: never };
  bind_domains: { args: { templateId: number, targets: Array<BindTarget> }; result: Array<ItemResult>; progress: never };
  unbind_domains: { args: { targets: Array<BindTarget> }; result: Array<ItemResult>; progress: never };
  export_templates: { args: { ids: Array<number> | null, withKeys: boolean }; result: string; progress: never };
  save_export: { args: { path: string, text: string, overwrite: boolean }; result: null; progress: never };
  default_export_dir: { args: {}; result: string; progress: never };
  plan_import: { args: { text: string }; result: ImportPlan; progress: never };
  apply_import: { args: { steps: Array<ApprovedStep> }; result: Array<ImportResult>; progress: ImportResult };
  get_ui_settings: { args: {}; result: UiSettings; progress: never };
  set_ui_settings: { args: { ui: UiSettings }; result: null; progress: never };
  inspector_status: { args: {}; result: InspectorStatus; progress: never };
  inspector_start: { args: { port: number, external: boolean }; result: InspectorStatus; progress: never };
  inspector_stop: { args: {}; result: InspectorStatus; progress: never };
  inspector_refresh_keys: { args: {}; result: InspectorStatus; progress: never };
  inspector_add_key: { args: { label: string, key: string }; result: InspectorStatus; progress: never };
  inspector_remove_key: { args: { label: string }; result: InspectorStatus; progress: never };
  inspector_set_rules: { args: { rules: Array<ResponseRule> }; result: InspectorStatus; progress: never };
  inspector_set_forward: { args: { url: string | null }; result: InspectorStatus; progress: never };
  inspector_set_retention: { args: { retention: Retention }; result: InspectorStatus; progress: never };
  inspector_events: { args: { filter: Filter }; result: Page; progress: never };
  inspector_detail: { args: { id: number }; result: EventDetail; progress: never };
  inspector_image: { args: { id: number, url: string }; result: string; progress: never };
  inspector_timeline: { args: { streamId: string, sessionOf: number | null, limit: number | null }; result: Timeline; progress: never };
  inspector_subscribe: { args: {}; result: null; progress: Live };
  inspector_replay: { args: { id: number, url: string, resign: boolean, body: string | null }; result: SendResult; progress: never };
  inspector_export: { args: { filter: Filter, format: Format, path: string, overwrite: boolean }; result: number; progress: never };
  inspector_send_test: { args: { eventType: number, url: string, key: string, retries: boolean }; result: Array<SendResult>; progress: SendResult };
  inspector_use_for_template: { args: { templateId: number, base: string }; result: null; progress: never };
  inspector_restore_template: { args: { templateId: number }; result: null; progress: never };
  demo_push_stream: { args: { domain: string, appName: string, streamId: string }; result: null; progress: never };
};
