//! The `BackMsg_NN` message codes of seed 003 section 8.2, in the vendor's Chinese and in
//! English.
//!
//! # Format
//!
//! A reply's message part is often a code rather than text: `|Retuen|2|Retuen|BackMsg_16`.
//! Some codes carry a detail in the table (`BackMsg_17` `呼叫失败,坐席当前状态[状态]`); the server
//! may append it after the code, which [`split_code`] keeps apart.

/// One row of the table.
#[derive(Debug, PartialEq, Eq)]
pub struct BackMsg {
    /// The code as the table prints it: `BackMsg_01` ... `BackMsg_109`, `BackMsg_404`.
    pub code: &'static str,
    /// The seed's text (zh-CN).
    pub zh: &'static str,
    pub en: &'static str,
    /// The code says who we are was refused (organisation, agent, password, account).
    pub auth: bool,
}

/// A code of the `BackMsg_` form that the table does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{raw}: unknown server message code (not in the asterCC 2.1 table, section 8.2)")]
pub struct UnknownBackMsg {
    pub raw: String,
}

const fn m(code: &'static str, zh: &'static str, en: &'static str) -> BackMsg {
    BackMsg {
        code,
        zh,
        en,
        auth: false,
    }
}

const fn auth(code: &'static str, zh: &'static str, en: &'static str) -> BackMsg {
    BackMsg {
        code,
        zh,
        en,
        auth: true,
    }
}

/// Section 8.2, in the seed's order (`BackMsg_404` sits between 89 and 90 there).
pub static TABLE: [BackMsg; 110] = [
    m("BackMsg_01", "参数不能为空", "a parameter is empty"),
    auth("BackMsg_02", "组织标识错误或不存在", "the organisation identity is wrong or does not exist"),
    auth("BackMsg_03", "工号不存在或密码错误", "the agent number does not exist or the password is wrong"),
    m("BackMsg_04", "登录成功", "signed in"),
    auth("BackMsg_05", "坐席所属帐号被禁用", "the agent's account is disabled"),
    auth("BackMsg_06", "坐席所属帐号不存在", "the agent's account does not exist"),
    auth("BackMsg_07", "密码错误", "wrong password"),
    m("BackMsg_08", "登出成功", "signed out"),
    m("BackMsg_09", "坐席工号不存在[坐席工号]", "the agent number does not exist"),
    m("BackMsg_10", "切换队列状态失败!", "changing the queue state failed"),
    m("BackMsg_11", "坐席组 ID 不存在[坐席组 ID]", "the agent group id does not exist"),
    m("BackMsg_12", "不存在此座席", "no such agent"),
    m("BackMsg_13", "变量 type 错误", "the type parameter is wrong"),
    m("BackMsg_14", "切换队列状态成功!", "queue state changed"),
    auth("BackMsg_15", "帐号不存在", "the account does not exist"),
    m("BackMsg_16", "呼叫失败,坐席未签入", "call failed: the agent is not signed in to a group"),
    m("BackMsg_17", "呼叫失败,坐席当前状态[状态]。若状态为空, 参考 BackMsg_16", "call failed: the agent's current state does not allow it (an empty state means not signed in)"),
    m("BackMsg_18", "呼叫失败,坐席当前外呼受限制", "call failed: outbound calls are restricted for this agent"),
    m("BackMsg_19", "呼叫成功", "call placed"),
    m("BackMsg_20", "呼叫失败", "call failed"),
    m("BackMsg_21", "咨询操作失败!", "consult failed"),
    m("BackMsg_22", "请不要重复申请拨号!", "a call is already being placed: do not dial twice"),
    m("BackMsg_23", "坐席暂未设置分机信息,无法进行拨号!", "the agent has no extension set: cannot dial"),
    m("BackMsg_24", "未找到坐席,无法进行拨号!", "agent not found: cannot dial"),
    m("BackMsg_25", "预咨询的坐席未签入", "the agent to consult is not signed in"),
    m("BackMsg_26", "创建咨询方数据失败!", "creating the consulted party failed"),
    m("BackMsg_27", "咨询操作成功!", "consult started"),
    m("BackMsg_28", "参数错误!", "wrong parameter"),
    m("BackMsg_29", "转接失败", "transfer failed"),
    m("BackMsg_30", "坐席组不存在", "the agent group does not exist"),
    m("BackMsg_31", "转接成功", "transferred"),
    m("BackMsg_32", "接回操作成功", "call taken back"),
    m("BackMsg_33", "接回操作失败", "taking the call back failed"),
    m("BackMsg_34", "会议操作成功", "conference started"),
    m("BackMsg_35", "会议操作失败!", "conference failed"),
    m("BackMsg_36", "挂机失败", "hang-up failed"),
    m("BackMsg_37", "挂机成功", "hung up"),
    auth("BackMsg_38", "当前坐席无匹配的帐号", "the agent has no matching account"),
    m("BackMsg_39", "强插成功", "barged in"),
    m("BackMsg_40", "强插失败!", "barge-in failed"),
    m("BackMsg_41", "监听成功!", "monitoring started"),
    m("BackMsg_42", "监听失败!", "monitoring failed"),
    m("BackMsg_43", "获取成功", "read"),
    m("BackMsg_44", "获取失败,无匹配的数据", "nothing matches"),
    m("BackMsg_45", "当前话务不能强拆", "this call cannot be force-released"),
    m("BackMsg_46", "强拆成功!", "call force-released"),
    m("BackMsg_47", "强拆失败!", "force release failed"),
    m("BackMsg_48", "密语成功!", "whisper started"),
    m("BackMsg_49", "密语失败!", "whisper failed"),
    m("BackMsg_50", "当前团队下无此坐席组", "the team has no such agent group"),
    m("BackMsg_51", "通话暂停, 操作失败!", "hold failed"),
    m("BackMsg_52", "通话暂停, 操作成功!", "call held"),
    m("BackMsg_53", "话务继续,操作失败!", "resume failed"),
    m("BackMsg_54", "话务继续,操作成功!", "call resumed"),
    m("BackMsg_55", "坐席工号错误或不存在", "the agent number is wrong or does not exist"),
    m("BackMsg_56", "不能咨询,坐席当前状态为[状态]", "cannot consult in the agent's current state"),
    m("BackMsg_57", "暂无坐席组可签入", "no agent group to sign in to"),
    m("BackMsg_58", "未签入任何坐席组", "not signed in to any agent group"),
    m("BackMsg_59", "话后模式切换成功", "after-call work mode changed"),
    m("BackMsg_60", "坐席组未签入或组内不存在此坐席", "the agent group is not signed in, or the agent is not in it"),
    m("BackMsg_61", "结束话后成功", "after-call work ended"),
    m("BackMsg_62", "工作模式切换成功", "work mode changed"),
    auth("BackMsg_63", "用 usertype=account 方式调用接口,但帐号不存在或密码错误", "called with usertype=account, but the account does not exist or the password is wrong"),
    m("BackMsg_64", "通话 channel 不存在。", "the call's channel does not exist"),
    m("BackMsg_65", "该坐席不是坐席组长", "that agent is not a group leader"),
    m("BackMsg_66", "坐席已经处于暂停状态", "the agent is already paused"),
    m("BackMsg_67", "外拨营销任 ID 错误", "wrong campaign id"),
    m("BackMsg_68", "不是坐席组长", "not a group leader"),
    m("BackMsg_69", "预拨号数据导入完毕", "pre-dial data imported"),
    m("BackMsg_70", "modeltype 或 model_id 参数定义错误", "modeltype or model_id is wrong"),
    m("BackMsg_71", "context 参数不能为空", "context must not be empty"),
    m("BackMsg_72", "source 参数定义错误", "source is wrong"),
    m("BackMsg_73", "外呼营销任务不存在", "the campaign does not exist"),
    m("BackMsg_74", "文件标题头与数据表结构不符.", "the file's header does not match the table"),
    m("BackMsg_75", "context 参数错误,无法构建 SQL.", "context is wrong: the query cannot be built"),
    m("BackMsg_76", "文件中缺少必填字段: 字段名称(字段)", "the file lacks a required field"),
    m("BackMsg_77", "重置客户状态成功", "customer status reset"),
    m("BackMsg_78", "更新客户数据成功", "customer data updated"),
    m("BackMsg_79", "清空归属坐席成功", "owning agent cleared"),
    m("BackMsg_80", "插入预拨号列表成功", "added to the pre-dial list"),
    m("BackMsg_81", "数据重复", "duplicate data"),
    m("BackMsg_82", "电话号码重复", "duplicate phone number"),
    m("BackMsg_83", "新数据导入客户包成功, 并且插入预拨号列表成功", "new data imported into the customer package and added to the pre-dial list"),
    m("BackMsg_84", "新数据导入客户包成功", "new data imported into the customer package"),
    m("BackMsg_85", "数据存储错误", "storing the data failed"),
    m("BackMsg_86", "仅支持 csv 文件导入", "only csv files can be imported"),
    m("BackMsg_87", "导入任务创建失败", "creating the import task failed"),
    m("BackMsg_88", "文件上传失败", "file upload failed"),
    m("BackMsg_89", "远程数据文件获取失败", "fetching the remote data file failed"),
    m("BackMsg_404", "目标文件不存在", "the target file does not exist"),
    m("BackMsg_90", "坐席未处于话后状态,无需结束话后", "the agent is not in after-call work: nothing to end"),
    m("BackMsg_91", "工作模式切换失败,坐席组未签入或不存在此坐席组或坐席不属于此坐席组。", "changing the work mode failed: the group is not signed in, does not exist, or the agent is not in it"),
    m("BackMsg_92", "无相关通话", "no such call"),
    m("BackMsg_93", "坐席组或团队内无任何坐席", "the group or team has no agents"),
    m("BackMsg_94", "无相关状态的坐席", "no agent is in that state"),
    m("BackMsg_95", "当前处于咨询状态,无法再发起咨询通话", "already consulting: cannot consult again"),
    m("BackMsg_96", "无法进行通话暂停或恢复。不是坐席与客户单独通话状态。", "cannot hold or resume: not a two-party call between the agent and the customer"),
    m("BackMsg_97", "dtmf 参数只允许填写数字、*、#", "dtmf may only hold digits, * and #"),
    m("BackMsg_98", "发送 DTMF 操作失败", "sending DTMF failed"),
    m("BackMsg_99", "发送 DTMF 操作成功", "DTMF sent"),
    m("BackMsg_100", "内核连接失败", "the server lost its connection to the telephony core"),
    m("BackMsg_101", "varname 只允许大写字母,数字,-,_,并且只能以大写字母或数字开头", "varname may only hold upper-case letters, digits, - and _, and must start with a letter or digit"),
    m("BackMsg_102", "设置随路数据成功", "call data set"),
    m("BackMsg_103", "设置随路数据失败", "setting call data failed"),
    m("BackMsg_104", "咨询中不允许转 IVR 操作", "cannot send to the IVR while consulting"),
    m("BackMsg_105", "会议中不允许释放转", "cannot release-transfer during a conference"),
    m("BackMsg_106", "主 IVR 不存在,请检查 ivrexten 参数正确性", "the main IVR does not exist: check ivrexten"),
    m("BackMsg_107", "IVR 流程错误,请检查 ivrflow 参数正确性", "wrong IVR flow: check ivrflow"),
    m("BackMsg_108", "坐席转 IVR 操作成功", "sent to the IVR"),
    m("BackMsg_109", "坐席转 IVR 操作失败", "sending to the IVR failed"),
];

const PREFIX: &str = "BackMsg_";

/// The number of a `BackMsg_NN` code; `None` when `raw` is not of that form.
fn number(raw: &str) -> Option<u32> {
    let digits = raw
        .get(..PREFIX.len())?
        .eq_ignore_ascii_case(PREFIX)
        .then(|| &raw[PREFIX.len()..])?;
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The table row of a code (`BackMsg_16`; `BackMsg_1` reads as `BackMsg_01`).
///
/// # Errors
///
/// [`UnknownBackMsg`] keeping the raw code, for a code the table lacks or a text that is not a
/// code at all.
pub fn lookup(raw: &str) -> Result<&'static BackMsg, UnknownBackMsg> {
    let unknown = || UnknownBackMsg {
        raw: raw.chars().take(40).collect(),
    };
    let n = number(raw).ok_or_else(unknown)?;
    TABLE
        .iter()
        .find(|m| number(m.code) == Some(n))
        .ok_or_else(unknown)
}

/// Splits a message that starts with a code into the code and the detail after it
/// (`BackMsg_17[ring]` gives `("BackMsg_17", Some("ring"))`); `None` for plain text.
pub fn split_code(message: &str) -> Option<(&str, Option<String>)> {
    let message = message.trim();
    let head = message.get(..PREFIX.len())?;
    if !head.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let end = PREFIX.len()
        + message[PREFIX.len()..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
    if end == PREFIX.len() {
        return None;
    }
    let (code, rest) = message.split_at(end);
    let rest = rest
        .trim()
        .trim_start_matches([':', '：'])
        .trim()
        .trim_start_matches(['[', '【'])
        .trim_end_matches([']', '】'])
        .trim();
    let detail = (!rest.is_empty()).then(|| rest.chars().take(100).collect());
    Some((code, detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for m in &TABLE {
            let n = number(m.code).expect(m.code);
            assert!(seen.insert(n), "{} twice", m.code);
            assert!(!m.zh.is_empty() && !m.en.is_empty());
        }
    }

    #[test]
    fn short_and_padded_forms_read_alike() {
        assert_eq!(lookup("BackMsg_1").unwrap().code, "BackMsg_01");
        assert_eq!(lookup("backmsg_404").unwrap().code, "BackMsg_404");
        assert!(lookup("BackMsg_").is_err());
        assert!(lookup("BackMsg_x").is_err());
        assert_eq!(lookup("BackMsg_110").unwrap_err().raw, "BackMsg_110");
    }

    #[test]
    fn details_after_a_code_are_kept_apart() {
        assert_eq!(
            split_code("BackMsg_17[ring]"),
            Some(("BackMsg_17", Some("ring".to_string())))
        );
        assert_eq!(
            split_code("BackMsg_09: 2227"),
            Some(("BackMsg_09", Some("2227".into())))
        );
        assert_eq!(split_code(" BackMsg_04 "), Some(("BackMsg_04", None)));
        assert_eq!(split_code("登录成功"), None);
        assert_eq!(split_code("BackMsg_"), None);
    }
}
