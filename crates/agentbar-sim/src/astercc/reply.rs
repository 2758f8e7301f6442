//! Replies of `/asterccinterfaces` and the BackMsg codes they carry (seed sec 4, 8.2).
//!
//! # Format
//!
//! Plain text, parts introduced by the separator `|Retuen|` (the vendor's spelling):
//!
//! ```text
//! |Retuen|1|Retuen|BackMsg_04|Retuen|agent_group_id=100&groupname=售后&...|||
//! |Retuen|2|Retuen|BackMsg_03
//! |Retuen|3|Retuen|1:NotChecked,2:NotFoundGroup
//! ```
//!
//! The first part is the code (1 success, 2 failure, 3 failure with per-group results), the
//! second the message (a `BackMsg_NN` code or the call's data), then optional further parts.

use std::fmt;

/// The separator before every part.
pub const SEPARATOR: &str = "|Retuen|";

/// A `BackMsg_NN` code of seed sec 8.2. Displays as `BackMsg_04`, `BackMsg_101`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackMsg(pub u16);

impl fmt::Display for BackMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BackMsg_{:02}", self.0)
    }
}

/// The codes this front end answers with; the seed's Chinese text is in each doc line.
pub mod code {
    use super::BackMsg;

    /// 参数不能为空 (a parameter must not be empty).
    pub const EMPTY_PARAMETER: BackMsg = BackMsg(1);
    /// 组织标识错误或不存在 (wrong or unknown orgidentity).
    pub const BAD_ORG: BackMsg = BackMsg(2);
    /// 工号不存在或密码错误 (unknown agent or wrong password).
    pub const BAD_AGENT_LOGIN: BackMsg = BackMsg(3);
    /// 登录成功 (logged in).
    pub const LOGGED_IN: BackMsg = BackMsg(4);
    /// 登出成功 (logged out).
    pub const LOGGED_OUT: BackMsg = BackMsg(8);
    /// 切换队列状态失败! (queue state not changed).
    pub const QUEUE_STATE_FAILED: BackMsg = BackMsg(10);
    /// 变量 type 错误 (bad `type`).
    pub const BAD_TYPE: BackMsg = BackMsg(13);
    /// 切换队列状态成功! (queue state changed: pause / unpause).
    pub const QUEUE_STATE_CHANGED: BackMsg = BackMsg(14);
    /// 呼叫失败,坐席未签入 (call failed: agent not checked in).
    pub const CALL_NOT_CHECKED_IN: BackMsg = BackMsg(16);
    /// 呼叫失败,坐席当前状态`[状态]` (call failed: the agent's state, given as a further part).
    pub const CALL_AGENT_STATE: BackMsg = BackMsg(17);
    /// 呼叫失败,坐席当前外呼受限制 (call failed: outbound calls restricted, e.g. `dialin` work way).
    pub const CALL_RESTRICTED: BackMsg = BackMsg(18);
    /// 呼叫成功 (call placed).
    pub const CALL_PLACED: BackMsg = BackMsg(19);
    /// 呼叫失败 (call failed).
    pub const CALL_FAILED: BackMsg = BackMsg(20);
    /// 咨询操作失败! (consult failed).
    pub const CONSULT_FAILED: BackMsg = BackMsg(21);
    /// 请不要重复申请拨号! (a call is already being placed).
    pub const CALL_PENDING: BackMsg = BackMsg(22);
    /// 坐席暂未设置分机信息,无法进行拨号! (the agent has no phone).
    pub const NO_PHONE: BackMsg = BackMsg(23);
    /// 预咨询的坐席未签入 (the consulted agent is not checked in).
    pub const CONSULTED_NOT_CHECKED_IN: BackMsg = BackMsg(25);
    /// 咨询操作成功! (consult started).
    pub const CONSULT_STARTED: BackMsg = BackMsg(27);
    /// 参数错误! (bad parameter).
    pub const BAD_PARAMETER: BackMsg = BackMsg(28);
    /// 转接失败 (transfer failed).
    pub const TRANSFER_FAILED: BackMsg = BackMsg(29);
    /// 坐席组不存在 (no such agent group).
    pub const NO_GROUP: BackMsg = BackMsg(30);
    /// 转接成功 (transferred).
    pub const TRANSFERRED: BackMsg = BackMsg(31);
    /// 接回操作成功 (call taken back).
    pub const RETURNED: BackMsg = BackMsg(32);
    /// 接回操作失败 (nothing to take back).
    pub const RETURN_FAILED: BackMsg = BackMsg(33);
    /// 会议操作成功 (conference set up).
    pub const CONFERENCE_STARTED: BackMsg = BackMsg(34);
    /// 会议操作失败! (conference failed).
    pub const CONFERENCE_FAILED: BackMsg = BackMsg(35);
    /// 挂机失败 (hang-up failed).
    pub const HANGUP_FAILED: BackMsg = BackMsg(36);
    /// 挂机成功 (hung up).
    pub const HUNG_UP: BackMsg = BackMsg(37);
    /// 当前坐席无匹配的帐号 (the account acts as no agent).
    pub const NO_AGENT_FOR_ACCOUNT: BackMsg = BackMsg(38);
    /// 强插成功 (barged in).
    pub const INTRUDED: BackMsg = BackMsg(39);
    /// 强插失败! (barge-in failed).
    pub const INTRUDE_FAILED: BackMsg = BackMsg(40);
    /// 监听成功! (monitoring).
    pub const MONITORING: BackMsg = BackMsg(41);
    /// 监听失败! (monitoring failed).
    pub const MONITOR_FAILED: BackMsg = BackMsg(42);
    /// 获取成功 (here it is).
    pub const FOUND: BackMsg = BackMsg(43);
    /// 获取失败,无匹配的数据 (nothing matches).
    pub const NOTHING_FOUND: BackMsg = BackMsg(44);
    /// 当前话务不能强拆 (no call to force-release).
    pub const NOTHING_TO_RELEASE: BackMsg = BackMsg(45);
    /// 强拆成功! (force-released).
    pub const RELEASED: BackMsg = BackMsg(46);
    /// 强拆失败! (force-release failed).
    pub const RELEASE_FAILED: BackMsg = BackMsg(47);
    /// 密语成功! (whispering).
    pub const WHISPERING: BackMsg = BackMsg(48);
    /// 密语失败! (whisper failed).
    pub const WHISPER_FAILED: BackMsg = BackMsg(49);
    /// 当前团队下无此坐席组 (no such group in this team).
    pub const NO_GROUP_IN_TEAM: BackMsg = BackMsg(50);
    /// 通话暂停, 操作失败! (hold failed).
    pub const HOLD_FAILED: BackMsg = BackMsg(51);
    /// 通话暂停, 操作成功! (on hold).
    pub const HELD: BackMsg = BackMsg(52);
    /// 话务继续,操作失败! (resume failed).
    pub const RESUME_FAILED: BackMsg = BackMsg(53);
    /// 话务继续,操作成功! (resumed).
    pub const RESUMED: BackMsg = BackMsg(54);
    /// 坐席工号错误或不存在 (no such agent).
    pub const NO_AGENT: BackMsg = BackMsg(55);
    /// 不能咨询,坐席当前状态为`[状态]` (cannot consult: the agent's state, as a further part).
    pub const CONSULTED_BUSY: BackMsg = BackMsg(56);
    /// 暂无坐席组可签入 (no group to check into).
    pub const NO_GROUP_TO_CHECK_IN: BackMsg = BackMsg(57);
    /// 未签入任何坐席组 (checked into no group).
    pub const NOT_CHECKED_IN: BackMsg = BackMsg(58);
    /// 话后模式切换成功 (after-call-work mode changed).
    pub const ACW_MODE_CHANGED: BackMsg = BackMsg(59);
    /// 坐席组未签入或组内不存在此坐席 (group not checked in, or agent not in it).
    pub const GROUP_NOT_CHECKED_IN: BackMsg = BackMsg(60);
    /// 结束话后成功 (after-call work ended).
    pub const ACW_ENDED: BackMsg = BackMsg(61);
    /// 工作模式切换成功 (work way changed).
    pub const WORKWAY_CHANGED: BackMsg = BackMsg(62);
    /// 用 usertype=account 方式调用接口,但帐号不存在或密码错误 (unknown account or wrong password).
    pub const BAD_ACCOUNT_LOGIN: BackMsg = BackMsg(63);
    /// 该坐席不是坐席组长 (the agent is not the group's admin).
    pub const NOT_GROUP_ADMIN: BackMsg = BackMsg(65);
    /// 坐席已经处于暂停状态 (already paused).
    pub const ALREADY_PAUSED: BackMsg = BackMsg(66);
    /// 外拨营销任 ID 错误 (bad campaign id).
    pub const BAD_CAMPAIGN_ID: BackMsg = BackMsg(67);
    /// modeltype 或 model_id 参数定义错误 (bad modeltype or model_id).
    pub const BAD_MODEL: BackMsg = BackMsg(70);
    /// context 参数不能为空 (empty context).
    pub const EMPTY_CONTEXT: BackMsg = BackMsg(71);
    /// source 参数定义错误 (bad source).
    pub const BAD_SOURCE: BackMsg = BackMsg(72);
    /// 外呼营销任务不存在 (no such campaign).
    pub const NO_CAMPAIGN: BackMsg = BackMsg(73);
    /// context 参数错误,无法构建 SQL. (unreadable context).
    pub const BAD_CONTEXT: BackMsg = BackMsg(75);
    /// 更新客户数据成功 (customer updated).
    pub const CUSTOMER_UPDATED: BackMsg = BackMsg(78);
    /// 数据重复 (duplicate).
    pub const DUPLICATE: BackMsg = BackMsg(81);
    /// 新数据导入客户包成功, 并且插入预拨号列表成功 (imported and queued for dialing).
    pub const IMPORTED_AND_LISTED: BackMsg = BackMsg(83);
    /// 新数据导入客户包成功 (imported).
    pub const IMPORTED: BackMsg = BackMsg(84);
    /// 目标文件不存在 (no such file).
    pub const NO_FILE: BackMsg = BackMsg(404);
    /// 坐席未处于话后状态,无需结束话后 (not in after-call work).
    pub const NOT_IN_ACW: BackMsg = BackMsg(90);
    /// 工作模式切换失败,坐席组未签入或不存在此坐席组或坐席不属于此坐席组。 (work way not changed).
    pub const WORKWAY_FAILED: BackMsg = BackMsg(91);
    /// 无相关通话 (no such call).
    pub const NO_CALL: BackMsg = BackMsg(92);
    /// 坐席组或团队内无任何坐席 (no agents in the group or team).
    pub const NO_AGENTS: BackMsg = BackMsg(93);
    /// 无相关状态的坐席 (no agents in that state).
    pub const NO_AGENTS_IN_STATE: BackMsg = BackMsg(94);
    /// 当前处于咨询状态,无法再发起咨询通话 (already consulting).
    pub const ALREADY_CONSULTING: BackMsg = BackMsg(95);
    /// 无法进行通话暂停或恢复。不是坐席与客户单独通话状态。 (not a two-party call).
    pub const NOT_TWO_PARTY: BackMsg = BackMsg(96);
    /// dtmf 参数只允许填写数字、*、# (bad DTMF digits).
    pub const BAD_DTMF: BackMsg = BackMsg(97);
    /// 发送 DTMF 操作失败 (DTMF not sent).
    pub const DTMF_FAILED: BackMsg = BackMsg(98);
    /// 发送 DTMF 操作成功 (DTMF sent).
    pub const DTMF_SENT: BackMsg = BackMsg(99);
    /// varname 只允许大写字母,数字,-,_,并且只能以大写字母或数字开头 (bad variable name).
    pub const BAD_VARNAME: BackMsg = BackMsg(101);
    /// 设置随路数据成功 (variable set).
    pub const VAR_SET: BackMsg = BackMsg(102);
    /// 设置随路数据失败 (variable not set).
    pub const VAR_FAILED: BackMsg = BackMsg(103);
    /// 咨询中不允许转 IVR 操作 (no IVR transfer while consulting).
    pub const IVR_WHILE_CONSULTING: BackMsg = BackMsg(104);
    /// 会议中不允许释放转 (no release transfer in a conference).
    pub const IVR_RELEASE_IN_CONFERENCE: BackMsg = BackMsg(105);
    /// 主 IVR 不存在,请检查 ivrexten 参数正确性 (no such IVR).
    pub const NO_IVR: BackMsg = BackMsg(106);
    /// IVR 流程错误,请检查 ivrflow 参数正确性 (bad IVR flow).
    pub const BAD_IVR_FLOW: BackMsg = BackMsg(107);
    /// 坐席转 IVR 操作成功 (sent to the IVR).
    pub const TO_IVR: BackMsg = BackMsg(108);
    /// 坐席转 IVR 操作失败 (IVR transfer failed).
    pub const IVR_FAILED: BackMsg = BackMsg(109);
}

/// One reply: a code and its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// 1 success, 2 failure, 3 failure with per-group results.
    pub code: u8,
    /// Message, then further parts.
    pub parts: Vec<String>,
}

impl Reply {
    /// Code 1 with a message.
    pub fn ok(message: impl fmt::Display) -> Reply {
        Reply {
            code: 1,
            parts: vec![message.to_string()],
        }
    }

    /// Code 2 with a message.
    pub fn fail(message: impl fmt::Display) -> Reply {
        Reply {
            code: 2,
            parts: vec![message.to_string()],
        }
    }

    /// Code 3 with a message.
    pub fn partial(message: impl fmt::Display) -> Reply {
        Reply {
            code: 3,
            parts: vec![message.to_string()],
        }
    }

    /// Adds a further part.
    pub fn with(mut self, part: impl fmt::Display) -> Reply {
        self.parts.push(part.to_string());
        self
    }

    /// The wire text: `|Retuen|<code>|Retuen|<message>[|Retuen|<part>]...`.
    pub fn render(&self) -> String {
        let mut out = format!("{SEPARATOR}{}", self.code);
        for p in &self.parts {
            out.push_str(SEPARATOR);
            out.push_str(p);
        }
        out
    }
}

impl From<BackMsg> for Reply {
    /// A failure with that code.
    fn from(code: BackMsg) -> Self {
        Reply::fail(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The seed prints its samples in tables whose `|` were lost ("Retuen 1 Retuen ...");
    // these are the same samples with the separators back.

    #[test]
    fn seed_4_3_queue_samples() {
        assert_eq!(
            Reply::ok("1:success,2:NotChecked").render(),
            "|Retuen|1|Retuen|1:success,2:NotChecked"
        );
        assert_eq!(
            Reply::partial("1:NotChecked,2:NotFoundGroup").render(),
            "|Retuen|3|Retuen|1:NotChecked,2:NotFoundGroup"
        );
    }

    #[test]
    fn seed_4_13_hangup_sample() {
        assert_eq!(
            Reply::ok("4781:success,4782:failed").render(),
            "|Retuen|1|Retuen|4781:success,4782:failed"
        );
    }

    #[test]
    fn seed_4_25_and_4_26_samples() {
        assert_eq!(Reply::ok("1 0 1 0").render(), "|Retuen|1|Retuen|1 0 1 0");
        assert_eq!(
            Reply::ok("张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10").render(),
            "|Retuen|1|Retuen|张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10"
        );
    }

    #[test]
    fn backmsg_codes_print_two_digits_at_least() {
        assert_eq!(code::LOGGED_IN.to_string(), "BackMsg_04");
        assert_eq!(code::BAD_VARNAME.to_string(), "BackMsg_101");
        assert_eq!(code::NO_FILE.to_string(), "BackMsg_404");
        assert_eq!(
            Reply::from(code::BAD_AGENT_LOGIN).render(),
            "|Retuen|2|Retuen|BackMsg_03"
        );
        assert_eq!(
            Reply::ok(code::FOUND).with("100-idle,101-logout,").render(),
            "|Retuen|1|Retuen|BackMsg_43|Retuen|100-idle,101-logout,"
        );
    }
}
