import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Checkbox, MessagePlugin, Textarea } from "tdesign-react";
import { Space } from "../components/Space";
import { Dialog } from "../components/modal";
import { Button } from "../components/Button";
import { asAppError, backend } from "../backend";
import type { AppError } from "../bindings";
import { copyText } from "../components/copy";
import { ReplaceFileDialog, SavePathField } from "../components/SaveFile";
import { ErrorNotice } from "../components/ErrorNotice";

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Export the templates (all, or those the search shows) to a JSON file, keys only when asked. */
export function ExportDialog(props: { ids: number[] | null; count: number; onClose: () => void }) {
  const { t } = useTranslation();
  // The selection is what the list showed when the dialog opened.
  const [ids] = useState(props.ids);
  const [withKeys, setWithKeys] = useState(false);
  const [text, setText] = useState("");
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [confirmReplace, setConfirmReplace] = useState(false);

  useEffect(() => {
    let live = true;
    backend
      .exportTemplates(ids, withKeys)
      .then((s) => live && setText(s))
      .catch((e: unknown) => live && setError(asAppError(e)));
    return () => {
      live = false;
    };
  }, [ids, withKeys]);

  useEffect(() => {
    void backend.defaultExportDir().then((dir) => {
      setPath((p) => p || `${dir.replace(/\/$/, "")}/livehook-templates-${today()}.json`);
    });
  }, []);

  const save = async (overwrite: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await backend.saveExport(path.trim(), text, overwrite);
      void MessagePlugin.success(t("transfer.saved", { path: path.trim() }));
      props.onClose();
    } catch (e) {
      const err = asAppError(e);
      if (err.kind === "already_exists" && !overwrite) setConfirmReplace(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (await copyText(text)) void MessagePlugin.success(t("transfer.copied"));
    else void MessagePlugin.error(t("transfer.copyFailed"));
  };

  return (
    <Dialog
      visible
      width={720}
      header={t("transfer.exportTitle")}
      onClose={props.onClose}
      footer={
        <Space>
          <Button theme="primary" loading={busy} disabled={!text || !path.trim()} onClick={() => save(false)} data-testid="export-save">
            {t("transfer.saveFile")}
          </Button>
          <Button variant="outline" disabled={!text} onClick={copy}>
            {t("common.copy")}
          </Button>
          <Button variant="outline" onClick={props.onClose}>
            {t("common.cancel")}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <div>{ids ? t("transfer.exportScopeShown", { count: props.count }) : t("transfer.exportScopeAll", { count: props.count })}</div>
        <Checkbox checked={withKeys} onChange={(v) => setWithKeys(Boolean(v))} data-testid="export-with-keys">
          {t("transfer.withKeys")}
        </Checkbox>
        <Alert theme={withKeys ? "warning" : "info"} message={withKeys ? t("transfer.withKeysWarn") : t("transfer.withoutKeys")} />
        <div data-testid="export-text">
          <Textarea value={text} readonly autosize={{ minRows: 6, maxRows: 10 }} className="mono" />
        </div>
        <SavePathField path={path} onChange={setPath} testId="export-path" />
        {error && <ErrorNotice error={error} />}
      </Space>
      {confirmReplace && (
        <ReplaceFileDialog
          path={path}
          onReplace={() => {
            setConfirmReplace(false);
            void save(true);
          }}
          onClose={() => setConfirmReplace(false)}
        />
      )}
    </Dialog>
  );
}
