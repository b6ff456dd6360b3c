import { useQueryClient } from "@tanstack/react-query";
import { useAccount, useBindingStates, useListFailure, useStatus, useTemplates } from "../queries";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Input, MessagePlugin, Table, Tag, type PrimaryTableCol } from "tdesign-react";
import { Space } from "../components/Space";
import { Link } from "../components/Link";
import { Dialog } from "../components/modal";
import { Button } from "../components/Button";
import { AddIcon, CloseIcon, DownloadIcon, RefreshIcon, SearchIcon, UploadIcon } from "tdesign-icons-react";
import { asAppError, backend } from "../backend";
import type { BindTarget, CallbackTemplate, TemplateRow } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { configuredEvents, fieldLabel, targetLabel } from "../components/labels";
import { stateOf } from "../components/Liveness";
import { dateTime } from "../components/time";
import { BindDialog } from "./BindDialog";
import { DeleteDialog } from "./DeleteDialog";
import { ExportDialog } from "./ExportDialog";
import { ImportDialog } from "./ImportDialog";
import { TemplateForm } from "./TemplateForm";

export function TemplatesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useTemplates();
  const states = useBindingStates();
  const demo = useStatus().data?.demo ?? false;
  const account = useAccount();
  // Until the account is known the list is pending (a spinner, not "no templates yet").
  const failure = useListFailure(list);
  const [q, setQ] = useState("");
  const [editing, setEditing] = useState<CallbackTemplate | "new" | null>(null);
  const [binding, setBinding] = useState<CallbackTemplate | null>(null);
  const [deleting, setDeleting] = useState<TemplateRow | null>(null);
  const [offerBind, setOfferBind] = useState<CallbackTemplate | null>(null);
  const [unbinding, setUnbinding] = useState<BindTarget | null>(null);
  const [transfer, setTransfer] = useState<"export" | "import" | null>(null);

  const unbind = async (target: BindTarget) => {
    setUnbinding(null);
    const [result] = await backend.unbindDomains([target]);
    if (result.ok) {
      void MessagePlugin.success(t("domains.unbound", { target: targetLabel(target) }));
    } else {
      void MessagePlugin.error(`${t(`errors.${result.error?.kind ?? "internal"}`)} ${result.error?.code ?? ""}`);
    }
    refresh();
  };

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["templates"] });
    void queryClient.invalidateQueries({ queryKey: ["domains"] });
    void queryClient.invalidateQueries({ queryKey: ["binding-states"] });
  };

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (list.data ?? []).filter(
      (r) =>
        !needle ||
        r.template.TemplateName.toLowerCase().includes(needle) ||
        String(r.template.TemplateId).includes(needle) ||
        r.template.Description.toLowerCase().includes(needle),
    );
  }, [list.data, q]);

  const columns: PrimaryTableCol<TemplateRow>[] = [
    {
      colKey: "name",
      title: t("templates.template"),
      width: "22%",
      // The name, and under it the ID and the description (whole on hover).
      cell: ({ row }) => (
        <div className="cell-stack">
          <Link theme="primary" onClick={() => setEditing(row.template)} data-testid={`template-${row.template.TemplateName}`}>
            {row.template.TemplateName}
          </Link>
          <div className="cell-sub" title={row.template.Description || undefined}>
            #{row.template.TemplateId}
            {row.template.Description ? ` · ${row.template.Description}` : ""}
          </div>
        </div>
      ),
    },
    {
      colKey: "events",
      title: t("templates.events"),
      // Every column has a width: TDesign gives a column without one 80px when another is fixed, and
      // WebKitGTK then shares the table's width in proportion to those (the tags overflowed the 80px
      // "Bound to" column under the fixed actions). Beside the name's 22%, these three share the rest
      // in proportion, as both engines do.
      width: 200,
      cell: ({ row }) => (
        <Space size={4} breakLine>
          {configuredEvents(row.template).map((e) => (
            <Tag key={e} size="small" variant="light" theme="primary">
              {fieldLabel(t, e)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      colKey: "bound",
      title: t("templates.bound"),
      width: 200,
      cell: ({ row }) =>
        row.bindings.length ? (
          <Space size={4} breakLine>
            {row.bindings.map((b) => {
              // Pending until the first callback for it reaches the inspector; live after (or in the demo).
              const st = stateOf(states.data, b.DomainName, b.AppName);
              const pending = st?.state === "pending";
              const hint = !st
                ? undefined
                : pending
                  ? t("liveness.pendingHint", { time: st.boundAt !== null ? dateTime(st.boundAt) : "—" })
                  : st.firstCallbackAt !== null
                    ? t("liveness.liveHint", { time: dateTime(st.firstCallbackAt), id: st.firstCallbackId })
                    : st.deliveredAt !== null
                      ? t("liveness.liveLogHint", { time: dateTime(st.deliveredAt) })
                      : demo
                      ? t("liveness.liveDemoHint")
                      : undefined;
              return (
                <Tag
                  key={`${b.DomainName}/${b.AppName}`}
                  size="small"
                  theme={pending ? "warning" : "success"}
                  variant="light-outline"
                  title={hint}
                  data-testid={`binding-${targetLabel({ domain: b.DomainName, appName: b.AppName })}`}
                  data-state={st?.state}
                >
                  {targetLabel({ domain: b.DomainName, appName: b.AppName })}
                  {pending ? ` · ${t("liveness.pending")}` : ""}
                  {/* A real, named button (TDesign's closable × is an icon Tab never reaches). */}
                  <button
                    type="button"
                    className="tag-close"
                    aria-label={t("templates.unbindTarget", { target: targetLabel({ domain: b.DomainName, appName: b.AppName }) })}
                    title={t("templates.unbindTarget", { target: targetLabel({ domain: b.DomainName, appName: b.AppName }) })}
                    onClick={() => setUnbinding({ domain: b.DomainName, appName: b.AppName })}
                  >
                    <CloseIcon />
                  </button>
                </Tag>
              );
            })}
          </Space>
        ) : (
          <span className="muted">{t("templates.notBound")}</span>
        ),
    },
    {
      colKey: "actions",
      title: t("templates.actions"),
      width: 150,
      // Stays in view when the table scrolls sideways in a narrow window.
      fixed: "right",
      cell: ({ row }) => (
        <Space size={8}>
          <Link theme="primary" onClick={() => setBinding(row.template)} data-testid={`bind-${row.template.TemplateName}`}>
            {t("templates.bindShort")}
          </Link>
          <Link theme="primary" onClick={() => setEditing(row.template)} data-testid={`edit-${row.template.TemplateName}`}>
            {t("common.edit")}
          </Link>
          <Link theme="danger" onClick={() => setDeleting(row)} data-testid={`delete-${row.template.TemplateName}`}>
            {t("common.delete")}
          </Link>
        </Space>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="toolbar">
        <Space>
          <Button theme="primary" icon={<AddIcon />} onClick={() => setEditing("new")} data-testid="create-template">
            {t("templates.create")}
          </Button>
          <Button variant="outline" icon={<UploadIcon />} onClick={() => setTransfer("import")} data-testid="import-templates">
            {t("transfer.import")}
          </Button>
          <Button variant="outline" icon={<DownloadIcon />} disabled={!rows.length} onClick={() => setTransfer("export")} data-testid="export-templates">
            {t("transfer.export")}
          </Button>
        </Space>
        <Space>
          <Input value={q} onChange={(v) => setQ(String(v))} placeholder={t("common.search")} prefixIcon={<SearchIcon />} clearable className="page-search" style={{ width: 300 }} data-testid="template-search" />
          <Button variant="outline" icon={<RefreshIcon />} onClick={refresh} loading={list.isFetching}>
            {t("common.refresh")}
          </Button>
        </Space>
      </div>
      {failure.error && <ErrorNotice error={asAppError(failure.error)} onRetry={failure.retry} />}
      {!failure.error && <div data-testid="templates-table">
      <Table
        rowKey="id"
        tableLayout="fixed"
        data={rows.map((r) => ({ ...r, id: r.template.TemplateId }))}
        columns={columns}
        loading={list.isPending}
        hover
        empty={<div className="empty" data-testid="templates-empty">{q ? t("templates.noMatch", { q }) : t("templates.empty")}</div>}
      />
      </div>}
      {editing && (
        <TemplateForm
          template={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(template, created) => {
            setEditing(null);
            // The backend answered with the template as it now is: the table shows it without listing the
            // account again (see the README's design notes on what each action costs).
            const name = template.TemplateName;
            queryClient.setQueryData<TemplateRow[]>(["templates", account], (old = []) =>
              created
                ? [...old, { template, bindings: [] }]
                : old.map((r) => (r.template.TemplateId === template.TemplateId ? { ...r, template } : r)),
            );
            if (created) {
              void MessagePlugin.success(t("templates.created", { name, id: template.TemplateId }));
              setOfferBind(template);
            } else {
              void MessagePlugin.success(t("templates.updated", { name }));
            }
          }}
        />
      )}
      {offerBind && (
        <Dialog
          visible
          header={t("templates.bindNowTitle")}
          body={t("templates.bindNowBody", { name: offerBind.TemplateName })}
          confirmBtn={{ content: t("templates.bindNow"), "data-testid": "offer-bind" } as object}
          cancelBtn={t("templates.later")}
          onConfirm={() => {
            setBinding(offerBind);
            setOfferBind(null);
          }}
          onClose={() => setOfferBind(null)}
        />
      )}
      {unbinding && (
        <Dialog
          visible
          theme="warning"
          header={t("domains.unbind")}
          body={t("domains.unbindConfirm", { target: targetLabel(unbinding) })}
          confirmBtn={t("domains.unbind")}
          onConfirm={() => unbind(unbinding)}
          onClose={() => setUnbinding(null)}
        />
      )}
      {transfer === "export" && (
        <ExportDialog
          ids={q.trim() ? rows.map((r) => r.template.TemplateId) : null}
          count={rows.length}
          onClose={() => setTransfer(null)}
        />
      )}
      {transfer === "import" && <ImportDialog onClose={() => setTransfer(null)} onDone={refresh} />}
      {binding && <BindDialog template={binding} onClose={() => setBinding(null)} onDone={refresh} />}
      {deleting && (
        <DeleteDialog
          row={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            void MessagePlugin.success(t("templates.deleted", { name: deleting.template.TemplateName }));
            const gone = deleting.template.TemplateId;
            setDeleting(null);
            // Gone is gone: drop the row instead of listing again; the domains page re-reads its rules
            // when it is next shown, if the template was bound.
            queryClient.setQueryData<TemplateRow[]>(["templates", account], (old = []) => old.filter((r) => r.template.TemplateId !== gone));
            if (deleting.bindings.length) void queryClient.invalidateQueries({ queryKey: ["domains"] });
          }}
        />
      )}
    </div>
  );
}
