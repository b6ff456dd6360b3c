import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Dialog } from "./modal";
import { Button } from "./Button";
import { backend } from "../backend";
import { ErrorNotice } from "./ErrorNotice";
import type { AppError } from "../bindings";

/** The version and the commit this build was made from (the same as `livehook --version`). */
export function AboutDialog(props: { onClose: () => void }) {
  const { t } = useTranslation();
  const about = useQuery({ queryKey: ["about"], queryFn: () => backend.about(), staleTime: Infinity });
  return (
    <Dialog
      visible
      header={t("about.title")}
      onClose={props.onClose}
      footer={
        <Button theme="primary" onClick={props.onClose} data-testid="about-close">
          {t("common.close")}
        </Button>
      }
    >
      <div data-testid="about-dialog">
        {about.error ? (
          <ErrorNotice error={about.error as unknown as AppError} />
        ) : (
          <dl className="about">
            <dt>{t("about.version")}</dt>
            <dd data-testid="about-version">{about.data?.version ?? t("common.loading")}</dd>
            <dt>{t("about.commit")}</dt>
            <dd data-testid="about-commit">
              <code>{about.data?.commit ?? ""}</code>
            </dd>
            <dt>{t("about.platform")}</dt>
            <dd data-testid="about-platform">{about.data?.platform ?? ""}</dd>
          </dl>
        )}
        <p className="muted">{t("about.cli")}</p>
        <p className="about-commands">
          <code>livehook --help</code>
          <code>man livehook</code>
        </p>
      </div>
    </Dialog>
  );
}
