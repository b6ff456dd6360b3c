// Export: the picked callbacks or everything the filter shows, to a file in one of the formats.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { MessagePlugin, Radio, Select } from "tdesign-react";
import { Space } from "../../components/Space";
import { Dialog } from "../../components/modal";
import { Button } from "../../components/Button";
import { asAppError, backend, emptyFilter } from "../../backend";
import type { AppError, Filter, Format } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ReplaceFileDialog, SavePathField } from "../../components/SaveFile";

export function ExportButton({ filter, picked }: { filter: Filter; picked: number[] }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<Format>("har");
  const [path, setPath] = useState("");
  const [open, setOpen] = useState(false);
  const [what, setWhat] = useState<"picked" | "filter">("filter");
  const [busy, setBusy] = useState(false);
  const [confirmReplace, setConfirmReplace] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    void backend.defaultExportDir().then((dir) => setPath(`${dir.replace(/\/$/, "")}/livehook-callbacks.har`));
  }, []);
  const usePicked = what === "picked" && picked.length > 0;
  const run = async (overwrite: boolean) => {
    setError(null);
    setBusy(true);
    try {
      // The picked rows alone: the list's filter already chose them.
      const f: Filter = usePicked ? { ...emptyFilter(), ids: picked } : filter;
      const n = await backend.inspectorExport(f, format, path.trim(), overwrite);
      void MessagePlugin.success(t("inspector.exported", { n, path: path.trim() }));
      setOpen(false);
    } catch (e) {
      const err = asAppError(e);
      if (err.kind === "already_exists") setConfirmReplace(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        variant="outline"
        onClick={() => {
          setWhat(picked.length > 0 ? "picked" : "filter");
          setError(null);
          setOpen(true);
        }}
        data-testid="export-open"
      >
        {t("transfer.export")}
      </Button>
      {open && (
        <Dialog
          visible
          width={620}
          header={t("inspector.exportTitle")}
          onClose={() => setOpen(false)}
          footer={
            <Space>
              <Button theme="primary" loading={busy} disabled={!path.trim()} onClick={() => run(false)} data-testid="export-save">
                {t("transfer.saveFile")}
              </Button>
              <Button variant="outline" onClick={() => setOpen(false)}>
                {t("common.cancel")}
              </Button>
            </Space>
          }
        >
          <Space direction="vertical" style={{ width: "100%" }}>
            <div data-testid="export-what">
              <Radio.Group value={usePicked ? "picked" : "filter"} onChange={(v) => setWhat(v as "picked" | "filter")}>
                <Radio value="picked" disabled={picked.length === 0}>
                  {t("inspector.exportPicked", { n: picked.length })}
                </Radio>
                <Radio value="filter">{t("inspector.exportFilter")}</Radio>
              </Radio.Group>
            </div>
            <div className="field-row">
              <label>{t("inspector.exportFormat")}</label>
              <Select
                style={{ width: 120 }}
                value={format}
                options={(["har", "json", "ndjson"] as Format[]).map((f) => ({ label: f.toUpperCase(), value: f }))}
                onChange={(v) => {
                  const f = v as Format;
                  setFormat(f);
                  setPath((p) => p.replace(/\.(har|json|ndjson)$/, `.${f}`));
                }}
              />
            </div>
            <SavePathField path={path} onChange={setPath} testId="inspector-export-path" />
            {error && <ErrorNotice error={error} />}
          </Space>
          {confirmReplace && (
            <ReplaceFileDialog
              path={path.trim()}
              onReplace={() => {
                setConfirmReplace(false);
                void run(true);
              }}
              onClose={() => setConfirmReplace(false)}
            />
          )}
        </Dialog>
      )}
    </>
  );
}
