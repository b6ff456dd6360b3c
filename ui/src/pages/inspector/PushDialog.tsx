import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Alert, Input, MessagePlugin, Select } from "tdesign-react";
import { Space } from "../../components/Space";
import { Dialog } from "../../components/modal";
import { Button } from "../../components/Button";
import { asAppError, backend } from "../../backend";
import type { AppError, CallbackRule, TemplateRow } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { pointTemplateHere } from "./PointDialog";

const key = (b: CallbackRule) => `${b.DomainName}|${b.AppName}`;

/**
 * The offline demo's test stream: push on a bound domain and its template's callbacks follow. When that
 * template does not send here, the dialog says so and points it at this receiver first (Restore, in
 * "Point a template", puts its URLs back), instead of announcing callbacks that would go elsewhere.
 */
export function PushDialog(props: { templates: TemplateRow[]; takenOver: number[]; base: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const bindings = props.templates.flatMap((r) => r.bindings);
  const [target, setTarget] = useState<string | null>(null);
  const [stream, setStream] = useState("demo_stream");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const binding = bindings.find((b) => key(b) === target) ?? null;
  const row = binding ? props.templates.find((r) => r.template.TemplateId === binding.TemplateId) ?? null : null;
  const elsewhere = row !== null && !props.takenOver.includes(row.template.TemplateId);
  const streamOk = stream.trim() !== "";

  const push = async () => {
    if (!binding || !row) return;
    setBusy(true);
    setError(null);
    try {
      if (elsewhere) await pointTemplateHere(queryClient, row.template.TemplateId, props.base);
      await backend.demoPushStream(binding.DomainName, binding.AppName || "live", stream.trim());
      void MessagePlugin.info(t("inspector.demoStarted", { stream: stream.trim() }));
      props.onClose();
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      visible
      width={560}
      header={t("inspector.pushStream")}
      onClose={props.onClose}
      data-testid="push-dialog"
      footer={
        <Space>
          <Button theme="primary" tag="button" disabled={!binding || !streamOk} loading={busy} onClick={() => void push()} data-testid="demo-stream-start">
            {elsewhere ? t("inspector.pointAndPush") : t("inspector.push")}
          </Button>
          <Button variant="outline" onClick={props.onClose} disabled={busy}>
            {t("common.cancel")}
          </Button>
        </Space>
      }
    >
      <p className="dialog-intro">{t("inspector.pushBody")}</p>
      {bindings.length === 0 ? (
        <Alert theme="info" message={t("inspector.pushNoDomain")} data-testid="push-no-domain" />
      ) : (
        <>
          <Field label={t("inspector.pushDomain")} help={t("inspector.pushDomainHelp")}>
            <div data-testid="demo-stream-domain">
              <Select
                value={target ?? undefined}
                placeholder={t("inspector.pickDomain")}
                options={bindings.map((b) => ({ label: b.AppName ? `${b.DomainName} / ${b.AppName}` : b.DomainName, value: key(b) }))}
                onChange={(v) => setTarget(String(v))}
                popupProps={{ overlayClassName: "demo-domain-popup" }}
              />
            </div>
          </Field>
          <Field label={t("inspector.stream")} help={t("inspector.streamHelp")}>
            <div data-testid="demo-stream-name">
              <Input value={stream} onChange={(v) => setStream(String(v))} />
            </div>
          </Field>
          {row && elsewhere && (
            <Alert
              theme="warning"
              data-testid="push-elsewhere"
              message={t("inspector.pushElsewhere", { name: row.template.TemplateName, url: row.template.StreamBeginNotifyUrl || t("inspector.noUrl") })}
            />
          )}
          {row && !elsewhere && <Alert theme="success" data-testid="push-here" message={t("inspector.pushHere", { name: row.template.TemplateName })} />}
        </>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
