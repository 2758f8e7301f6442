//! Closes a popover on a click outside it or on Esc.
import { onBeforeUnmount, onMounted, type Ref } from 'vue';

export function useDismiss(root: Ref<HTMLElement | null>, close: () => void): void {
  const onPointer = (e: Event) => {
    if (root.value && !root.value.contains(e.target as Node)) close();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close();
  };
  onMounted(() => {
    document.addEventListener('pointerdown', onPointer, true);
    document.addEventListener('keydown', onKey);
  });
  onBeforeUnmount(() => {
    document.removeEventListener('pointerdown', onPointer, true);
    document.removeEventListener('keydown', onKey);
  });
}
