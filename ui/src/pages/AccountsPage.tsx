import { useQueryClient } from "@tanstack/react-query";
import { useStatus } from "../queries";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Checkbox, Input, MessagePlugin, Popconfirm, Select, Table, Tag, type PrimaryTableCol } from "tdesign-react";
import { Space } from "../components/Space";
import { Link } from "../components/Link";
import { Dialog, Drawer } from "../components/modal";
import { Button } from "../components/Button";
import { AddIcon } from "tdesign-icons-react";
import { asAppError, backend } from "../backend";
import type { AppError, ConnectionReport, Language, ProfileChanges, ProfileView } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { SecretInput } from "../components/SecretInput";

const DEFAULT_ENDPOINT = "https://live.tencentcloudapi.com";

/** Plain http:// to another machine: the backend refuses it (signed requests would travel unencrypted). */
export function plainHttpElsewhere(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return false;
  }
  if (url.protocol !== "http:") return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return !(host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host));
}

type Draft = { name: string; secretId: string; secretKey: string; sessionToken: string; removeToken: boolean; endpoint: string; language: Language | "" };

/** What an edit changes: only the fields that differ from the stored profile; secrets only when typed. */
function changesOf(d: Draft, p: ProfileView): ProfileChanges | null {
  const c: ProfileChanges = { secretId: null, secretKey: null, sessionToken: null, endpoint: null, language: null, clearLanguage: false };
  if (d.secretId.trim()) c.secretId = d.secretId.trim();
  if (d.secretKey) c.secretKey = d.secretKey;
  if (d.sessionToken) c.sessionToken = d.sessionToken;
  // An empty token removes the stored one (the backend's rule), only when asked for.
  else if (d.removeToken && p.hasToken) c.sessionToken = "";
  if (d.endpoint.trim() !== p.endpoint) c.endpoint = d.endpoint.trim();
  if ((d.language || null) !== p.language) {
    if (d.language) c.language = d.language;
    else c.clearLanguage = true;
  }
  return Object.values(c).every((v) => v === null || v === false) ? null : c;
}

function ProfileDrawer(props: { profile?: ProfileView; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const editing = !!props.profile;
  const [d, setD] = useState<Draft>({
    name: props.profile?.name ?? "",
    secretId: "",
    secretKey: "",
    sessionToken: "",
    removeToken: false,
    endpoint: props.profile?.endpoint ?? DEFAULT_ENDPOINT,
    language: props.profile?.language ?? "",
  });
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  // A new account is saved, then tested, and used only when the test passes or the person insists.
  const [phase, setPhase] = useState<"form" | "testing" | "failed">("form");
  const [failed, setFailed] = useState<ConnectionReport | null>(null);
  const set = (k: Exclude<keyof Draft, "removeToken">) => (v: unknown) => setD((x) => ({ ...x, [k]: String(v ?? "") }));

  const save = async () => {
    setBusy(true);
    setError(null);
    let saved = false;
    try {
      if (props.profile) {
        const changes = changesOf(d, props.profile);
        if (!changes) {
          void MessagePlugin.info(t("form.noChanges"));
          props.onClose();
          return;
        }
        await backend.updateProfile(props.profile.name, changes);
        void MessagePlugin.success(t("accounts.saved", { name: d.name }));
      } else {
        const name = d.name.trim();
        await backend.addProfile(
          {
            name,
            secretId: d.secretId.trim(),
            secretKey: d.secretKey,
            sessionToken: d.sessionToken || null,
            endpoint: d.endpoint.trim() || null,
            language: (d.language || null) as Language | null,
          },
          false,
        );
        saved = true;
        setPhase("testing");
        const report = await backend.testConnection(name);
        if (!report.ok) {
          setFailed(report);
          setPhase("failed");
          return;
        }
        await backend.activateProfile(name);
        void MessagePlugin.success(t("accounts.addedAndUsed", { name, count: report.templates }));
      }
      props.onSaved();
    } catch (e) {
      setError(asAppError(e));
      // Saved but not tested (the test itself failed to run): the same choice as a failed test.
      if (saved) setPhase("failed");
    } finally {
      setBusy(false);
    }
  };

  /** After a failed test: use the saved account anyway, or keep the one in use. */
  const switchAnyway = async () => {
    setBusy(true);
    try {
      await backend.activateProfile(d.name.trim());
      void MessagePlugin.warning(t("accounts.usedAnyway", { name: d.name.trim() }));
      props.onSaved();
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };
  const added = phase !== "form";

  return (
    <Drawer
      visible
      size="520px"
      header={editing ? `${t("common.edit")} ${props.profile?.name}` : t("accounts.add")}
      onClose={props.onClose}
      closeOnOverlayClick={false}
      footer={
        phase === "failed" ? (
          <Space>
            <Button variant="outline" loading={busy} onClick={() => void switchAnyway()} data-testid="profile-use-anyway">
              {t("accounts.useAnyway")}
            </Button>
            <Button theme="primary" disabled={busy} onClick={props.onSaved} data-testid="profile-keep-current">
              {t("accounts.keepCurrent")}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button theme="primary" loading={busy} disabled={plainHttpElsewhere(d.endpoint)} onClick={save} data-testid="profile-save">
              {editing ? t("common.save") : phase === "testing" ? t("accounts.testing") : t("accounts.saveAndTest")}
            </Button>
            <Button variant="outline" disabled={busy && added} onClick={props.onClose}>
              {t("common.cancel")}
            </Button>
          </Space>
        )
      }
    >
      <form
        data-testid="profile-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {error && <ErrorNotice error={error} />}
        {phase === "testing" && <Alert theme="info" data-testid="profile-testing" message={t("accounts.testingBody", { name: d.name.trim(), endpoint: d.endpoint.trim() || DEFAULT_ENDPOINT })} />}
        {phase === "failed" && (
          <div data-testid="profile-test-failed">
            <Alert theme="warning" message={t("accounts.testFailed", { name: d.name.trim() })} />
            {failed?.error && <ErrorNotice error={failed.error} />}
            <div style={{ height: 12 }} />
          </div>
        )}
        <Alert theme="info" message={t("accounts.keyringNote")} />
        <div style={{ height: 16 }} />
        <Field testid="profile-field-name" label={t("accounts.name")} required help={editing ? t("accounts.nameFixed") : undefined}>
          <Input value={d.name} onChange={set("name")} disabled={editing || added} placeholder={t("accounts.namePlaceholder")} data-testid="profile-name" />
        </Field>
        <Field testid="profile-field-secret-id" label={t("accounts.secretId")} required={!editing} help={editing ? t("accounts.secretIdKeep", { masked: props.profile?.secretIdMasked }) : undefined}>
          <Input
            value={d.secretId}
            onChange={set("secretId")}
            data-testid="profile-secret-id"
            placeholder={editing ? props.profile?.secretIdMasked : "AKID…"}
          />
        </Field>
        <Field testid="profile-field-secret-key" label={t("accounts.secretKey")} required={!editing} help={editing ? (props.profile?.hasSecret ? t("accounts.secretKeyStored") : t("accounts.secretKeyMissing")) : undefined}>
          <SecretInput value={d.secretKey} onChange={set("secretKey")} placeholder={editing ? t("accounts.secretKeyKeep") : ""} data-testid="profile-secret-key" />
        </Field>
        <Field testid="profile-field-token" label={t("accounts.token")} help={editing && props.profile?.hasToken ? t("accounts.tokenStored") : t("accounts.tokenHelp")}>
          <SecretInput
            value={d.sessionToken}
            onChange={set("sessionToken")}
            placeholder={editing && props.profile?.hasToken ? t("accounts.tokenKeep") : t("accounts.tokenNone")}
            data-testid="profile-token"
            disabled={d.removeToken}
          />
          {editing && props.profile?.hasToken && (
            <div data-testid="profile-token-remove" style={{ marginTop: 6 }}>
              <Checkbox checked={d.removeToken} onChange={(v) => setD((x) => ({ ...x, removeToken: v, sessionToken: "" }))}>
                {t("accounts.tokenRemove")}
              </Checkbox>
            </div>
          )}
        </Field>
        <Field testid="profile-field-endpoint" label={t("accounts.endpoint")} help={t("accounts.endpointHelp")}>
          <Input value={d.endpoint} onChange={set("endpoint")} data-testid="profile-endpoint" />
          {plainHttpElsewhere(d.endpoint) && (
            <Alert theme="warning" style={{ marginTop: 6 }} data-testid="profile-endpoint-insecure" message={t("accounts.endpointInsecure")} />
          )}
        </Field>
        <Field testid="profile-field-language" label={t("accounts.language")}>
          <Select
            value={d.language}
            onChange={set("language")}
            clearable
            data-testid="profile-language"
            placeholder={t("accounts.languageDefault")}
            options={[
              { label: "简体中文", value: "zh-CN" },
              { label: "English", value: "en-US" },
            ]}
          />
        </Field>
      </form>
    </Drawer>
  );
}

export function AccountsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useStatus();
  const [editing, setEditing] = useState<ProfileView | "new" | null>(null);
  const [renaming, setRenaming] = useState<ProfileView | null>(null);
  const [newName, setNewName] = useState("");
  const [report, setReport] = useState<{ name: string; report: ConnectionReport } | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const changed = () => void queryClient.invalidateQueries();
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      changed();
    } catch (e) {
      setError(asAppError(e));
    }
  };

  const columns: PrimaryTableCol<ProfileView>[] = [
    {
      colKey: "name",
      title: t("accounts.name"),
      // Every column has a width (WebKitGTK counts one without as 80 px and the endpoint showed
      // "https:…"); the widths add up to the room of the narrowest window.
      width: "16%",
      cell: ({ row }) => (
        <Space size={6} breakLine>
          <strong>{row.name}</strong>
          {row.active && <Tag theme="success" variant="light">{t("accounts.active")}</Tag>}
        </Space>
      ),
    },
    { colKey: "secretIdMasked", title: t("accounts.secretId"), width: "19%", cell: ({ row }) => <code className="nowrap">{row.secretIdMasked}</code> },
    { colKey: "endpoint", title: t("accounts.endpoint"), width: "23%", ellipsis: true },
    { colKey: "hasSecret", title: t("accounts.stored"), width: 96, cell: ({ row }) => (row.hasSecret ? "✓" : "✗") },
    {
      colKey: "actions",
      title: t("templates.actions"),
      // The links wrap between them (never inside one) when the window is narrow.
      width: "28%",
      cell: ({ row }) => (
        <Space size={8} breakLine>
          {!row.active && (
            <Link theme="primary" onClick={() => act(() => backend.activateProfile(row.name))} data-testid={`use-${row.name}`}>
              {t("accounts.use")}
            </Link>
          )}
          <Link
            theme="primary"
            onClick={() => act(async () => setReport({ name: row.name, report: await backend.testConnection(row.name) }))}
            data-testid={`test-${row.name}`}
          >
            {t("accounts.test")}
          </Link>
          <Link theme="primary" onClick={() => setEditing(row)} data-testid={`edit-profile-${row.name}`}>
            {t("common.edit")}
          </Link>
          <Link theme="primary" onClick={() => { setRenaming(row); setNewName(row.name); }}>
            {t("accounts.rename")}
          </Link>
          <Popconfirm theme="danger" content={t("accounts.deleteConfirm", { name: row.name })} onConfirm={() => act(async () => {
            await backend.deleteProfile(row.name);
            void MessagePlugin.success(t("accounts.removed", { name: row.name }));
          })}>
            <Link theme="danger">{t("common.delete")}</Link>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="toolbar">
        <Button theme="primary" icon={<AddIcon />} onClick={() => setEditing("new")} data-testid="add-profile">
          {t("accounts.add")}
        </Button>
        {status.data && !status.data.demo && (
          <Button variant="outline" onClick={() => act(() => backend.useDemo())}>
            {t("accounts.useDemo")}
          </Button>
        )}
      </div>
      {error && <ErrorNotice error={error} />}
      {report && (
        <div data-testid="connection-report">
          {report.report.ok ? (
            <Alert theme="success" message={t("accounts.testOk", { count: report.report.templates })} />
          ) : (
            report.report.error && <ErrorNotice error={report.report.error} />
          )}
          {report.report.clockOffset !== 0 && <Alert theme="warning" message={t("accounts.clockNote", { offset: report.report.clockOffset })} />}
        </div>
      )}
      <div data-testid="profiles-table">
      <Table
        rowKey="name"
        tableLayout="fixed"
        data={status.data?.profiles ?? []}
        columns={columns}
        loading={status.isLoading}
        empty={<div className="empty">{t("accounts.empty")}</div>}
      />
      </div>
      {editing && (
        <ProfileDrawer
          profile={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            changed();
          }}
        />
      )}
      {renaming && (
        <Dialog
          visible
          header={`${t("accounts.rename")} ${renaming.name}`}
          onClose={() => setRenaming(null)}
          onConfirm={() =>
            act(async () => {
              await backend.renameProfile(renaming.name, newName.trim());
              setRenaming(null);
            })
          }
        >
          <Input value={newName} onChange={(v) => setNewName(String(v))} placeholder={t("accounts.newName")} />
        </Dialog>
      )}
    </div>
  );
}
