/** An `<a href>` that navigates inside the portal without a page load (plain clicks only). */
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from '../router.ts';

interface Props extends AnchorHTMLAttributes<HTMLAnchorElement> {
  /** A portal path with its query, e.g. '/book?specialty=massage'. */
  href: string;
}

/** Renders the anchor; a click without modifier keys stays in the app (ctrl/middle-click opens a tab). */
export function Link({ href, onClick, ...rest }: Props) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={click} {...rest} />;
}
