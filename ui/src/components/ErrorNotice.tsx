import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "tdesign-react";
import { Link } from "./Link";
import type { AppError } from "../bindings";

/** An error in the user's language, with the cloud's code and RequestId one click away. */
export function ErrorNotice({ error, onRetry }: { error: AppError; onRetry?: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const hasDetail = !!(error.code || error.requestId || error.message);
  return (
    <Alert
      theme="error"
      data-testid="error-notice"
      title={t(`errors.${error.kind}`)}
      message={
        <div>
          {open && (
            <div className="error-detail" data-testid="error-detail">
              {error.code && (
                <div>
                  {t("common.code")}: <code>{error.code}</code>
                </div>
              )}
              {error.requestId && (
                <div>
                  {t("common.requestId")}: <code>{error.requestId}</code>
                </div>
              )}
              <div className="error-message">{error.message}</div>
            </div>
          )}
          <div className="error-actions">
            {hasDetail && (
              <Link theme="primary" onClick={() => setOpen(!open)} data-testid="error-toggle">
                {t("common.details")}
              </Link>
            )}
            {onRetry && (
              <Link theme="primary" onClick={onRetry}>
                {t("common.retry")}
              </Link>
            )}
          </div>
        </div>
      }
    />
  );
}
