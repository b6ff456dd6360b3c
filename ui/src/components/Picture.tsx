import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { asAppError, backend } from "../backend";

/**
 * A callback's picture (screenshot, audited image). The window's content policy allows no remote
 * images, so the backend fetches it and hands over a data URL; when that fails, the reason is shown.
 */
export function Picture({ url }: { url: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ["inspector-image", url], queryFn: () => backend.inspectorImage(url), retry: false, staleTime: Infinity });
  if (q.isLoading) return <div className="muted shot-note">{t("inspector.pictureLoading")}</div>;
  if (q.error)
    return (
      <div className="shot-note shot-failed" data-testid="picture-failed">
        {t("inspector.pictureFailed", { reason: asAppError(q.error).message })}
      </div>
    );
  return <img className="shot" src={q.data} alt={t("inspector.pictureAlt", { url })} data-testid="picture" />;
}
