import { forwardRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { BrowseIcon, BrowseOffIcon } from "tdesign-icons-react";
import { Input, type InputProps, type InputRef } from "tdesign-react";

/**
 * A password field whose show/hide control is a real, named button (TDesign's is an icon that Tab never
 * reaches and a screen reader cannot name).
 */
export const SecretInput = forwardRef<InputRef, Omit<InputProps, "type" | "suffixIcon">>(function SecretInput(props, ref) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  return (
    <Input
      ref={ref}
      {...props}
      type={shown ? "text" : "password"}
      suffixIcon={
        <button
          type="button"
          className="secret-toggle"
          aria-label={shown ? t("common.hideSecret") : t("common.showSecret")}
          aria-pressed={shown}
          title={shown ? t("common.hideSecret") : t("common.showSecret")}
          onClick={() => setShown(!shown)}
        >
          {shown ? <BrowseIcon /> : <BrowseOffIcon />}
        </button>
      }
    />
  );
});
