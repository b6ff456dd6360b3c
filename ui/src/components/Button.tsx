import { forwardRef } from "react";
import { Button as TButton, type ButtonProps } from "tdesign-react";

/**
 * TDesign's Button, always a real `<button>`: TDesign renders a disabled one as a `<div disabled>`,
 * which assistive technology does not know as a button at all (nor as unavailable), and which
 * accessibility checkers then judge as ordinary low-contrast text. A link button (`href`) stays `<a>`.
 */
export const Button = forwardRef<HTMLElement, ButtonProps>(function Button(props, ref) {
  return <TButton tag={props.href ? undefined : "button"} {...props} ref={ref} />;
});
