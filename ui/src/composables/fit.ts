//! Keeps the desktop bar's window as tall as what it shows: the one-row strip, plus an open
//! panel, menu or toast. After any change to the page it measures, and asks the shell to fit
//! (`fit_bar`) only when the height changed.

/** What is measured: the bar with its in-flow panels, and what floats over it. */
export const MEASURED = '.app, .menu, .toasts > *';

/** The smallest box with every measured element's bottom in it, in CSS pixels. */
export function contentHeight(rects: Iterable<{ bottom: number; height: number }>): number {
  let bottom = 0;
  for (const r of rects) {
    // Hidden elements measure 0 and must not count.
    if (r.height > 0 && Number.isFinite(r.bottom)) bottom = Math.max(bottom, r.bottom);
  }
  return Math.ceil(bottom);
}

export interface FitOptions {
  /** Schedules one measurement (requestAnimationFrame in the page). */
  schedule?: (cb: () => void) => void;
}

/**
 * Follows `doc` and calls `fit` with its content height after each change (coalesced to one
 * measurement per frame). Returns the function that stops following.
 */
export function startFitting(
  doc: Document,
  fit: (height: number) => Promise<void>,
  opts: FitOptions = {},
): () => void {
  const schedule = opts.schedule ?? ((cb) => requestAnimationFrame(cb));
  let sent = -1;
  let pending = false;
  const measure = () => {
    pending = false;
    const rects = Array.from(doc.querySelectorAll(MEASURED), (e) => e.getBoundingClientRect());
    const h = contentHeight(rects);
    if (h <= 0 || h === sent) return;
    sent = h;
    // A failed fit leaves the window as it is; the next change tries again.
    fit(h).catch(() => (sent = -1));
  };
  const request = () => {
    if (pending) return;
    pending = true;
    schedule(measure);
  };
  const mutations = new MutationObserver(request);
  mutations.observe(doc.body, { subtree: true, childList: true, attributes: true, characterData: true });
  const view = doc.defaultView;
  view?.addEventListener('resize', request);
  request();
  return () => {
    mutations.disconnect();
    view?.removeEventListener('resize', request);
  };
}
