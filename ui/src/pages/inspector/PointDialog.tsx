import { useState } from "react";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Input, MessagePlugin, Select } from "tdesign-react";
import { Space } from "../../components/Space";
import { Dialog } from "../../components/modal";
import { Button } from "../../components/Button";
import { asAppError, backend } from "../../backend";
import type { AppError, TemplateRow } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";

/** A template's URLs changed (pointed here or put back): the templates and the receiver's status read again. */
function pointingChanged(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: ["templates"] });
  void queryClient.invalidateQueries({ queryKey: ["inspector-status"] });
}

/** Point template `id`'s callback URLs at the receiver at `base`, and verify with its key from now on. */
export async function pointTemplateHere(queryClient: QueryClient, id: number, base: string) {
  await backend.inspectorUseForTemplate(id, base);
  await backend.inspectorRefreshKeys();
  pointingChanged(queryClient);
}

/** Point a template's callback URLs at this receiver, or put back the URLs it had before. */
export function PointDialog(props: { templates: TemplateRow[]; takenOver: number[]; base: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [template, setTemplate] = useState<number | null>(null);
  const [publicBase, setPublicBase] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const pointed = template !== null && props.takenOver.includes(template);

  const act = async (f: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      void MessagePlugin.success(done);
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
      header={t("inspector.pointTitle")}
      onClose={props.onClose}
      data-testid="point-dialog"
      footer={
        <Space>
          <Button
            variant="outline"
            tag="button"
            disabled={!pointed || busy}
            title={template !== null && !pointed ? t("inspector.restoreNothing") : undefined}
            data-testid="inspector-restore"
            onClick={() =>
              act(async () => {
                await backend.inspectorRestoreTemplate(template!);
                pointingChanged(queryClient);
              }, t("inspector.restored"))
            }
          >
            {t("inspector.restore")}
          </Button>
          <Button
            theme="primary"
            disabled={template === null}
            loading={busy}
            data-testid="inspector-use"
            onClick={() =>
              act(() => pointTemplateHere(queryClient, template!, publicBase.trim() || props.base), t("inspector.usedFor"))
            }
          >
            {t("inspector.useFor")}
          </Button>
          <Button variant="outline" onClick={props.onClose}>
            {t("common.close")}
          </Button>
        </Space>
      }
    >
      <p className="dialog-intro">{t("inspector.pointBody")}</p>
      <Field label={t("inspector.template")}>
        <div data-testid="inspector-template">
          <Select
            value={template ?? undefined}
            placeholder={t("inspector.pickTemplate")}
            options={props.templates.map((r) => ({
              label: props.takenOver.includes(r.template.TemplateId) ? `${r.template.TemplateName} · ${t("inspector.pointsHere")}` : r.template.TemplateName,
              value: r.template.TemplateId,
            }))}
            onChange={(v) => setTemplate(Number(v))}
            popupProps={{ overlayClassName: "inspector-template-popup" }}
          />
        </div>
      </Field>
      <Field label={t("inspector.publicBaseLabel")} help={t("inspector.publicBaseHelp", { address: props.base })}>
        <Input value={publicBase} onChange={(v) => setPublicBase(String(v))} placeholder={props.base} data-testid="inspector-public-base" />
      </Field>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
