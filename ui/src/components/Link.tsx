import { forwardRef, type KeyboardEvent } from "react";
import { Link as TLink, type LinkProps } from "tdesign-react";

/**
 * TDesign's Link. One without `href` is an action (Edit, Bind, Delete, Use, …): TDesign renders it as an
 * `<a>` without `href`, which Tab skips and a screen reader does not call a button. Here it is a
 * focusable `role=button` that Enter and Space press, as a button is; with `href` it is a plain link.
 */
export const Link = forwardRef<HTMLAnchorElement, LinkProps & { "data-testid"?: string }>(function Link(props, ref) {
  if (props.href) return <TLink ref={ref} {...props} />;
  const press = (e: KeyboardEvent<HTMLAnchorElement>) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    e.currentTarget.click();
  };
  const action = { role: "button", tabIndex: props.disabled ? -1 : 0, "aria-disabled": props.disabled || undefined, onKeyDown: press };
  return <TLink ref={ref} {...props} {...(action as object)} />;
});
