import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Checkbox, Divider, Input, Popconfirm, Select, Tag } from "tdesign-react";
import { Space } from "../components/Space";
import { Drawer } from "../components/modal";
import { Button } from "../components/Button";
import { asAppError, backend } from "../backend";
import type { AppError, InspectorStatus, ResponseRule, SendResult } from "../bindings";
import { EVENT_TYPES } from "../bindings/vocabulary";
import { ErrorNotice } from "../components/ErrorNotice";
import { eventTypeName } from "../components/labels";
import { SecretInput } from "../components/SecretInput";

type RuleDraft = { path: string; eventType: string; status: string; delayMs: string; failFirst: string };

function toDraft(r: ResponseRule): RuleDraft {
  return {
    path: r.path ?? "",
    eventType: r.eventType == null ? "" : String(r.eventType),
    status: r.status == null ? "" : String(r.status),
    delayMs: r.delayMs ? String(r.delayMs) : "",
    failFirst: r.failFirst ? String(r.failFirst) : "",
  };
}

function fromDraft(d: RuleDraft): ResponseRule {
  const n = (s: string) => (s.trim() === "" ? null : Number(s));
  return { path: d.path.trim() || null, eventType: n(d.eventType), status: n(d.status), delayMs: n(d.delayMs) ?? 0, failFirst: n(d.failFirst) ?? 0 };
}

function sameRules(a: ResponseRule[], b: ResponseRule[]): boolean {
  const key = (r: ResponseRule) => [r.path, r.eventType, r.status, r.delayMs, r.failFirst].join("\u0000");
  return a.length === b.length && a.every((r, i) => key(r) === key(b[i]));
}

/** Keys, answer rules, forwarding, and test events sent to the user's own handler. */
export function InspectorSettings(props: { status: InspectorStatus; onChanged: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<AppError | null>(null);
  const [label, setLabel] = useState("");
  const [key, setKey] = useState("");
  const [rules, setRules] = useState<RuleDraft[]>(props.status.rules.map(toDraft));
  const [forward, setForward] = useState(props.status.forwardTo ?? "");
  const [keepN, setKeepN] = useState(String(props.status.retention.maxEvents));
  const [keepDays, setKeepDays] = useState(String(props.status.retention.maxAgeDays));
  const [keepMb, setKeepMb] = useState(String(props.status.retention.maxMb));
  const [testType, setTestType] = useState(1);
  const [testUrl, setTestUrl] = useState("");
  const [testKey, setTestKey] = useState("");
  const [retries, setRetries] = useState(false);
  const [results, setResults] = useState<SendResult[]>([]);
  const [sending, setSending] = useState(false);

  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      props.onChanged();
    } catch (e) {
      setError(asAppError(e));
    }
  };
  const badNumber = (s: string) => s.trim() !== "" && !/^\d+$/.test(s.trim());
  const forwardInvalid = forward.trim() !== "" && !/^https?:\/\/[^/\s]+/.test(forward.trim());
  const rulesInvalid = rules.some((r) => badNumber(r.eventType) || badNumber(r.status) || badNumber(r.delayMs) || badNumber(r.failFirst));
  // Each Save sends only when its section differs from what the receiver has.
  const rulesChanged = !sameRules(rules.map(fromDraft), props.status.rules);
  const forwardChanged = forward.trim() !== (props.status.forwardTo ?? "");
  const retentionChanged =
    keepN.trim() !== String(props.status.retention.maxEvents) ||
    keepDays.trim() !== String(props.status.retention.maxAgeDays) ||
    keepMb.trim() !== String(props.status.retention.maxMb);

  return (
    <Drawer visible header={t("inspector.settings.title")} size="560px" onClose={props.onClose} footer={false}>
      <div data-testid="inspector-settings">
        <Divider align="left">{t("inspector.settings.keys")}</Divider>
        <p className="hint">{t("inspector.settings.keysHint")}</p>
        {props.status.keysNote && (
          <div data-testid="keys-note" style={{ marginBottom: 8 }}>
            <Alert theme="warning" message={props.status.keysNote} />
          </div>
        )}
        {props.status.keys.map((k) => (
          <div key={k.label} className="rule">
            <Tag variant="light" theme={k.manual ? "primary" : "default"}>
              {k.label}
            </Tag>
            <code>{k.masked}</code>
            {k.manual && (
              <Popconfirm
                theme="warning"
                content={t("inspector.settings.removeKey", { label: k.label })}
                confirmBtn={{ content: t("common.delete"), "data-testid": "remove-key-confirm" } as object}
                onConfirm={() => act(() => backend.inspectorRemoveKey(k.label))}
              >
                <span data-testid={`remove-key-${k.label}`}>
                  <Button size="small" variant="text" theme="danger">
                    {t("common.delete")}
                  </Button>
                </span>
              </Popconfirm>
            )}
          </div>
        ))}
        <Space style={{ marginTop: 8 }}>
          <Input value={label} onChange={(v) => setLabel(String(v))} placeholder={t("inspector.settings.keyName")} style={{ width: 150 }} />
          <SecretInput value={key} onChange={(v) => setKey(String(v))} placeholder={t("inspector.settings.keyValue")} style={{ width: 200 }} />
          <Button
            variant="outline"
            disabled={!label.trim() || !key}
            onClick={() =>
              act(async () => {
                await backend.inspectorAddKey(label.trim(), key);
                setLabel("");
                setKey("");
              })
            }
            data-testid="add-key"
          >
            {t("inspector.settings.addKey")}
          </Button>
        </Space>

        <Divider align="left">{t("inspector.settings.rules")}</Divider>
        <p className="hint">{t("inspector.settings.rulesHint")}</p>
        {rules.map((r, i) => (
          <div key={i} data-testid={`rule-row-${i}`} style={{ marginBottom: 6 }}>
          <Space>
            <Input value={r.path} placeholder="/path" style={{ width: 110 }} onChange={(v) => setRules((rs) => rs.map((x, j) => (j === i ? { ...x, path: String(v) } : x)))} />
            <Input value={r.eventType} placeholder={t("inspector.settings.type")} style={{ width: 70 }} onChange={(v) => setRules((rs) => rs.map((x, j) => (j === i ? { ...x, eventType: String(v) } : x)))} />
            <Input value={r.status} placeholder="200" style={{ width: 64 }} onChange={(v) => setRules((rs) => rs.map((x, j) => (j === i ? { ...x, status: String(v) } : x)))} />
            <Input value={r.delayMs} placeholder={t("inspector.settings.delay")} style={{ width: 80 }} onChange={(v) => setRules((rs) => rs.map((x, j) => (j === i ? { ...x, delayMs: String(v) } : x)))} />
            <Input value={r.failFirst} placeholder={t("inspector.settings.failFirst")} style={{ width: 80 }} onChange={(v) => setRules((rs) => rs.map((x, j) => (j === i ? { ...x, failFirst: String(v) } : x)))} />
            <Button size="small" variant="text" theme="danger" onClick={() => setRules((rs) => rs.filter((_, j) => j !== i))}>
              {t("common.delete")}
            </Button>
          </Space>
          </div>
        ))}
        <Space>
          <Button variant="outline" onClick={() => setRules((rs) => [...rs, { path: "", eventType: "", status: "", delayMs: "", failFirst: "" }])} data-testid="add-rule">
            {t("inspector.settings.addRule")}
          </Button>
          <Button disabled={rulesInvalid || !rulesChanged} onClick={() => act(() => backend.inspectorSetRules(rules.map(fromDraft)))} data-testid="save-rules">
            {t("common.save")}
          </Button>
          {rulesInvalid && <span className="fail">{t("inspector.settings.numbers")}</span>}
        </Space>

        <Divider align="left">{t("inspector.settings.forward")}</Divider>
        <p className="hint">{t("inspector.settings.forwardHint")}</p>
        <Space align="center">
          <div data-testid="forward-url">
            <Input
              value={forward}
              onChange={(v) => setForward(String(v))}
              status={forwardInvalid ? "error" : "default"}
              placeholder="http://127.0.0.1:3000/live/callback"
              style={{ width: 340 }}
            />
          </div>
          <Button disabled={forwardInvalid || !forwardChanged} onClick={() => act(() => backend.inspectorSetForward(forward.trim() || null))} data-testid="forward-save">
            {t("common.save")}
          </Button>
          {props.status.forwardTo && (
            <Button
              variant="text"
              onClick={() => {
                setForward("");
                void act(() => backend.inspectorSetForward(null));
              }}
              data-testid="forward-off"
            >
              {t("inspector.settings.forwardOff")}
            </Button>
          )}
        </Space>
        {forwardInvalid && (
          <p className="fail" data-testid="forward-invalid">
            {t("inspector.settings.forwardInvalid")}
          </p>
        )}
        <p className="hint" data-testid="forward-state">
          {props.status.forwardTo ? t("inspector.settings.forwarding", { url: props.status.forwardTo }) : t("inspector.settings.notForwarding")}
        </p>

        <Divider align="left">{t("inspector.settings.keeping")}</Divider>
        <p className="hint">{t("inspector.settings.keepingHint")}</p>
        <Space align="center">
          <div data-testid="keep-events">
            <Input value={keepN} onChange={(v) => setKeepN(String(v))} style={{ width: 190 }} suffix={t("inspector.settings.callbacks")} />
          </div>
          <div data-testid="keep-days">
            <Input value={keepDays} onChange={(v) => setKeepDays(String(v))} style={{ width: 100 }} suffix={t("inspector.settings.days")} />
          </div>
          <div data-testid="keep-mb">
            <Input value={keepMb} onChange={(v) => setKeepMb(String(v))} style={{ width: 120 }} suffix="MiB" />
          </div>
          <Button
            disabled={badNumber(keepN) || badNumber(keepDays) || badNumber(keepMb) || !keepN.trim() || !keepDays.trim() || !keepMb.trim() || !retentionChanged}
            onClick={() => act(() => backend.inspectorSetRetention({ maxEvents: Number(keepN), maxAgeDays: Number(keepDays), maxMb: Number(keepMb) }))}
            data-testid="save-retention"
          >
            {t("common.save")}
          </Button>
        </Space>

        <Divider align="left">{t("inspector.settings.test")}</Divider>
        <p className="hint">{t("inspector.settings.testHint")}</p>
        <Space direction="vertical" style={{ width: "100%" }}>
          <Space>
            <Select
              style={{ width: 170 }}
              value={testType}
              options={EVENT_TYPES.map(({ code }) => ({ label: `${code} ${eventTypeName(t, code)}`, value: code }))}
              onChange={(v) => setTestType(Number(v))}
            />
            <SecretInput value={testKey} onChange={(v) => setTestKey(String(v))} placeholder={t("inspector.settings.keyValue")} style={{ width: 170 }} />
            <Checkbox checked={retries} onChange={(v) => setRetries(Boolean(v))}>
              {t("inspector.settings.retries")}
            </Checkbox>
          </Space>
          <Space>
            <Input value={testUrl} onChange={(v) => setTestUrl(String(v))} placeholder={props.status.address ? `${props.status.address}/test` : "https://"} style={{ width: 340 }} />
            <Button
              loading={sending}
              disabled={!testKey}
              onClick={async () => {
                setSending(true);
                setResults([]);
                await act(() => backend.inspectorSendTest(testType, testUrl.trim() || `${props.status.address}/test`, testKey, retries, (r) => setResults((rs) => [...rs, r])));
                setSending(false);
              }}
              data-testid="send-test"
            >
              {t("inspector.settings.send")}
            </Button>
          </Space>
          <div data-testid="test-results">
            {results.map((r) => (
              <div key={r.attempt} className={r.status === 200 ? "ok" : "fail"}>
                {t("inspector.settings.attempt", { n: r.attempt, status: r.status ?? "—", ms: r.elapsedMs })} {r.error ?? r.answer}
              </div>
            ))}
          </div>
        </Space>
        {error && <ErrorNotice error={error} />}
      </div>
    </Drawer>
  );
}
