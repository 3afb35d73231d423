/**
 * Drag and drop with pointer events: one code path for mouse, pen and touch (HTML5 drag
 * and drop does not work with fingers on most phones). A dragged element follows the
 * pointer; on release the element under the pointer that carries `data-drop` is the target.
 */

export interface DragSource {
  kind: 'note' | 'cluster';
  id: string;
}

export interface Drop {
  source: DragSource;
  /** The `data-drop` value of the target, e.g. `area:causes`, `note:<id>`, `cluster:<id>`, `canvas`. */
  target: string | null;
  /** The element the target value came from. */
  targetEl: HTMLElement | null;
  /** Where the dragged element's top-left corner ended up, in viewport pixels. */
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface DraggableOptions {
  source: DragSource;
  enabled: boolean;
  ondrop: (drop: Drop) => void;
}

const THRESHOLD = 6;
/** Controls inside a note keep their own clicks; a drag starts anywhere else on it. */
const INTERACTIVE = 'button, a, input, textarea, select, label, summary, [contenteditable="true"]';

/** The target under a point, ignoring the dragged element itself. */
function targetAt(x: number, y: number, self: HTMLElement): HTMLElement | null {
  for (const el of document.elementsFromPoint(x, y)) {
    if (!(el instanceof HTMLElement) || self.contains(el)) continue;
    const hit = el.closest<HTMLElement>('[data-drop]');
    if (hit && !self.contains(hit)) return hit;
  }
  return null;
}

export function draggable(node: HTMLElement, initial: DraggableOptions) {
  let opts = initial;
  let start: { x: number; y: number; id: number; rect: DOMRect } | null = null;
  let dragging = false;
  let hover: HTMLElement | null = null;

  function setHover(el: HTMLElement | null): void {
    if (hover === el) return;
    hover?.classList.remove('drop-hover');
    hover = el;
    hover?.classList.add('drop-hover');
  }

  function reset(): void {
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    window.removeEventListener('pointercancel', onCancel);
    document.body.style.userSelect = '';
    node.classList.remove('dragging');
    node.style.transform = '';
    node.style.zIndex = '';
    setHover(null);
    dragging = false;
    start = null;
  }

  function onDown(e: PointerEvent): void {
    if (!opts.enabled || e.button !== 0 || start) return;
    const target = e.target as HTMLElement;
    // Touch drags only from the grip, so a finger can still scroll the page over notes.
    if (target.closest(INTERACTIVE)) return;
    if (e.pointerType === 'touch' && !target.closest('[data-grip]')) return;
    // A note inside a dragged cluster belongs to the cluster's drag only when grabbed by the cluster.
    if ((target.closest('[data-drag]') as HTMLElement | null) !== node) return;
    start = { x: e.clientX, y: e.clientY, id: e.pointerId, rect: node.getBoundingClientRect() };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onCancel);
  }

  function onMove(e: PointerEvent): void {
    if (!start || e.pointerId !== start.id) return;
    const dx = e.clientX - start.x;
    const dy = e.clientY - start.y;
    if (!dragging) {
      if (Math.hypot(dx, dy) < THRESHOLD) return;
      dragging = true;
      document.body.style.userSelect = 'none';
      window.getSelection()?.removeAllRanges();
      node.classList.add('dragging');
      node.style.zIndex = '20';
    }
    e.preventDefault();
    node.style.transform = `translate(${dx}px, ${dy}px)`;
    setHover(targetAt(e.clientX, e.clientY, node));
  }

  function onUp(e: PointerEvent): void {
    if (!start || e.pointerId !== start.id) return;
    if (!dragging) {
      reset();
      return;
    }
    const rect = start.rect;
    const dx = e.clientX - start.x;
    const dy = e.clientY - start.y;
    const targetEl = targetAt(e.clientX, e.clientY, node);
    reset();
    opts.ondrop({
      source: opts.source,
      target: targetEl?.dataset.drop ?? null,
      targetEl,
      left: rect.left + dx,
      top: rect.top + dy,
      width: rect.width,
      height: rect.height,
    });
  }

  function onCancel(): void {
    if (start) reset();
  }

  node.addEventListener('pointerdown', onDown);
  node.dataset.drag = '';
  return {
    update(next: DraggableOptions) {
      opts = next;
    },
    destroy() {
      node.removeEventListener('pointerdown', onDown);
      if (start) reset();
    },
  };
}
