//! Recordings and data: `GetMonitor` (seed 4.22) and `Import` with `source=data` (seed 4.23).

use super::auth::AuthField::*;
use super::error::ProtocolError;
use super::request::Request;
use super::validate::{CallDate, ModelId, SessionId};

/// Asks for a call's recording address. The seed lists no auth fields; they follow so every
/// call carries them.
///
/// # Format
///
/// Seed 4.22: `EVENT=GetMonitor&sessionid=sessionid&calldate=calldate`
pub fn get_monitor(session: &SessionId, date: &CallDate) -> Request {
    Request::new("GetMonitor")
        .p("sessionid", session.as_str())
        .p("calldate", date.as_str())
        .rest_of_auth()
}

/// Reads the recording's address from `GetMonitor`'s message.
///
/// # Format
///
/// Seed 4.22: `http://192.168.1.100:8880/getMonitor/ 20130123114549-2227-1986.wav`; the space
/// is the PDF's line break and is dropped, as is any other white space.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] unless it is an `http` or `https` address.
pub fn parse_monitor_url(message: &str) -> Result<String, ProtocolError> {
    let url: String = message.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = url.to_ascii_lowercase();
    let host_len = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .map(|rest| rest.split('/').next().unwrap_or_default().len());
    match host_len {
        Some(n) if n > 0 && url.len() <= 2048 => Ok(url),
        _ => Err(ProtocolError::malformed(
            "GetMonitor",
            "not an http(s) address",
        )),
    }
}

/// One customer record for `source=data`: `name=value` fields joined by `|`. The seed's
/// separator was lost in the PDF ("姓名=客户 A phone1=138xxxx88x8 为分隔符", where the table
/// turned every `|` into a space); `|` is our reading. Names are 1-64 characters and values at
/// most 256, neither with `=`, `|` or control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord(String);

impl ImportRecord {
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] for an empty record or a field outside the rule.
    pub fn new<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> Result<Self, ProtocolError> {
        if fields.is_empty() {
            return Err(ProtocolError::invalid("context", "at least one field"));
        }
        let bad = |s: &str| s.chars().any(|c| c.is_control() || c == '=' || c == '|');
        let mut parts = Vec::new();
        for (k, v) in fields {
            let (k, v) = (k.as_ref(), v.as_ref());
            if k.trim().is_empty() || k.chars().count() > 64 || bad(k) {
                return Err(ProtocolError::invalid(
                    "context",
                    "field names are 1-64 characters without = or |",
                ));
            }
            if v.chars().count() > 256 || bad(v) {
                return Err(ProtocolError::invalid(
                    "context",
                    "values are at most 256 characters without = or |",
                ));
            }
            parts.push(format!("{k}={v}"));
        }
        Ok(ImportRecord(parts.join("|")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `dupway`: update a customer that is already in the package, or skip it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DupWay {
    Update,
    #[default]
    Skip,
}

/// `dupdiallist`: how an existing customer goes into the pre-dial list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DupDialList {
    #[default]
    IgnoreDuplicate,
    All,
    IgnoreSuccess,
}

/// `changepackage`: a customer of the master table that is already in a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChangePackage {
    #[default]
    Skip,
    UnassignToCurrent,
    ReassignToCurrent,
}

/// `Import`'s options besides the record; field names empty when unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub phone_field: String,
    pub priority_field: String,
    pub dialtime_field: String,
    pub emptyagent: bool,
    pub resetstatus: bool,
    pub dupway: DupWay,
    pub dupdiallist: DupDialList,
    pub changepackage: ChangePackage,
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Imports one customer into a campaign's package (`modeltype=Campaign`, `source=data`).
/// Every parameter is sent, empty where unused (seed: "所有参数不得缺省").
///
/// # Format
///
/// Seed 4.23: `EVENT=Import&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&modeltype=modeltype&model_id=model_id&source=source&context=context&source_user=source_user&source_pwd=source_pwd&exetime=exetime&delrow=delrow&phone_field=phone_field&priority_field=priority_field&dialtime_field=dialtime_field&emptyagent=emptyagent&resetstatus=resetstatus&dupway=dupway&dupdiallist=dupdiallist&changepackage=changepackage`
///
/// # Errors
///
/// [`ProtocolError::Invalid`] for a field name with `&`, `=`, `|` or control characters.
pub fn import_data(
    campaign: &ModelId,
    record: &ImportRecord,
    opts: &ImportOptions,
) -> Result<Request, ProtocolError> {
    for f in [
        &opts.phone_field,
        &opts.priority_field,
        &opts.dialtime_field,
    ] {
        if f.chars().count() > 64
            || f.chars()
                .any(|c| c.is_control() || matches!(c, '=' | '|' | '&'))
        {
            return Err(ProtocolError::invalid(
                "phone_field",
                "field names are at most 64 characters without = | &",
            ));
        }
    }
    Ok(Request::new("Import")
        .auths(&[OrgIdentity, UserType, User, PwdType, Password])
        .p("modeltype", "Campaign")
        .p("model_id", campaign.as_str())
        .p("source", "data")
        .p("context", record.as_str())
        .p("source_user", "")
        .p("source_pwd", "")
        .p("exetime", "")
        .p("delrow", "")
        .p("phone_field", opts.phone_field.as_str())
        .p("priority_field", opts.priority_field.as_str())
        .p("dialtime_field", opts.dialtime_field.as_str())
        .p("emptyagent", yes_no(opts.emptyagent))
        .p("resetstatus", yes_no(opts.resetstatus))
        .p(
            "dupway",
            match opts.dupway {
                DupWay::Update => "update",
                DupWay::Skip => "skip",
            },
        )
        .p(
            "dupdiallist",
            match opts.dupdiallist {
                DupDialList::IgnoreDuplicate => "ignoreDuplicate",
                DupDialList::All => "all",
                DupDialList::IgnoreSuccess => "ignoreSuccess",
            },
        )
        .p(
            "changepackage",
            match opts.changepackage {
                ChangePackage::Skip => "skip",
                ChangePackage::UnassignToCurrent => "unassignToCurrent",
                ChangePackage::ReassignToCurrent => "reassignToCurrent",
            },
        ))
}
