//! Endpoint handlers, grouped by what they touch. Each takes the sim and the decoded
//! parameters and returns rows, a message, or an error.

mod channel;
mod command;
mod device;
mod media;
mod originate;
mod queue;
mod status;

use super::errors::MvbError;
use super::params::Params;
use super::render::Reply;
use crate::Sim;

/// What an endpoint answers.
pub(crate) enum Answer {
    /// errcode/message/data.
    Reply(Reply),
    /// A file download (recordings).
    File {
        content_type: &'static str,
        filename: String,
        bytes: Vec<u8>,
    },
}

impl From<Reply> for Answer {
    fn from(r: Reply) -> Self {
        Answer::Reply(r)
    }
}

type Outcome = Result<Answer, MvbError>;

/// Runs endpoint `name` (without `.php`); `None` for an unknown endpoint.
pub(crate) async fn dispatch(sim: &Sim, name: &str, p: &Params) -> Option<Outcome> {
    let out = match name {
        "getcpuload" => status::getcpuload(sim),
        "getextensionstatus" => status::getextensionstatus(sim, p),
        "getqueuemember" => status::getqueuemember(sim, p),
        "getqueue" => status::getqueue(sim, p),
        "getpopupscreen" => status::getpopupscreen(sim, p),
        "getcalls" => status::getcalls(sim, p),
        "ctiqueueadd" => queue::add(sim, p),
        "ctiqueueremove" => queue::remove(sim, p),
        "ctiqueuepause" => queue::pause(sim, p),
        "ctigetdevice" => device::get(sim, p),
        "ctibinddevice" => device::bind(sim, p),
        "ctisplitdevice" => device::split(sim, p),
        "ctigetvar" => channel::getvar(sim, p),
        "ctigetvars" => channel::getvars(sim, p),
        "ctisetvar" => channel::setvar(sim, p),
        "ctigetchanneldetail" => channel::detail(sim, p).await,
        "ctihangup" => channel::hangup(sim, p),
        "ctiredirect" => channel::redirect(sim, p),
        "ctiwaitauth" => channel::waitauth(sim, p).await,
        "ctioriginate" | "ctioriginatetts" => originate::originate(sim, p),
        "cticommand" => command::command(sim, p),
        "getmonitor" => media::getmonitor(sim, p),
        "ctimailboxcount" => media::mailboxcount(sim, p),
        _ => return None,
    };
    Some(out)
}
