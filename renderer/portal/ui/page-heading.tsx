/**
 * The page's `<h1>`: it takes focus when the patient navigates to the page (so a screen reader announces
 * where they are and keyboard users start from the top, WCAG 2.4.3), and names the browser tab.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { hasNavigated } from '../router.ts';
import { useSession } from '../session.ts';

interface Props {
  children: ReactNode;
  /** The tab title when `children` is not plain text. */
  title?: string;
}

/** Renders the heading (focusable by script only) and sets `document.title`. */
export function PageHeading({ children, title }: Props) {
  const ref = useRef<HTMLHeadingElement>(null);
  const clinics = useSession((s) => s.clinics);
  const text = title ?? (typeof children === 'string' ? children : '');
  const site = clinics?.length === 1 ? clinics[0]!.name : null;

  useEffect(() => {
    if (hasNavigated()) ref.current?.focus();
  }, []);

  useEffect(() => {
    document.title = site ? `${text} · ${site}` : text;
  }, [text, site]);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-title" data-testid="page-heading">
      {children}
    </h1>
  );
}
