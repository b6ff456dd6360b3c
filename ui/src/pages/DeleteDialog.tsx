import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Space } from "../components/Space";
import { Dialog } from "../components/modal";
import { Button } from "../components/Button";
import { asAppError, backend } from "../backend";
import type { AppError, DeleteStep, TemplateRow } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { targetLabel } from "../components/labels";

/** Confirm a delete; for a bound template, offer to unbind first, showing every step. */
export function DeleteDialog(props: { row: TemplateRow; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const { template, bindings } = props.row;
  const [busy, setBusy] = useState(false);
  const [steps, setSteps] = useState<DeleteStep[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  // A bound template's delete ran: its steps stay on screen until the dialog is closed.
  const [done, setDone] = useState(false);
  const bound = bindings.length > 0;
  const close = done ? props.onDeleted : props.onClose;

  const run = async () => {
    setBusy(true);
    setError(null);
    setSteps([]);
    try {
      if (bound) {
        await backend.unbindAndDeleteTemplate(template.TemplateId, (s) => setSteps((xs) => [...xs, s]));
        setDone(true);
      } else {
        await backend.deleteTemplate(template.TemplateId);
        props.onDeleted();
      }
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const stepText = (s: DeleteStep) => {
    switch (s.step) {
      case "unbinding":
        return t("del.unbinding", { target: targetLabel(s.target), index: s.index, total: s.total });
      case "unbound":
        return t("del.unbound", { target: targetLabel(s.target) });
      case "deleting":
        return t("del.deleting");
      case "deleted":
        return t("del.done");
      case "failed":
        return t("del.stopped", { message: s.error.message });
    }
  };

  return (
    <Dialog
      visible
      theme="danger"
      header={t("del.title", { name: template.TemplateName })}
      onClose={close}
      closeOnOverlayClick={false}
      footer={
        done ? (
          <Button theme="primary" onClick={close} data-testid="delete-close">
            {t("common.close")}
          </Button>
        ) : (
        <Space>
          <Button theme="danger" loading={busy} onClick={run} data-testid="delete-confirm">
            {bound ? t("del.unbindAndDelete") : t("common.delete")}
          </Button>
          <Button variant="outline" onClick={props.onClose} disabled={busy}>
            {t("common.cancel")}
          </Button>
        </Space>
        )
      }
    >
      {done ? <p data-testid="delete-done">{t("del.doneBody", { name: template.TemplateName })}</p> : <p>{t("del.body")}</p>}
      {bound && !done && (
        <div data-testid="delete-bindings">
          <p>{t("del.boundBody")}</p>
          <ul>
            {bindings.map((b) => (
              <li key={`${b.DomainName}/${b.AppName}`}>{targetLabel({ domain: b.DomainName, appName: b.AppName })}</li>
            ))}
          </ul>
        </div>
      )}
      {steps.length > 0 && (
        <ol className="steps" data-testid="delete-steps">
          {steps.map((s, i) => (
            <li key={i}>{stepText(s)}</li>
          ))}
        </ol>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
