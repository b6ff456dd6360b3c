import { useEffect, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Alert, Input, Popconfirm, Table } from "tdesign-react";
import { Space } from "../../components/Space";
import { Link } from "../../components/Link";
import { Dialog } from "../../components/modal";
import { Button } from "../../components/Button";
import { asAppError, backend } from "../../backend";
import type { AppError, RemoteCheck, RemoteInput, SavedRemote } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { SecretInput } from "../../components/SecretInput";

const blank: RemoteInput = { id: null, name: "", url: "", token: null, fingerprint: null };

/** A fingerprint in two lines of 16 bytes, so it never breaks inside a byte; its text is the whole. */
function Fingerprint(props: { value: string; testid: string }) {
  const bytes = props.value.split(":");
  const lines = bytes.length > 16 ? [bytes.slice(0, 16).join(":") + ":", bytes.slice(16).join(":")] : [props.value];
  return (
    <pre className="fingerprint" data-testid={props.testid} aria-label={props.value}>
      {lines.map((l) => (
        <span key={l} className="fingerprint-line">
          {l}
        </span>
      ))}
    </pre>
  );
}

/** A connection check's answer in words: what happened and what to do next. */
function CheckResult(props: { check: RemoteCheck; onTrust: (fingerprint: string) => void }) {
  const { t } = useTranslation();
  const { check } = props;
  if (check.ok) {
    return (
      <Alert theme="success" data-testid="remote-check-ok" message={t("inspector.remote.checkOk", { n: check.stored ?? 0 })} />
    );
  }
  const problem = check.problem ?? "unreachable";
  return (
    <Alert
      theme="error"
      data-testid="remote-check-failed"
      title={t(`inspector.remote.problem.${problem}`)}
      message={
        <div>
          {/* The fingerprint block below says it all for an untrusted certificate; a name mismatch names the name. */}
          {(!check.fingerprint || problem === "nameMismatch") && (
            <div className="remote-detail" data-testid="remote-check-detail">{check.message}</div>
          )}
          {check.fingerprint && (
            <div className="remote-fingerprint">
              <div>{t("inspector.remote.fingerprintIs")}</div>
              <pre className="command">openssl x509 -noout -fingerprint -sha256 -in cert.pem</pre>
              <Fingerprint value={check.fingerprint} testid="remote-fingerprint" />
              <div>
                <Button theme="primary" variant="outline" onClick={() => props.onTrust(check.fingerprint!)} data-testid="remote-trust">
                  {t("inspector.remote.trust")}
                </Button>
              </div>
            </div>
          )}
        </div>
      }
    />
  );
}

/** Saved remote inspectors (receivers on other machines): connect, add, edit, forget. */
export function RemoteDialog(props: { attached: string | null; onAttached: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const remotes = useQuery({ queryKey: ["inspector-remotes"], queryFn: () => backend.inspectorRemotes() });
  // The form: null while the list is shown.
  const [form, setForm] = useState<RemoteInput | null>(null);
  // The saved remote the form edits (null: a new one).
  const [original, setOriginal] = useState<SavedRemote | null>(null);
  const [check, setCheck] = useState<RemoteCheck | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const list = remotes.data ?? [];
  // A check's answer is brought into view (the form scrolls inside a small window).
  const answerRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (check) answerRef.current?.scrollIntoView({ block: "nearest" });
  }, [check]);

  const run = async (what: string, f: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(null);
    }
  };

  /** Show saved remote `id` instead of this computer's inspector, and close. */
  const showIt = async (id: string) => {
    await backend.inspectorAttach(id);
    props.onAttached();
    props.onClose();
  };
  const connect = (id: string) => run(`connect-${id}`, () => showIt(id));

  const edit = (r: SavedRemote | null) => {
    setCheck(null);
    setError(null);
    setOriginal(r);
    setForm(r ? { id: r.id, name: r.name, url: r.url, token: null, fingerprint: r.fingerprint } : { ...blank });
  };

  // Each change of the form is numbered: a check's answer for an earlier state is not shown for this one.
  const formSeq = useRef(0);
  const set = (patch: Partial<RemoteInput>) => {
    formSeq.current++;
    setCheck(null);
    setForm((f) => (f ? { ...f, ...patch } : f));
  };

  /** Check the form as it is now; its answer, or null when the form changed meanwhile (not shown). */
  const checkForm = async (f: RemoteInput) => {
    const asked = formSeq.current;
    const answer = await backend.inspectorRemoteCheck(f);
    if (asked !== formSeq.current) return null;
    setCheck(answer);
    return answer;
  };

  const unchanged =
    form !== null && original !== null && !form.token && form.name.trim() === original.name && form.url.trim() === original.url && (form.fingerprint ?? null) === (original.fingerprint ?? null);

  /** Check, then save (and show it) only when the receiver answered with this token; unchanged, nothing is sent. */
  const save = (andConnect: boolean) =>
    run("save", async () => {
      if (!form) return;
      let id = original?.id ?? null;
      if (!(unchanged && original)) {
        const answer = await checkForm(form);
        if (!answer?.ok) return;
        id = (await backend.inspectorRemoteSave(form)).id;
        await queryClient.invalidateQueries({ queryKey: ["inspector-remotes"] });
      }
      if (andConnect && id) await showIt(id);
      else setForm(null);
    });

  const needsToken = form !== null && form.id === null;
  const formReady = form !== null && form.name.trim() !== "" && form.url.trim() !== "" && (!needsToken || (form.token ?? "").trim() !== "");

  return (
    <Dialog
      visible
      width={680}
      top="6vh"
      className="remote-dialog"
      header={form ? (form.id ? t("inspector.remote.editTitle", { name: original?.name ?? form.name }) : t("inspector.remote.addTitle")) : t("inspector.remote.title")}
      onClose={props.onClose}
      data-testid="remote-dialog"
      footer={
        form ? (
          <Space>
            <Button variant="outline" onClick={() => setForm(null)} data-testid="remote-back">
              {t("common.back")}
            </Button>
            <Button variant="outline" disabled={!formReady || busy !== null} loading={busy === "check"} onClick={() => run("check", async () => void (await checkForm(form)))} data-testid="remote-check">
              {t("inspector.remote.check")}
            </Button>
            <Button variant="outline" disabled={!formReady || busy !== null} onClick={() => void save(false)} data-testid="remote-save">
              {t("inspector.remote.save")}
            </Button>
            <Button theme="primary" disabled={!formReady || busy !== null} loading={busy === "save"} onClick={() => void save(true)} data-testid="remote-save-connect">
              {t("inspector.remote.saveConnect")}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button variant="outline" onClick={props.onClose}>
              {t("common.close")}
            </Button>
            <Button theme="primary" onClick={() => edit(null)} data-testid="remote-add">
              {t("inspector.remote.add")}
            </Button>
          </Space>
        )
      }
    >
      {error && <ErrorNotice error={error} />}
      {form ? (
        <div className="remote-form" data-testid="remote-form">
          <Field label={t("inspector.remote.name")} required>
            <Input value={form.name} onChange={(v) => set({ name: String(v) })} placeholder={t("inspector.remote.namePlaceholder")} data-testid="remote-name" />
          </Field>
          <Field label={t("inspector.remote.url")} required help={t("inspector.remote.urlHelp")}>
            <Input value={form.url} onChange={(v) => set({ url: String(v) })} placeholder="https://inspector.example.com:8921" data-testid="remote-url" />
          </Field>
          <Field label={t("inspector.remote.token")} required={needsToken} help={form.id ? t("inspector.remote.tokenKept") : t("inspector.remote.tokenHelp")}>
            <SecretInput value={form.token ?? ""} onChange={(v) => set({ token: String(v) || null })} placeholder={form.id ? t("inspector.remote.tokenUnchanged") : ""} data-testid="remote-token" />
          </Field>
          {form.fingerprint && (
            <Field label={t("inspector.remote.trusted")}>
              <div className="remote-fingerprint">
                <Fingerprint value={form.fingerprint} testid="remote-trusted" />
                <Link theme="primary" onClick={() => set({ fingerprint: null })} data-testid="remote-untrust">
                  {t("inspector.remote.untrust")}
                </Link>
              </div>
            </Field>
          )}
          <div ref={answerRef}>{check && <CheckResult check={check} onTrust={(fingerprint) => set({ fingerprint })} />}</div>
        </div>
      ) : list.length === 0 ? (
        <div className="empty" data-testid="remote-empty">
          {t("inspector.remote.empty")}
        </div>
      ) : (
        <div data-testid="remote-list">
        <Table
          rowKey="id"
          size="small"
          data={list}
          columns={[
            { colKey: "name", title: t("inspector.remote.name"), width: 150, ellipsis: true },
            { colKey: "url", title: t("inspector.remote.url"), ellipsis: true },
            {
              colKey: "actions",
              title: t("common.actions"),
              width: 230,
              cell: ({ row }) => (
                <Space size="small">
                  {props.attached === row.id ? (
                    <span className="muted nowrap">{t("inspector.remote.shown")}</span>
                  ) : (
                    <Link theme="primary" disabled={busy !== null} onClick={() => void connect(row.id)} data-testid={`remote-connect-${row.name}`}>
                      {busy === `connect-${row.id}` ? t("inspector.remote.connecting") : t("inspector.remote.connect")}
                    </Link>
                  )}
                  <Link theme="primary" onClick={() => edit(row)} data-testid={`remote-edit-${row.name}`}>
                    {t("common.edit")}
                  </Link>
                  <Popconfirm
                    content={t("inspector.remote.deleteConfirm", { name: row.name })}
                    theme="danger"
                    onConfirm={() =>
                      void run("delete", async () => {
                        await backend.inspectorRemoteDelete(row.id);
                        await queryClient.invalidateQueries({ queryKey: ["inspector-remotes"] });
                        if (props.attached === row.id) props.onAttached();
                      })
                    }
                  >
                    <Link theme="danger" data-testid={`remote-delete-${row.name}`}>
                      {t("common.delete")}
                    </Link>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
        </div>
      )}
    </Dialog>
  );
}
