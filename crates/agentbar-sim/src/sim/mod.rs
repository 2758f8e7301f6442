//! The `Sim` handle: a cloneable, thread-safe front door to the simulated call center.
//!
//! Every operation locks the state, applies a synchronous rule from `crate::world`, and unlocks
//! before any `.await`. Delayed rules (ring time-outs, auto answer, queue retries) become tokio
//! sleeps spawned after the lock is released, so tests on paused time drive them with
//! `tokio::time::advance`. Operations that schedule timers need a tokio runtime; without one
//! the timers are skipped (and logged).

mod api;
mod script;
mod wait;

use std::any::Any;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;

pub use wait::CallerInput;

use crate::clock::SimClock;
use crate::config::SimConfig;
use crate::faults::{FaultPlan, Faults};
use crate::world::{Timer, World};

/// A handle on one simulated call center. Clones share the same state.
#[derive(Clone)]
pub struct Sim {
    inner: Arc<Shared>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim").finish_non_exhaustive()
    }
}

struct Shared {
    world: Mutex<World>,
    clock: SimClock,
    /// `true` while the listener should be down.
    down: watch::Sender<bool>,
    /// Front-end state that lives as long as the sim (asterCC sessions, its push queue).
    front_ends: Mutex<Vec<Arc<dyn Any + Send + Sync>>>,
    /// Front-end rules run under the state lock after every change, see [`Hook`].
    hooks: Mutex<Vec<Hook>>,
}

/// A front end's view of every change: called under the state lock right after the change
/// and again after the after-change rules (queue dispatch, device states, call log), so it
/// sees every leg that rings, answers or hangs up. It may change the world too (asterCC puts an
/// agent into after-call work before the queue offers it the next call); it returns `true`
/// when it did, and the after-change rules run again. It must not touch the `Sim` handle.
pub(crate) type Hook = Arc<dyn Fn(&mut World) -> bool + Send + Sync>;

/// How many times hooks and after-change rules may bounce off each other in one change.
const HOOK_ROUNDS: usize = 4;

impl Sim {
    /// A call center built from `config`.
    pub fn new(config: SimConfig) -> Sim {
        let clock = SimClock::new();
        let (down, _) = watch::channel(false);
        let sim = Sim {
            inner: Arc::new(Shared {
                world: Mutex::new(World::new(config, clock.clone())),
                clock,
                down,
                front_ends: Mutex::new(Vec::new()),
                hooks: Mutex::new(Vec::new()),
            }),
        };
        crate::astercc::attach(&sim);
        crate::guoxin::attach(&sim);
        crate::hu800::attach(&sim);
        sim
    }

    /// The demo call center ([`SimConfig::demo`]).
    pub fn demo() -> Sim {
        Sim::new(SimConfig::demo())
    }

    /// The simulator's clock (set an offset on it to move the server's date).
    pub fn clock(&self) -> SimClock {
        self.inner.clock.clone()
    }

    /// The configuration the simulator was built from.
    pub fn config(&self) -> SimConfig {
        self.read(|w| w.cfg.clone())
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.inner
            .world
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    pub(crate) fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&self.lock())
    }

    /// Applies a change, runs the after-change rules, then spawns the timers it asked for.
    pub(crate) fn mutate<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        let (r, timers) = {
            let mut w = self.lock();
            let r = f(&mut w);
            let hooks = self.hooks();
            let run = |w: &mut World| hooks.iter().fold(false, |changed, h| h(w) | changed);
            run(&mut w);
            w.after_mutation();
            for _ in 0..HOOK_ROUNDS {
                if !run(&mut w) {
                    break;
                }
                w.after_mutation();
            }
            (r, std::mem::take(&mut w.timers))
        };
        self.spawn_timers(timers);
        r
    }

    fn hooks(&self) -> Vec<Hook> {
        self.inner
            .hooks
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }

    /// Registers a front end's hook (see [`Hook`]).
    pub(crate) fn add_hook(&self, hook: Hook) {
        self.inner
            .hooks
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(hook);
    }

    /// Keeps a front end's state for the sim's lifetime.
    pub(crate) fn add_front_end<T: Any + Send + Sync>(&self, state: Arc<T>) {
        self.inner
            .front_ends
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(state);
    }

    /// The front-end state of type `T`, if one was added.
    pub(crate) fn front_end<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.inner
            .front_ends
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .iter()
            .find_map(|s| s.clone().downcast::<T>().ok())
    }

    fn spawn_timers(&self, timers: Vec<(u64, Timer)>) {
        if timers.is_empty() {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(count = timers.len(), "no tokio runtime: timers skipped");
            return;
        };
        // Deadlines are fixed now, not when the task is first polled, so a test that advances
        // paused time right after an operation still sees its timers fire on time.
        let now = tokio::time::Instant::now();
        for (ms, timer) in timers {
            let sim = self.clone();
            let deadline = now + Duration::from_millis(ms);
            handle.spawn(async move {
                tokio::time::sleep_until(deadline).await;
                sim.mutate(|w| w.fire(timer));
            });
        }
    }

    // ----- faults -----

    /// Current fault settings.
    pub fn faults(&self) -> Faults {
        self.read(|w| w.faults.clone())
    }

    /// Replaces the fault settings. `down` closes or reopens the listener of every
    /// [`crate::SimServer`] serving this sim; with `down_for_ms` it reopens by itself.
    pub fn set_faults(&self, faults: Faults) {
        let down = faults.down;
        let down_for = faults.down_for_ms;
        self.mutate(|w| w.faults = faults);
        self.inner.down.send_replace(down);
        if let (true, Some(ms)) = (down, down_for) {
            let sim = self.clone();
            let deadline = tokio::time::Instant::now() + Duration::from_millis(ms);
            if let Ok(h) = tokio::runtime::Handle::try_current() {
                h.spawn(async move {
                    tokio::time::sleep_until(deadline).await;
                    sim.set_down(false);
                });
            }
        }
    }

    /// Changes only the `down` flag.
    pub fn set_down(&self, down: bool) {
        self.mutate(|w| {
            w.faults.down = down;
            if !down {
                w.faults.down_for_ms = None;
            }
        });
        self.inner.down.send_replace(down);
    }

    pub(crate) fn down_rx(&self) -> watch::Receiver<bool> {
        self.inner.down.subscribe()
    }

    pub(crate) fn fault_plan(&self) -> FaultPlan {
        self.lock().faults.plan()
    }
}
