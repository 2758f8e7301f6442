//! Builders for the endpoints that change something: hang up, redirect, queues, variables, commands, devices.

use super::error::ProtocolError;
use super::meetme::MeetMeCommand;
use super::request::Request;
use super::validate::{
    Channel, Context, DialExten, Extension, QueueNo, ShortcutCode, ShortcutName, VarName, VarValue,
};

/// Hangs up an active channel (seed 9).
///
/// # Format
///
/// Seed 9.4: `/webservice2/ctihangup.php?webkey=33de2de41e1fe862e6b0e0500bc515cd&channel=SIP/5003-0a11f460&json=2`
pub fn hangup(channel: &Channel) -> Request {
    Request::new("ctihangup.php").param("channel", channel.as_str())
}

/// Sends one channel to `exten@context`, priority 1 (seed 23 transfer, seed 20 quality check).
///
/// # Format
///
/// Seed 23.4: `/webservice2/ctiredirect.php?webkey=a1e9ddf61058ba180bd3499dcf300cbc&channel=IAX2/iax100-1538&context=from-internal&exten=5002&priority=1`
///
/// Seed 20.4: `...&channel=IAX2/iax100-16385&context=custom-advqm&exten=s&priority=1`
pub fn redirect(channel: &Channel, context: &Context, exten: &DialExten) -> Request {
    redirect_inner(channel, None, context, exten)
}

/// Sends both legs of a call to `exten@context` at once (seed 8: into a MeetMe room).
///
/// # Format
///
/// Seed 8.4: `/webservice2/ctiredirect.php?webkey=33de2de41e1fe862e6b0e0500bc515cd&channel=IAX2/iax100-1067&extrachannel=SIP/5003-0a08d998&context=custom-dynamicmeetme&exten=9111&priority=1`
pub fn redirect_dual(
    channel: &Channel,
    extra_channel: &Channel,
    context: &Context,
    exten: &DialExten,
) -> Request {
    redirect_inner(channel, Some(extra_channel), context, exten)
}

fn redirect_inner(
    channel: &Channel,
    extra: Option<&Channel>,
    context: &Context,
    exten: &DialExten,
) -> Request {
    Request::new("ctiredirect.php")
        .param("channel", channel.as_str())
        .opt_param("extrachannel", extra)
        .param("context", context.as_str())
        .param("exten", exten.as_str())
        .param("priority", "1")
}

/// Signs an agent's interface into a queue (seed 14; `penalty` optional, "等级").
///
/// # Format
///
/// Seed 14.4: `/webservice2/ctiqueueadd.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&queue=5090&interface=SIP/5003`
pub fn queue_add(queue: &QueueNo, interface: &Channel, penalty: Option<u32>) -> Request {
    Request::new("ctiqueueadd.php")
        .param("queue", queue.as_str())
        .param("interface", interface.as_str())
        .opt_param("penalty", penalty.map(|p| p.to_string()))
}

/// Signs an agent's interface out of a queue (seed 15).
///
/// # Format
///
/// Seed 15.4: `/webservice2/ctiqueueremove.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&queue=5090&interface=SIP/5003`
pub fn queue_remove(queue: &QueueNo, interface: &Channel) -> Request {
    Request::new("ctiqueueremove.php")
        .param("queue", queue.as_str())
        .param("interface", interface.as_str())
}

/// Sets the agent not ready (`paused = true`, "示忙") or ready ("示闲") in a queue (seed 13).
///
/// # Format
///
/// Seed 13.4: `/webservice2/ctiqueuepause.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&queue=5090&interface=SIP/5003&paused=true&json=2`
pub fn queue_pause(queue: &QueueNo, interface: &Channel, paused: bool) -> Request {
    Request::new("ctiqueuepause.php")
        .param("queue", queue.as_str())
        .param("interface", interface.as_str())
        .param("paused", if paused { "true" } else { "false" })
}

/// Reads one channel variable (seed 16); the answer row holds it in `result`.
///
/// # Format
///
/// Seed 16.4: `/webservice2/ctigetvar.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&channel=SIP/5003-08cb5938&variable=DIALEDPEERNUMBER&json=2`
pub fn get_var(channel: &Channel, name: &VarName) -> Request {
    Request::new("ctigetvar.php")
        .param("channel", channel.as_str())
        .param("variable", name.as_str())
}

/// The parameter names `variable0`.. that `ctigetvars` reads; the seed's sample uses five.
const VARS_KEYS: [&str; 32] = [
    "variable0",
    "variable1",
    "variable2",
    "variable3",
    "variable4",
    "variable5",
    "variable6",
    "variable7",
    "variable8",
    "variable9",
    "variable10",
    "variable11",
    "variable12",
    "variable13",
    "variable14",
    "variable15",
    "variable16",
    "variable17",
    "variable18",
    "variable19",
    "variable20",
    "variable21",
    "variable22",
    "variable23",
    "variable24",
    "variable25",
    "variable26",
    "variable27",
    "variable28",
    "variable29",
    "variable30",
    "variable31",
];

/// The most variables one `ctigetvars` call may ask for.
pub const MAX_GET_VARS: usize = VARS_KEYS.len();

/// Reads several channel variables at once (seed 29).
///
/// # Errors
///
/// [`ProtocolError::Invalid`] when `names` is empty or longer than [`MAX_GET_VARS`].
///
/// # Format
///
/// Seed 29: `/webservice2/ctigetvars.php?webkey=123caaafe6cf489faeb2d6a4b8c5e554&channel=Zap/8-1&variable0=MVB_DNID&variable1=MVB_ANI&variable2=MVB_QUEUENAME&variable3=QUEUEAGENTNO&variable4=MVB_IVRHIST`
pub fn get_vars(channel: &Channel, names: &[VarName]) -> Result<Request, ProtocolError> {
    if names.is_empty() {
        return Err(ProtocolError::invalid("variable", "no variable named"));
    }
    if names.len() > MAX_GET_VARS {
        return Err(ProtocolError::invalid(
            "variable",
            format!("more than {MAX_GET_VARS} variables"),
        ));
    }
    let mut req = Request::new("ctigetvars.php").param("channel", channel.as_str());
    for (key, name) in VARS_KEYS.iter().zip(names) {
        req = req.param(key, name.as_str());
    }
    Ok(req)
}

/// Sets a channel variable (seed 17; seed 20 sets `MVB_QM*` before a quality check).
///
/// # Format
///
/// Seed 17.4: `/webservice2/ctisetvar.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&channel=SIP/5003-08cb5938&variable=CALLERID&value=5003&json=2`
pub fn set_var(channel: &Channel, name: &VarName, value: &VarValue) -> Request {
    Request::new("ctisetvar.php")
        .param("channel", channel.as_str())
        .param("variable", name.as_str())
        .param("value", value.as_str())
}

/// Runs a MeetMe CLI command (seed 8, 22, 27); the answer's `result` is CLI text.
///
/// # Format
///
/// Seed 27.4: `/webservice2/cticommand.php?webkey=ale9ddf61058ba180bd3499dcf300cb&command=meetme%20kick%2036405501%2002`
pub fn meetme_command(command: &MeetMeCommand) -> Request {
    Request::new("cticommand.php").param("command", command.command_line())
}

/// Which shortcut key `ctiwaitauth` runs: by code (preferred by the server) or by name (seed 21.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitAuthKey {
    /// `code=06`.
    Code(ShortcutCode),
    /// `name=...`.
    Name(ShortcutName),
}

/// On which channel `ctiwaitauth` collects the digits (seed 21.3 `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WaitAuthTarget {
    /// `type=0`, the server's default: the other party (the customer).
    #[default]
    Peer,
    /// `type=1`: the channel given.
    This,
}

/// Asks the other party for digits and waits for them (seed 21).
///
/// `timeout_s`: seconds to wait, server default 120, 0 returns at once.
///
/// # Format
///
/// Seed 21.4: `/webservice2/ctiwaitauth.php?webkey=1b709663c6c05f23c08f4b9388ac1a7d&channel=SIP/7001-0a3cc5d0&code=06&type=0&timeout=20&json=2`
pub fn wait_auth(
    channel: &Channel,
    key: &WaitAuthKey,
    target: WaitAuthTarget,
    timeout_s: Option<u32>,
) -> Request {
    let req = Request::new("ctiwaitauth.php").param("channel", channel.as_str());
    let req = match key {
        WaitAuthKey::Code(code) => req.param("code", code.as_str()),
        WaitAuthKey::Name(name) => req.param("name", name.as_str()),
    };
    let kind = match target {
        WaitAuthTarget::Peer => "0",
        WaitAuthTarget::This => "1",
    };
    req.param("type", kind)
        .opt_param("timeout", timeout_s.map(|t| t.to_string()))
}

/// Binds a user (agent number) to a temporary device (seed 1.5.4).
///
/// The seed names `ctibinddevice.php` but prints no parameters: `device` and
/// `user` are our assumption, taken from the seed's vocabulary ("设备", "用户")
/// and from `ctigetdevice`'s `device`, not from the seed.
///
/// # Format
///
/// Assumed, no seed sample: `/webservice2/ctibinddevice.php?webkey=<key>&device=5001&user=6001`
pub fn bind_device(device: &Extension, user: &Extension) -> Request {
    Request::new("ctibinddevice.php")
        .param("device", device.as_str())
        .param("user", user.as_str())
}

/// Splits the user from a temporary device (seed 1.5.6).
///
/// As for [`bind_device`], the parameter name `device` is our assumption;
/// the seed prints no parameters for `ctisplitdevice.php`.
///
/// # Format
///
/// Assumed, no seed sample: `/webservice2/ctisplitdevice.php?webkey=<key>&device=5001`
pub fn split_device(device: &Extension) -> Request {
    Request::new("ctisplitdevice.php").param("device", device.as_str())
}
