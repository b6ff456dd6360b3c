// Generated from the Rust enums by `cargo test -p livehook-console`; do not edit.
import type { Field, Verify } from "./index";

/** Every callback event type, in the console's order: its code, its command-line slug, and the template
 * field whose URL receives it (null: configured elsewhere). Names: `vocabulary.eventType.<code>`. */
export const EVENT_TYPES = [
  { code: 1, slug: "stream-begin", field: "StreamBeginNotifyUrl" },
  { code: 0, slug: "stream-end", field: "StreamEndNotifyUrl" },
  { code: 100, slug: "record-file", field: "RecordNotifyUrl" },
  { code: 332, slug: "record-status", field: "RecordStatusNotifyUrl" },
  { code: 200, slug: "snapshot", field: "SnapshotNotifyUrl" },
  { code: 317, slug: "porn-censorship", field: "PornCensorshipNotifyUrl" },
  { code: 315, slug: "audio-audit", field: "AudioAuditNotifyUrl" },
  { code: 321, slug: "push-exception", field: "PushExceptionNotifyUrl" },
  { code: 341, slug: "record-exception", field: "RecordExceptionNotifyUrl" },
  { code: 314, slug: "relay", field: null },
  { code: 348, slug: "live-summary", field: null },
] as const satisfies readonly { code: number; slug: string; field: Field | null }[];

/** Every verification result. Names: `vocabulary.verify.<result>` (and `.invalid`, every one but valid). */
export const VERIFY_RESULTS = ["valid", "expired", "not_yet_valid", "bad_sign", "unsigned", "malformed", "too_large"] as const satisfies readonly Verify[];
