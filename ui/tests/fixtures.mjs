// What the UI suites (browser and real window) store and read back: one of each callback URL, and a
// template's fields with none set.

export const URLS = {
  StreamBeginNotifyUrl: "https://hooks.example.com/push?from=livehook",
  StreamEndNotifyUrl: "https://hooks.example.com/interruption",
  RecordNotifyUrl: "https://hooks.example.com/recording",
  RecordStatusNotifyUrl: "https://hooks.example.com/recording-status",
  SnapshotNotifyUrl: "https://hooks.example.com/screenshot",
  PornCensorshipNotifyUrl: "https://hooks.example.com/porn",
  PushExceptionNotifyUrl: "https://hooks.example.com/push-exception",
  AudioAuditNotifyUrl: "https://hooks.example.com/audio",
  RecordExceptionNotifyUrl: "https://hooks.example.com/record-exception",
};

/** A TemplateFields with every field null (the command's "leave as it is"). */
export const EMPTY_FIELDS = Object.freeze(
  Object.fromEntries(["TemplateName", "Description", "CallbackKey", ...Object.keys(URLS), "RecordExceptionLevels"].map((k) => [k, null])),
);
