//! One shared, reactive "now" that ticks every second while any view uses it.
import { onScopeDispose, ref, type Ref } from 'vue';

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time in ms, updated each second; stops ticking when no one listens. */
export function useNow(): Ref<number> {
  users += 1;
  now.value = Date.now();
  if (!timer) {
    timer = setInterval(() => (now.value = Date.now()), 1000);
  }
  onScopeDispose(() => {
    users -= 1;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  });
  return now;
}
