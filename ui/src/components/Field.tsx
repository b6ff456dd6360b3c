import { useId, useLayoutEffect, useRef, type ReactNode } from "react";

/**
 * A labelled form field, with help or an error below. Used instead of TDesign's Form.FormItem, which
 * takes over the value of the control inside it (an edit form then showed empty fields for a stored
 * item). TDesign's inputs put extra attributes on their wrapper, so the label is tied to the first
 * input inside by `aria-labelledby`, and a click on the label focuses it.
 */
export function Field(props: {
  label: ReactNode;
  required?: boolean;
  /** Help under the control; replaced by `error` when there is one. */
  help?: ReactNode;
  error?: ReactNode;
  testid?: string;
  children: ReactNode;
}) {
  const labelId = useId();
  const box = useRef<HTMLDivElement>(null);
  const control = () => box.current?.querySelector<HTMLElement>("input:not([type=hidden]), textarea");
  useLayoutEffect(() => {
    control()?.setAttribute("aria-labelledby", labelId);
  });
  const note = props.error || props.help;
  return (
    <div className={`field${props.error ? " field--error" : ""}`} data-testid={props.testid}>
      <label className="field-label" id={labelId} onClick={() => control()?.focus()}>
        {props.label}
        {props.required && <span className="field-required" aria-hidden="true"> *</span>}
      </label>
      <div ref={box}>{props.children}</div>
      {note && (
        <div className={props.error ? "field-error" : "field-help"} role={props.error ? "alert" : undefined}>
          {note}
        </div>
      )}
    </div>
  );
}
