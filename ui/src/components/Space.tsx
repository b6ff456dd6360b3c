import { Children } from "react";
import { Space as TSpace, type SpaceProps } from "tdesign-react";

/**
 * TDesign's Space, with each child keyed by its place in the source (`Children.toArray` counts the
 * empty places of `{cond && <X/>}` too). TDesign wraps children by their position among those shown,
 * so when one appears or goes, React handed one button's element to the next (a click in flight then
 * pressed another button: Stop instead of Settings, Language instead of Theme).
 */
export function Space(props: SpaceProps) {
  return <TSpace {...props}>{Children.toArray(props.children)}</TSpace>;
}
