import { describe, expect, it, vi } from 'vitest';
import { contentHeight, startFitting } from '../src/composables/fit';

describe('contentHeight', () => {
  it('is the lowest visible bottom, rounded up', () => {
    expect(contentHeight([{ bottom: 64, height: 64 }])).toBe(64);
    expect(
      contentHeight([
        { bottom: 64, height: 64 },
        { bottom: 331.4, height: 260 }, // an open menu
      ]),
    ).toBe(332);
  });
  it('ignores hidden elements and nonsense', () => {
    expect(contentHeight([{ bottom: 64, height: 64 }, { bottom: 900, height: 0 }, { bottom: NaN, height: 5 }])).toBe(64);
    expect(contentHeight([])).toBe(0);
  });
});

describe('startFitting', () => {
  function page(bottoms: Record<string, number>) {
    document.body.innerHTML = '<div class="app"><div class="slot"></div></div>';
    const rect = (bottom: number) => ({ bottom, height: bottom, top: 0, left: 0, right: 0, width: 0, x: 0, y: 0, toJSON: () => ({}) });
    const app = document.querySelector('.app') as HTMLElement;
    app.getBoundingClientRect = () => rect(bottoms.app) as DOMRect;
    return { app, rect };
  }
  // The observer reports after a task, then the measurement is scheduled: let both run.
  const flush = () => new Promise((r) => setTimeout(r, 20));

  it('fits once per height, grows for a menu and shrinks back when it closes', async () => {
    const heights = { app: 64 };
    const { rect } = page(heights);
    const fit = vi.fn(() => Promise.resolve());
    const stop = startFitting(document, fit, { schedule: (cb) => setTimeout(cb, 0) });
    await flush();
    expect(fit).toHaveBeenLastCalledWith(64);

    // A menu opens below the row.
    const menu = document.createElement('ul');
    menu.className = 'menu';
    menu.getBoundingClientRect = () => rect(330) as DOMRect;
    document.querySelector('.slot')!.appendChild(menu);
    await flush();
    expect(fit).toHaveBeenLastCalledWith(330);

    // A change that leaves the height alone sends nothing.
    document.querySelector('.slot')!.setAttribute('data-x', '1');
    await flush();
    expect(fit).toHaveBeenCalledTimes(2);

    menu.remove();
    await flush();
    expect(fit).toHaveBeenLastCalledWith(64);
    expect(fit).toHaveBeenCalledTimes(3);

    stop();
    document.querySelector('.slot')!.appendChild(menu);
    await flush();
    expect(fit).toHaveBeenCalledTimes(3);
  });

  it('tries again after a refused fit', async () => {
    page({ app: 64 });
    const fit = vi.fn(() => Promise.reject(new Error('no')));
    const stop = startFitting(document, fit, { schedule: (cb) => setTimeout(cb, 0) });
    await flush();
    await flush();
    document.querySelector('.slot')!.setAttribute('data-x', '2');
    await flush();
    expect(fit).toHaveBeenCalledTimes(2);
    stop();
  });
});
