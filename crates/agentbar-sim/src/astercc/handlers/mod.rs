//! One function per `EVENT`, grouped by what they touch. Each takes the request context and
//! answers a [`Reply`]; failures are replies too (`Err` only to use `?`).

mod calls;
mod consult;
mod media;
mod session;
mod status;
mod supervise;

use super::auth::{self, Who};
use super::config::AsterccAgentConfig;
use super::params::Params;
use super::reply::{code, Reply};
use super::state::{Inner, State};
use crate::world::World;
use crate::Sim;

/// What a handler works with.
pub(crate) struct Ctx<'a> {
    pub sim: &'a Sim,
    pub st: &'a State,
    pub p: &'a Params,
    /// The request's `Host`, for recording addresses.
    pub host: &'a str,
}

type Outcome = Result<Reply, Reply>;

impl Ctx<'_> {
    /// The caller, authenticated.
    fn who(&self) -> Result<Who, Reply> {
        auth::authenticate(&self.st.cfg, self.p)
    }

    /// The agent the caller is or acts as.
    ///
    /// # Errors
    /// The authentication failure, or `BackMsg_38` for an account tied to no agent.
    fn agent(&self) -> Result<&AsterccAgentConfig, Reply> {
        let who = self.who()?;
        who.agent()
            .and_then(|a| self.st.cfg.agent(a))
            .ok_or_else(|| code::NO_AGENT_FOR_ACCOUNT.into())
    }

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
}

/// Runs `EVENT` (matched without regard to case; the seed's `AgentTolvr` slip is accepted
/// for `AgentToIvr`). An unknown or missing `EVENT` answers `BackMsg_28` / `BackMsg_01`.
pub(crate) fn dispatch(c: &Ctx<'_>, event: &str) -> Reply {
    let out = match event.to_ascii_uppercase().as_str() {
        "" => Err(code::EMPTY_PARAMETER.into()),
        "LOGIN" => session::login(c),
        "LOGOUT" => session::logout(c),
        "QUEUE" => session::queue(c),
        "QUEUEPAUSE" => session::queue_pause(c),
        "ACW" => session::acw(c),
        "ACWOFF" => session::acw_off(c),
        "WORKWAY" => session::workway(c),
        "MAKECALL" => calls::make_call(c),
        "DEVICECALL" => calls::device_call(c),
        "HANGUP" => calls::hangup(c),
        "CONSULT" => consult::consult(c),
        "TRANSFER" => consult::transfer(c),
        "CALLRETURN" => consult::call_return(c),
        "CONFERENCE" => consult::conference(c),
        "HOLD" => consult::hold(c),
        "RESUME" => consult::resume(c),
        "SENDDTMF" => media::send_dtmf(c),
        "SETVAR" => media::set_var(c),
        "AGENTTOIVR" | "AGENTTOLVR" => media::agent_to_ivr(c),
        "GETMONITOR" => media::get_monitor(c),
        "IMPORT" => media::import(c),
        "AGENTSTATUS" => status::agent_status(c),
        "AGENTGROUPSTATUS" => status::agentgroup_status(c),
        "TEAMSTATUS" => status::team_status(c),
        "AGENTREALTIME" => status::agent_realtime(c),
        "QUEUECUSTOMERNUM" => status::queue_customer_num(c),
        "INTRUDE" => supervise::intrude(c),
        "SILENTMONITOR" => supervise::silent_monitor(c),
        "WHISPER" => supervise::whisper(c),
        "FORCEDRELEASE" => supervise::forced_release(c),
        _ => Err(code::BAD_PARAMETER.into()),
    };
    out.unwrap_or_else(|e| e)
}
