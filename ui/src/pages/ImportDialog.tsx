import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Checkbox, Tag, Textarea } from "tdesign-react";
import { Space } from "../components/Space";
import { Dialog } from "../components/modal";
import { Button } from "../components/Button";
import { asAppError, backend } from "../backend";
import type { AppError, ImportItem, ImportPlan, ImportResult } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { fieldLabel } from "../components/labels";

/**
 * Import templates from an export: read a file or pasted JSON, show what would be created, changed,
 * left alone or refused, and send only the steps the user keeps, with a result for each.
 */
export function ImportDialog(props: { onClose: () => void; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith("zh");
  const [text, setText] = useState("");
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const [keep, setKeep] = useState<Set<number>>(new Set());
  const [results, setResults] = useState<Map<number, ImportResult>>(new Map());
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const readFile = (file: File | undefined) => {
    if (!file) return;
    void file.text().then((s) => {
      setText(s);
      void preview(s);
    });
  };

  const preview = async (source = text) => {
    setBusy(true);
    setError(null);
    setResults(new Map());
    setApplied(false);
    try {
      const p = await backend.planImport(source);
      setPlan(p);
      setKeep(new Set(p.items.filter((i) => i.step).map((i) => i.index)));
    } catch (e) {
      setPlan(null);
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const steps = useMemo(
    () => (plan?.items ?? []).filter((i) => i.step && keep.has(i.index)).map((i) => ({ index: i.index, name: i.name, step: i.step! })),
    [plan, keep],
  );

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await backend.applyImport(steps, (r) => setResults((m) => new Map(m).set(r.index, r)));
      setApplied(true);
      props.onDone();
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const action = (item: ImportItem) => {
    if (item.error) {
      const detail = item.error.fields.length ? item.error.fields.map((f) => (zh ? f.zh : f.en)).join(" ") : item.error.message;
      return (
        <span>
          <Tag theme="danger" variant="light">
            {t("transfer.invalid")}
          </Tag>{" "}
          <span className="muted">{detail}</span>
        </span>
      );
    }
    if (!item.step) return <Tag variant="light">{t("transfer.unchanged")}</Tag>;
    if (item.step.action === "create")
      return (
        <Tag theme="success" variant="light">
          {t("transfer.create")}
        </Tag>
      );
    return (
      <Tag theme="warning" variant="light">
        {t("transfer.update", { fields: item.changed.map((f) => fieldLabel(t, f)).join(zh ? "、" : ", ") })}
      </Tag>
    );
  };

  const result = (item: ImportItem) => {
    const r = results.get(item.index);
    if (!r) return busy && keep.has(item.index) ? t("common.loading") : "";
    if (r.ok) return <span className="ok">{t("transfer.resultOk", { id: r.id })}</span>;
    return <span className="fail">{`${t(`errors.${r.error?.kind ?? "internal"}`)} ${r.error?.code ?? ""}`}</span>;
  };

  const okCount = [...results.values()].filter((r) => r.ok).length;

  return (
    <Dialog
      visible
      width={820}
      header={t("transfer.importTitle")}
      onClose={props.onClose}
      closeOnOverlayClick={false}
      footer={
        <Space>
          {!plan || applied ? null : (
            <Button theme="primary" loading={busy} disabled={steps.length === 0} onClick={apply} data-testid="import-apply">
              {t("transfer.apply", { count: steps.length })}
            </Button>
          )}
          {!plan && (
            <Button theme="primary" loading={busy} disabled={!text.trim()} onClick={() => preview()} data-testid="import-preview">
              {t("transfer.preview")}
            </Button>
          )}
          {plan && !busy && (
            <Button variant="outline" onClick={() => { setPlan(null); setApplied(false); }}>
              {t("transfer.back")}
            </Button>
          )}
          <Button variant="outline" onClick={props.onClose} disabled={busy}>
            {applied ? t("common.close") : t("common.cancel")}
          </Button>
        </Space>
      }
    >
      {!plan && (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Alert theme="info" message={t("transfer.previewHint")} />
          <div>
            <input ref={fileInput} type="file" accept=".json,application/json" hidden onChange={(e) => readFile(e.target.files?.[0])} data-testid="import-file" />
            <Button variant="outline" onClick={() => fileInput.current?.click()}>
              {t("transfer.chooseFile")}
            </Button>
          </div>
          <div data-testid="import-text">
            <Textarea value={text} onChange={(v) => setText(String(v))} placeholder={t("transfer.orPaste")} autosize={{ minRows: 6, maxRows: 10 }} className="mono" />
          </div>
        </Space>
      )}
      {plan && (
        <Space direction="vertical" style={{ width: "100%" }}>
          {!plan.withKeys && <Alert theme="info" message={t("transfer.keysNote")} />}
          {steps.length === 0 && !applied && <Alert theme="warning" message={t("transfer.nothing")} />}
          <table className="plan" data-testid="import-plan">
            <thead>
              <tr>
                <th />
                <th>{t("transfer.colName")}</th>
                <th>{t("transfer.colAction")}</th>
                <th>{t("transfer.colResult")}</th>
              </tr>
            </thead>
            <tbody>
              {plan.items.map((item) => (
                <tr key={item.index} data-testid={`import-item-${item.index}`}>
                  <td>
                    <Checkbox
                      checked={keep.has(item.index)}
                      disabled={!item.step || busy || applied}
                      onChange={(v) =>
                        setKeep((s) => {
                          const n = new Set(s);
                          if (v) n.add(item.index);
                          else n.delete(item.index);
                          return n;
                        })
                      }
                    />
                  </td>
                  <td>{item.name || t("common.none")}</td>
                  <td>{action(item)}</td>
                  <td>{result(item)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {applied && <div data-testid="import-summary">{t("transfer.summary", { ok: okCount, total: results.size })}</div>}
        </Space>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
