import { useQueryClient } from "@tanstack/react-query";
import { useBindingStates, useDomains, useListFailure, useStatus, useTemplates } from "../queries";
import { useTranslation } from "react-i18next";
import { MessagePlugin, Popconfirm, Table, Tag, Tooltip, type PrimaryTableCol } from "tdesign-react";
import { Space } from "../components/Space";
import { Link } from "../components/Link";
import { Button } from "../components/Button";
import { RefreshIcon } from "tdesign-icons-react";
import { asAppError, backend } from "../backend";
import type { CallbackRule, DomainRow } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { targetLabel } from "../components/labels";
import { LivenessTag, stateOf } from "../components/Liveness";
import { cloudTime } from "../components/time";

/** Every push domain with the templates bound to it, domain-wide and per AppName. */
export function DomainsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const domains = useDomains();
  const templates = useTemplates();
  const states = useBindingStates();
  const demo = useStatus().data?.demo ?? false;
  // Pending (a spinner) until the account is known.
  const failure = useListFailure(domains);
  const names = new Map((templates.data ?? []).map((r) => [r.template.TemplateId, r.template.TemplateName]));

  const unbind = async (rule: CallbackRule) => {
    const target = { domain: rule.DomainName, appName: rule.AppName };
    const [result] = await backend.unbindDomains([target]);
    if (result.ok) {
      void MessagePlugin.success(t("domains.unbound", { target: targetLabel(target) }));
    } else {
      void MessagePlugin.error(`${t(`errors.${result.error?.kind ?? "internal"}`)} ${result.error?.code ?? ""}`);
    }
    void queryClient.invalidateQueries({ queryKey: ["domains"] });
    void queryClient.invalidateQueries({ queryKey: ["templates"] });
    void queryClient.invalidateQueries({ queryKey: ["binding-states"] });
  };

  const ruleView = (rule: CallbackRule) => {
    const target = { domain: rule.DomainName, appName: rule.AppName };
    const scope = rule.AppName ? t("domains.scopeApp", { app: rule.AppName }) : t("domains.scopeAll");
    return (
      <div key={targetLabel(target)} className="rule" data-testid={`rule-${targetLabel(target)}`}>
        <Tag theme={rule.AppName ? "warning" : "primary"} variant="light">
          {scope}
        </Tag>
        <span>
          {names.get(rule.TemplateId) ?? "?"} <span className="muted">#{rule.TemplateId}</span>
        </span>
        <span className="muted">{t("domains.since", { time: cloudTime(rule.CreateTime, t("app.beijingTime")) })}</span>
        <LivenessTag state={stateOf(states.data, rule.DomainName, rule.AppName)} demo={demo} />
        {rule.AppName && (
          <Tooltip content={t("domains.consoleHidden")}>
            <span className="badge">API</span>
          </Tooltip>
        )}
        <Popconfirm content={t("domains.unbindConfirm", { target: targetLabel(target) })} onConfirm={() => unbind(rule)} theme="warning">
          <Link theme="danger" data-testid={`unbind-${targetLabel(target)}`}>
            {t("domains.unbind")}
          </Link>
        </Popconfirm>
      </div>
    );
  };

  const columns: PrimaryTableCol<DomainRow>[] = [
    { colKey: "name", title: t("domains.domain"), width: "26%", ellipsis: true, cell: ({ row }) => <strong>{row.domain.Name}</strong> },
    { colKey: "cname", title: t("domains.cname"), width: "24%", ellipsis: true, cell: ({ row }) => row.domain.TargetDomain },
    {
      colKey: "rules",
      // The widest column: a rule shows its scope, template, since when and Unbind, wrapping between
      // them (never inside one) when the window is narrow. Its width is given: TDesign gives a column
      // without one 80px, and WebKitGTK then shares the table in proportion (the rules got 132px of 755).
      title: t("domains.rules"),
      width: "50%",
      cell: ({ row }) =>
        row.rules.length ? (
          <div>{[...row.rules].sort((a, b) => a.AppName.localeCompare(b.AppName)).map(ruleView)}</div>
        ) : (
          <span className="muted">{t("domains.noRule")}</span>
        ),
    },
  ];

  return (
    <div className="page">
      <div className="toolbar">
        <span />
        <Space>
          <Button
            variant="outline"
            icon={<RefreshIcon />}
            loading={domains.isFetching}
            onClick={() => {
              void queryClient.invalidateQueries({ queryKey: ["domains"] });
              void queryClient.invalidateQueries({ queryKey: ["binding-states"] });
            }}
          >
            {t("common.refresh")}
          </Button>
        </Space>
      </div>
      {failure.error && <ErrorNotice error={asAppError(failure.error)} onRetry={failure.retry} />}
      {!failure.error && <div data-testid="domains-table">
      <Table
        rowKey="name"
        tableLayout="fixed"
        data={(domains.data ?? []).map((d) => ({ ...d, name: d.domain.Name }))}
        columns={columns}
        loading={domains.isPending}
        empty={<div className="empty">{t("domains.empty")}</div>}
      />
      </div>}
    </div>
  );
}
