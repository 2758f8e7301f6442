//! Builders for the read-only endpoints: status, pop-up screen, channel details, calls, recordings.

use super::request::Request;
use super::validate::{Channel, Context, Extension, QueueNo, RecordingFile};

/// The CPU load; cheap, so it doubles as a ping that checks the webkey (seed 1.3.4).
///
/// # Format
///
/// Seed 1.3.4: `/webservice2/getcpuload.php?webkey=5b3c8c39f0ec17e1823e973c23fad009`
pub fn cpu_load() -> Request {
    Request::new("getcpuload.php")
}

/// Device state of one extension, or of all when `exten` is `None` (seed 2, 10).
///
/// # Format
///
/// Seed 2.4: `/webservice2/getextensionstatus.php?webkey=5b3c8c39f0ec17e1823e973c23fad009&exten=2011&json=2`
pub fn extension_status(exten: Option<&Extension>) -> Request {
    Request::new("getextensionstatus.php").opt_param("exten", exten)
}

/// Queue members, filtered by queue and/or agent number (seed 10).
///
/// # Format
///
/// Seed 10.4: `/webservice2/getqueuemember.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&queue=90&agentname=2011&json=2`
pub fn queue_members(queue: Option<&QueueNo>, agent_name: Option<&Extension>) -> Request {
    Request::new("getqueuemember.php")
        .opt_param("queue", queue)
        .opt_param("agentname", agent_name)
}

/// Queue statistics, of one queue or of all (seed 11).
///
/// # Format
///
/// Seed 11.4: `/webservice2/getqueue.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&queue=90&json=2`
pub fn queue_status(queue: Option<&QueueNo>) -> Request {
    Request::new("getqueue.php").opt_param("queue", queue)
}

/// Calls ringing or up on an agent's interface, for the screen pop (seed 18; poll every 1500 ms, seed 1.5.5).
///
/// # Format
///
/// Seed 18.4: `/webservice2/getpopupscreen.php?webkey=a1e9ddf61058ba180bd3499dcf300cbc&channel=SIP/2011&json=2`
pub fn popup_screen(interface: &Channel) -> Request {
    Request::new("getpopupscreen.php").param("channel", interface.as_str())
}

/// Whose variables `ctigetchanneldetail` reads (seed 19.3 `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DetailTarget {
    /// `type=0`: the channel given; answers at once.
    #[default]
    Current,
    /// `type=1`: the bridged peer (needs the call up, so give a timeout).
    Peer,
    /// `type=2`: whichever leg is the caller's (needs the call up).
    Caller,
}

/// The common variables of a call in one answer (seed 19).
///
/// `timeout_s`: seconds to wait for the bridge, server default 0, maximum 120.
///
/// # Format
///
/// Seed 19.4: `/webservice2/ctigetchanneldetail.php?webkey=1b709663c6c05f23c08f4b9388ac1a7d&channel=SIP/7001-0a8ce848&type=0&json=2`
pub fn channel_detail(channel: &Channel, target: DetailTarget, timeout_s: Option<u32>) -> Request {
    let kind = match target {
        DetailTarget::Current => "0",
        DetailTarget::Peer => "1",
        DetailTarget::Caller => "2",
    };
    Request::new("ctigetchanneldetail.php")
        .param("channel", channel.as_str())
        .param("type", kind)
        .opt_param("timeout", timeout_s.map(|t| t.min(120).to_string()))
}

/// Calls in progress between two interfaces (seed 20; 1.5.7 passes the agent's interface).
///
/// # Format
///
/// Seed 20.4: `/webservice2/getcalls.php?webkey=a1e9ddf61058ba180bd3499dcf300cbc&srcchannel=SIP/5003&dstchannel=IAX2/iax100`
pub fn calls(src_channel: Option<&Channel>, dst_channel: Option<&Channel>) -> Request {
    Request::new("getcalls.php")
        .opt_param("srcchannel", src_channel)
        .opt_param("dstchannel", dst_channel)
}

/// Downloads a recording, optionally converted to MP3 (seed 12). The answer is the file, not an envelope.
///
/// # Format
///
/// Seed 12.4: `/webservice2/getmonitor.php?webkey=7fc80a51d24676ca8354a3a3dfc718f4&filename=OUT5050-20090806-172454-1249550694.0.WAV&mp3=yes`
pub fn monitor_file(filename: &RecordingFile, mp3: bool) -> Request {
    Request::new("getmonitor.php")
        .param("filename", filename.as_str())
        .opt_param("mp3", mp3.then_some("yes"))
}

/// A device's type, dial interface, permissions and bound user (seed 1.4.2, 1.5.4).
///
/// # Format
///
/// Seed 1.4.2 (C#): `"/webservice/crigetdevice.php?webkey=" + webkey + "&device=" + strdevice`;
/// the name is `ctigetdevice.php` in 1.5.4 and the path `webservice2` everywhere else.
pub fn get_device(device: &Extension) -> Request {
    Request::new("ctigetdevice.php").param("device", device.as_str())
}

/// New and old voicemail counts (seed 25).
///
/// # Format
///
/// Seed 25.4: `/webservice2/ctimailboxcount.php?webkey=a1e9ddf61058ba180bd3499dcf300cbc&mailbox=5003&json=2`
pub fn mailbox_count(mailbox: &Extension) -> Request {
    Request::new("ctimailboxcount.php").param("mailbox", mailbox.as_str())
}

/// Opens, downloads or deletes a recording or voice-mail file in a spool folder
/// (`getspoolfile.php`, seed 28).
///
/// # Format
///
/// Seed 28.4:
/// `/webservice2/getspoolfile.php?webkey=ac6160728980fd2fda2993a5b405da50&location=mvb2k400_voicemsg&filename=v_4006618718-8005-20090714-114206-1247542918.7.WAV&delete=no`
pub fn spool_file(location: &Context, filename: &RecordingFile, delete: bool) -> Request {
    Request::new("getspoolfile.php")
        .param("location", location.as_str())
        .param("filename", filename.as_str())
        .param("delete", if delete { "yes" } else { "no" })
}
