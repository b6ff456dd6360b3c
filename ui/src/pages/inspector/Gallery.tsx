// One stream's screenshots in time order, as thumbnails: each fetched by the backend (only an address
// its stored callback names), an unverified one only on request; a click opens its callback.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { asAppError, backend } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Picture } from "../../components/Picture";
import { clock } from "../../components/time";

export function Gallery({ streamId, current, onOpen }: { streamId: string; current: number; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ["inspector-screenshots", streamId], queryFn: () => backend.inspectorScreenshots(streamId, null) });
  if (q.error) return <ErrorNotice error={asAppError(q.error)} />;
  if (!q.data || q.data.shots.length === 0) return null;
  return (
    <section className="gallery" data-testid="gallery">
      <h3>
        {t("inspector.gallery.title", { n: q.data.shots.length })}
        {q.data.older && <span className="muted"> · {t("inspector.gallery.older")}</span>}
      </h3>
      <ol className="gallery-grid">
        {q.data.shots.map((s) => (
          <li key={s.id} className={s.id === current ? "current" : ""} data-testid={`gallery-${s.id}`}>
            <Picture eventId={s.id} url={s.url} verified={s.verified} />
            <button type="button" className="gallery-open" onClick={() => onOpen(s.id)} title={s.url}>
              {clock(s.at * 1000, true)} · #{s.id}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
