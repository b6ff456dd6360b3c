import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "./Button";
import { asAppError, backend } from "../backend";

/**
 * A callback's picture (screenshot, audited image). The window's content policy allows no remote
 * images, so the backend fetches it (only an address the stored callback `eventId` names) and hands
 * over a data URL; when that fails, the reason is shown. A callback whose signature did not verify may
 * come from anyone, and fetching its picture contacts the address it names: that waits for a click.
 */
export function Picture({ eventId, url, verified }: { eventId: number; url: string; verified: boolean }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState(verified);
  const q = useQuery({
    queryKey: ["inspector-image", eventId, url],
    queryFn: () => backend.inspectorImage(eventId, url),
    retry: false,
    staleTime: Infinity,
    enabled: asked,
  });
  if (!asked)
    return (
      <div className="shot-note muted" data-testid="picture-ask">
        {t("inspector.pictureUnverified")}{" "}
        <Button size="small" variant="outline" onClick={() => setAsked(true)} data-testid="picture-load">
          {t("inspector.pictureLoad")}
        </Button>
      </div>
    );
  if (q.isLoading) return <div className="muted shot-note">{t("inspector.pictureLoading")}</div>;
  if (q.error)
    return (
      <div className="shot-note shot-failed" data-testid="picture-failed">
        {t("inspector.pictureFailed", { reason: asAppError(q.error).message })}
      </div>
    );
  return <img className="shot" src={q.data} alt={t("inspector.pictureAlt", { url })} data-testid="picture" />;
}
