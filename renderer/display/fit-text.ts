/**
 * Shrinks a name that would not fit its box instead of breaking it: every element marked `data-fit`
 * inside a container keeps its text on one line (display.css: `white-space: nowrap`), and when that line
 * is wider than the box its font is scaled down to fit, never below `MIN_FIT_SCALE`. A name that still
 * does not fit switches to its short form (`shortLabel`: whole words dropped, never a cut word) and is
 * fitted again; only past that does the CSS ellipsis show. Names are never broken across lines.
 */
import { useLayoutEffect, type RefObject } from 'react';

/** The smallest scale a label is shrunk to (fraction of its size); past it the short form is tried. */
export const MIN_FIT_SCALE = 0.6;

/**
 * Scale that makes text `needPx` wide fit a box `availPx` wide: 1 when it fits, otherwise the ratio rounded
 * down to 1/100, never below `minScale` (default `MIN_FIT_SCALE`). Widths in CSS pixels; a box of 0 px
 * (hidden) gives 1.
 */
export function fitScale(availPx: number, needPx: number, minScale: number = MIN_FIT_SCALE): number {
  if (availPx <= 0 || needPx <= availPx) return 1;
  return Math.max(minScale, Math.floor((availPx / needPx) * 100) / 100);
}

/**
 * The short form of a masked label, for when the label does not fit even shrunk: the first name's first
 * part, an ellipsis, and the rest (the surname initial), so whole words are dropped and none is cut:
 * 'Maximiliana-Conceição V.' → 'Maximiliana… V.', 'Bartolomeu Henrique A.' → 'Bartolomeu… A.'. A label
 * with nothing to drop ('Ana S.', initials 'A. S.', a ticket) is returned as is.
 */
export function shortLabel(label: string): string {
  const words = label.trim().split(/\s+/);
  const first = words[0] ?? '';
  const rest = words.slice(1);
  const last = rest.length > 0 ? rest[rest.length - 1]! : '';
  const head = first.split('-')[0]!;
  if (head !== first) return [`${head}…`, last].filter(Boolean).join(' ');
  if (rest.length > 1) return `${first}… ${last}`;
  return label;
}

/** The width of `el`'s text as laid out now, CSS pixels (a Range, so the box's own width does not matter). */
function textWidth(el: HTMLElement): number {
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getBoundingClientRect().width;
}

/**
 * Fits every `[data-fit]` element under `root`. A number in `data-fit` is that element's own smallest
 * scale (e.g. `data-fit="0.4"` for the big "now calling" name). Each label's box must be as wide as the
 * space it may use whatever its font (display.css: `flex: 1 1 0`), so the scale is computed in one go
 * from the text's width at full size (now-width ÷ current scale) and fitting never moves the box it is
 * measured against: refitting the same layout changes nothing.
 */
export function fitLabels(root: HTMLElement): void {
  const labels = Array.from(root.querySelectorAll<HTMLElement>('[data-fit]'));
  // Measure all, then write all: one layout pass, not one per label.
  const fits = labels.map((el) => {
    const current = Number(el.dataset.fitScale) || 1;
    const min = Number(el.dataset.fit);
    const floor = min > 0 && min <= 1 ? min : MIN_FIT_SCALE;
    const full = el.querySelector<HTMLElement>('.public-name__full') ?? el;
    const short = el.querySelector<HTMLElement>('.public-name__short');
    const avail = el.clientWidth - 1; // 1 px of slack for sub-pixel rounding
    // Text widths at full size (now-width ÷ current scale); the hidden form measures 0, so both are laid
    // out for measuring by the CSS (the short one absolutely, out of the flow).
    const fullWidth = textWidth(full) / current;
    const scale = fitScale(avail, fullWidth, floor);
    if (!short || fullWidth * scale <= avail) return { scale, useShort: false };
    return { scale: fitScale(avail, textWidth(short) / current, floor), useShort: true };
  });
  labels.forEach((el, i) => {
    const { scale, useShort } = fits[i]!;
    const key = `${scale}${useShort ? ' short' : ''}`;
    if (el.dataset.fitState === key) return;
    el.dataset.fitState = key;
    el.dataset.fitScale = String(scale);
    el.toggleAttribute('data-short', useShort);
    if (scale < 1) el.style.fontSize = `${scale}em`;
    else el.style.removeProperty('font-size');
  });
}

/** How often the labels are refitted anyway, ms: the layout can settle after a render (styles, fonts). */
export const REFIT_MS = 2_000;

/**
 * Keeps the labels under `ref` fitted: after every render where `key` changed, on the next frame, whenever
 * the container is resized (screen rotated or resized), and every `REFIT_MS` in case the layout settled
 * without resizing the container. Only the container is observed, not the labels: fitting changes the
 * labels' own size, and observing that would refit forever; a refit of an unchanged layout writes nothing.
 * Everything is stopped on unmount.
 */
export function useFitLabels(ref: RefObject<HTMLElement | null>, key: unknown): void {
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    const fit = () => fitLabels(root);
    fit();
    const frame = requestAnimationFrame(fit);
    const timer = setInterval(fit, REFIT_MS);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fit);
    observer?.observe(root);
    return () => {
      cancelAnimationFrame(frame);
      clearInterval(timer);
      observer?.disconnect();
    };
  }, [ref, key]);
}
