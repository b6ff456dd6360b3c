import { useTranslation } from "react-i18next";
import { Input } from "tdesign-react";
import { Dialog } from "./modal";

/** "Save to" and the path of the file an export writes. */
export function SavePathField(props: { path: string; onChange: (path: string) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="field-row">
      <label>{t("transfer.path")}</label>
      <div data-testid={props.testId} style={{ flex: 1 }}>
        <Input value={props.path} onChange={(v) => props.onChange(String(v))} />
      </div>
    </div>
  );
}

/** Asked when the file exists: the backend never replaces one unasked. */
export function ReplaceFileDialog(props: { path: string; onReplace: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog
      visible
      theme="warning"
      header={t("transfer.replaceTitle")}
      body={t("transfer.replaceBody", { path: props.path })}
      confirmBtn={{ content: t("transfer.replace"), "data-testid": "export-replace" } as object}
      onConfirm={props.onReplace}
      onClose={props.onClose}
    />
  );
}
