import { useDomains, useStatus, useTemplates } from "../queries";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Input, Select, Tag } from "tdesign-react";
import { Space } from "../components/Space";
import { Dialog } from "../components/modal";
import { Button } from "../components/Button";
import { asAppError, backend } from "../backend";
import type { AppError, CallbackTemplate, ItemResult } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { targetLabel } from "../components/labels";

type Row = { key: number; domain: string; appName: string };

/** Bind one template to several push domains, each optionally narrowed to an AppName. */
export function BindDialog(props: { template: CallbackTemplate; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const domains = useDomains();
  const templates = useTemplates();
  const demo = useStatus().data?.demo ?? false;
  const names = new Map((templates.data ?? []).map((r) => [r.template.TemplateId, r.template.TemplateName]));
  // What this template is bound to now, so the dialog opens on what is stored, not on a blank.
  const current = (templates.data ?? []).find((r) => r.template.TemplateId === props.template.TemplateId)?.bindings ?? [];
  const [rows, setRows] = useState<Row[]>([{ key: 1, domain: "", appName: "" }]);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<ItemResult[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  // A domain already bound (to this template or another) says so: binding it again for the same
  // AppName is refused by the cloud.
  const options = (domains.data ?? []).map((d) => {
    const others = d.rules.map((r) => `${names.get(r.TemplateId) ?? `#${r.TemplateId}`}${r.AppName ? `/${r.AppName}` : ""}`);
    return { label: others.length ? `${d.domain.Name} · ${t("bind.boundTo", { what: others.join(", ") })}` : d.domain.Name, value: d.domain.Name };
  });
  // A row offers the domains no other row has picked.
  const optionsFor = (row: Row) => options.filter((o) => !rows.some((r) => r.key !== row.key && r.domain === o.value));
  const ready = rows.filter((r) => r.domain);
  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const out = await backend.bindDomains(
        props.template.TemplateId,
        ready.map((r) => ({ domain: r.domain, appName: r.appName.trim() })),
      );
      setResults(out);
      props.onDone();
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const okCount = results?.filter((r) => r.ok).length ?? 0;
  return (
    <Dialog
      visible
      width={640}
      header={t("bind.title", { name: props.template.TemplateName })}
      onClose={props.onClose}
      closeOnOverlayClick={false}
      footer={
        results ? (
          <Button onClick={props.onClose} data-testid="bind-close">
            {t("common.close")}
          </Button>
        ) : (
          <Space>
            <Button theme="primary" loading={busy} disabled={!ready.length} onClick={submit} data-testid="bind-submit">
              {t("bind.submit")}
            </Button>
            <Button variant="outline" onClick={props.onClose}>
              {t("common.cancel")}
            </Button>
          </Space>
        )
      }
    >
      {error && <ErrorNotice error={error} />}
      {domains.error && <ErrorNotice error={asAppError(domains.error)} onRetry={() => domains.refetch()} />}
      {domains.data && domains.data.length === 0 && <Alert theme="warning" message={t("bind.noDomains")} />}
      {!results && (
        <div className="bind-current" data-testid="bind-current">
          <span className="muted">{t("bind.current")}</span>{" "}
          {current.length ? (
            current.map((b) => (
              <Tag key={targetLabel({ domain: b.DomainName, appName: b.AppName })} size="small" theme="success" variant="light-outline">
                {targetLabel({ domain: b.DomainName, appName: b.AppName })}
              </Tag>
            ))
          ) : (
            <span>{t("bind.none")}</span>
          )}
        </div>
      )}
      {!results && (
        <div className="bind-rows">
          {rows.map((r, i) => (
            <div key={r.key} className="bind-row">
              <div className="bind-row-fields">
                <div className="bind-row-domain" data-testid={`bind-domain-${i}`}>
                  <Select
                    value={r.domain}
                    onChange={(v) => update(r.key, { domain: String(v ?? "") })}
                    options={optionsFor(r)}
                    filterable
                    loading={domains.isPending}
                    placeholder={t("bind.pickDomain")}
                    popupProps={{ overlayClassName: `bind-domain-popup-${i}` }}
                  />
                </div>
                <Input
                  value={r.appName}
                  onChange={(v) => update(r.key, { appName: String(v) })}
                  placeholder={t("bind.appName")}
                  style={{ width: 170 }}
                  data-testid={`bind-app-${i}`}
                />
                {rows.length > 1 && (
                  <Button variant="text" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} data-testid={`bind-remove-${i}`}>
                    {t("bind.removeRow")}
                  </Button>
                )}
              </div>
              {r.domain && (
                <div className="field-help" data-testid={`bind-covers-${i}`}>
                  {r.appName.trim()
                    ? t("bind.coversApp", { domain: r.domain, app: r.appName.trim() })
                    : t("bind.coversAll", { domain: r.domain })}
                </div>
              )}
            </div>
          ))}
          <Button
            variant="dashed"
            onClick={() => setRows((rs) => [...rs, { key: Math.max(...rs.map((x) => x.key)) + 1, domain: "", appName: "" }])}
            data-testid="bind-add-row"
          >
            {t("bind.addRow")}
          </Button>
          <p className="hint">{t("bind.appNameHint")}</p>
        </div>
      )}
      {results && (
        <div data-testid="bind-results">
          <p>{t("bind.summary", { ok: okCount, total: results.length })}</p>
          {results.map((r) => (
            <div key={targetLabel(r.target)} className="result-row">
              <Tag theme={r.ok ? "success" : "danger"} variant="light">
                {r.ok ? t("bind.resultOk") : t("bind.resultFail")}
              </Tag>{" "}
              <span>{targetLabel(r.target)}</span>
              {r.error && <ErrorNotice error={r.error} />}
            </div>
          ))}
          {okCount > 0 && <Alert theme="info" message={demo ? t("bind.effectDemo") : t("bind.effect")} data-testid="bind-effect" />}
        </div>
      )}
    </Dialog>
  );
}
