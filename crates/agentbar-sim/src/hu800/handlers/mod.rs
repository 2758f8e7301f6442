//! One function per method, grouped by what they touch. Each takes the request context (the
//! caller already authenticated) and answers a [`Reply`]; failures are replies too (`Err` only
//! to use `?`). `getLongWaterLine` is the one that waits, and the one that may end with no
//! answer at all ([`Polled::Drop`]).

mod calls;
mod messages;
mod records;
mod session;

use std::sync::Arc;

use super::params::Params;
use super::reply::{code, Reply};
use super::state::{AccountRt, Inner, State};
use crate::world::World;
use crate::Sim;

pub(crate) use records::{mp3, recording_by_file, recording_by_id};

/// A method's result.
pub(crate) type Outcome = Result<Reply, Reply>;

/// What the route sends.
pub(crate) enum Polled {
    /// An answer.
    Reply(Reply),
    /// Close the connection without answering (a dropped long poll).
    Drop,
}

/// What a handler works with.
pub(crate) struct Ctx<'a> {
    pub sim: &'a Sim,
    pub st: &'a Arc<State>,
    pub p: &'a Params,
    /// The authenticated seat (`sa_user`).
    pub user: String,
}

impl Ctx<'_> {
    /// Runs `f` on the model and this front end's state, then the sim's after-change rules
    /// (the tracker among them, after this state's lock is released).
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

    /// The trimmed value of `name`, or -3 naming it when it is empty.
    fn need(&self, name: &str) -> Result<&str, Reply> {
        match self.p.str(name) {
            "" => Err(Reply::missing(name)),
            v => Ok(v),
        }
    }

    /// An optional integer parameter: `None` when absent or empty, -3 naming it when not a
    /// number.
    fn int(&self, name: &str) -> Result<Option<i64>, Reply> {
        match self.p.str(name) {
            "" => Ok(None),
            v => v.parse().map(Some).map_err(|_| Reply::bad(name)),
        }
    }

    /// The caller's account.
    fn account(&self) -> Result<AccountRt, Reply> {
        self.st
            .lock()
            .account(&self.user)
            .cloned()
            .ok_or_else(Reply::auth)
    }

    /// The caller's phone (a model device); -11 when the seat has none.
    fn phone(&self) -> Result<String, Reply> {
        let a = self.account()?;
        if a.cfg.extension.is_empty() || self.sim.device(&a.cfg.extension).is_err() {
            return Err(Reply::not_found("坐席没有绑定话机"));
        }
        Ok(a.cfg.extension)
    }
}

/// Checks `sa_user` / `sa_password` and runs `method`.
///
/// -2 for an unknown seat or a wrong password (a missing one too); -3 for a missing or
/// unknown `method`.
pub(crate) async fn dispatch(sim: &Sim, st: &Arc<State>, p: &Params) -> Polled {
    let user = p.str("sa_user");
    let password = p.str("sa_password");
    if user.is_empty() || password.is_empty() || !st.lock().check(user, password) {
        return Polled::Reply(Reply::auth());
    }
    let method = p.str("method");
    let c = Ctx {
        sim,
        st,
        p,
        user: user.to_owned(),
    };
    let out = match method {
        "" => Err(Reply::missing("method")),
        "getExtension" => session::get_extension(&c),
        "setUserCheckInOut" => session::check_in_out(&c),
        "registerExtension" => session::register_extension(&c),
        "callbackPhone" => calls::callback_phone(&c),
        "hangupExten" => calls::hangup_exten(&c),
        "sendMsg" => calls::send_msg(&c),
        "transferExten" => calls::transfer_exten(&c),
        "findDialrecord" => records::find_dialrecord(&c),
        "recvMsg" => messages::recv_msg(&c),
        "getLongWaterLine" => return messages::get_long_water_line(&c).await,
        other => Err(Reply::status(code::METHOD, &format!("方法不存在: {other}"))),
    };
    Polled::Reply(out.unwrap_or_else(|e| e))
}
