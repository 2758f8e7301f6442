//! One function per operation, grouped by what they touch. Each takes the request context and
//! answers an [`Answer`] (a status code, sometimes a body); failures are answers too (`Err`
//! only to use `?`).

mod calllog;
mod conference;
mod dial;
mod presence;
mod supervise;
mod tasks;
mod third;

use std::time::Duration;

use super::params::Params;
use super::reply::{Answer, Op};
use super::state::{Inner, State};
use crate::world::World;
use crate::Sim;

pub use presence::ExtnumState;
pub(crate) use presence::{extnum_state, presence as presence_of, states};

/// What a handler works with.
pub(crate) struct Ctx<'a> {
    pub sim: &'a Sim,
    pub st: &'a State,
    pub p: &'a Params,
}

impl Ctx<'_> {
    /// Runs `f` on the model and this front end's state, then the sim's after-change rules.
    fn mutate<R>(&self, f: impl FnOnce(&mut World, &mut Inner) -> R) -> R {
        self.sim.mutate(|w| {
            let mut inner = self.st.lock();
            f(w, &mut inner)
        })
    }

    /// Reads the model and this front end's state together.
    fn read<R>(&self, f: impl FnOnce(&World, &Inner) -> R) -> R {
        self.sim.read(|w| {
            let inner = self.st.lock();
            f(w, &inner)
        })
    }

    /// The trimmed value of `name`, or the answer `status` of `op` when it is empty.
    fn need(&self, name: &str, op: Op, status: u16) -> Result<&str, Answer> {
        match self.p.str(name) {
            "" => Err(Answer::code(op, status)),
            v => Ok(v),
        }
    }
}

/// Runs `f` on `sim` after `ms` (at once when 0), on the current runtime; without one it is
/// skipped and logged.
pub(crate) fn later(sim: &Sim, ms: u64, f: impl FnOnce(&Sim) + Send + 'static) {
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        tracing::warn!("no tokio runtime: Guoxin timer skipped");
        return;
    };
    let sim = sim.clone();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(ms);
    handle.spawn(async move {
        tokio::time::sleep_until(deadline).await;
        f(&sim);
    });
}

/// Runs the operation of `/bridge/callctrl`; an unknown `opt` answers 400.
pub(crate) fn dispatch(c: &Ctx<'_>, op: Option<Op>) -> Answer {
    let Some(op) = op else {
        return Answer::unknown_opt();
    };
    let out = match op {
        Op::ClickToDial | Op::ClickToIpDial => dial::click_to_dial(c, op),
        Op::ClickToHungup => dial::click_to_hungup(c),
        Op::ClickToTransfer => dial::click_to_transfer(c),
        Op::TalkingCallerToIvr => dial::talking_caller_to_ivr(c),
        Op::SetExtPresenceState => presence::set_presence(c),
        Op::ExtnumState => Ok(presence::extnum_state(c.sim, c.st)),
        Op::ConferenceCreate => conference::create(c),
        Op::ConferenceJoin => conference::join(c),
        Op::CallThird => third::call_third(c),
        Op::CallThirdResume => third::resume(c),
        Op::CallThirdGetThirdState => third::get_state(c),
        Op::CallThirdTransfer => third::transfer(c),
        Op::CallThirdConference => third::conference(c),
        Op::CallMonitor => supervise::monitor(c),
        Op::ForcePickup => supervise::force_pickup(c),
        Op::ForceHungup => supervise::force_hungup(c),
        Op::CallLogQuery => calllog::query(c),
        Op::CallLogGetWithCallid => calllog::get_with_callid(c),
        Op::FileDown => calllog::file_down(c),
        Op::ClickToIpCaptcha | Op::ClickToFixedlineCaptcha => tasks::captcha(c, op),
        Op::GetCaptchaResult => tasks::captcha_result(c),
        Op::IvrTtsCall => tasks::tts_call(c),
        Op::IvrTtsCallResult => tasks::tts_result(c),
        Op::IvrTtsCallMonitor => tasks::tts_monitor(c),
    };
    out.unwrap_or_else(|e| e)
}
