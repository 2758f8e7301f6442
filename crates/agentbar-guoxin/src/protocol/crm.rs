//! Importing CRM data into the call center: customers (seed 19) and business opportunities
//! (seed 20), sent as JSON in the `data` parameter of a GET.
//!
//! # Format
//!
//! ```text
//! /bridge/ContactsSrvlt?data={"contacts":[{"cname":"Mr.Lee","localuser":46,"gid":1,
//!     "details":[{"tid":1,"cvalue":"13227841198"},{"tid":2,"cvalue":"4006198112"}]}, ...]}
//! /bridge/PreorderSrvlt?data={"preorder":[{"cname":"Mr.Wang","telnum":"132278411XX",
//!     "product":"CallCenterSystem","comment":"Mr.WangsPreorder.","qq":"1234567"}, ...]}
//! ```
//!
//! Seed 19's sample is not valid JSON (the `contacts` array is never closed): the request is
//! built from the field table (`cname`, `localuser`, `gid`, `details[].tid`,
//! `details[].cvalue`), not from the sample. Seed 20's table lists `cvalue` as well, a slip
//! copied from seed 19: no opportunity carries it.

use super::op::Op;
use super::request::Request;
use super::validate::{CrmText, PhoneNumber};
use super::ProtocolError;
use serde::Serialize;

/// One detail of a customer (`tid`: the field's number, 1 mobile, 2 landline, 14 QQ ...;
/// `cvalue`: its value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactDetail {
    pub tid: u32,
    pub cvalue: String,
}

/// One customer (seed 19).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub cname: String,
    /// The assistant (agent) the customer belongs to; `-1` for a public customer.
    pub localuser: i64,
    /// The customer group; `1` by default.
    pub gid: i64,
    pub details: Vec<ContactDetail>,
}

impl Contact {
    /// A checked customer.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] naming the bad field.
    pub fn new(
        cname: &str,
        localuser: i64,
        gid: i64,
        details: &[(u32, &str)],
    ) -> Result<Self, ProtocolError> {
        CrmText::parse(cname)?;
        if localuser < -1 {
            return Err(ProtocolError::invalid(
                "localuser",
                "-1 (public) or an assistant id",
            ));
        }
        if details.len() > 64 {
            return Err(ProtocolError::invalid("details", "at most 64"));
        }
        let details = details
            .iter()
            .map(|(tid, v)| {
                CrmText::parse(v).map_err(|_| {
                    ProtocolError::invalid("cvalue", "1-200 characters, no control characters")
                })?;
                Ok(ContactDetail {
                    tid: *tid,
                    cvalue: (*v).to_string(),
                })
            })
            .collect::<Result<_, ProtocolError>>()?;
        Ok(Contact {
            cname: cname.to_string(),
            localuser,
            gid,
            details,
        })
    }
}

/// One business opportunity (seed 20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preorder {
    pub cname: String,
    pub telnum: String,
    pub product: String,
    pub comment: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qq: Option<String>,
}

impl Preorder {
    /// A checked opportunity.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] naming the bad field.
    pub fn new(
        cname: &str,
        telnum: &str,
        product: &str,
        comment: &str,
        qq: Option<&str>,
    ) -> Result<Self, ProtocolError> {
        let text = |field: &'static str, v: &str| {
            CrmText::parse(v).map(|_| v.to_string()).map_err(|_| {
                ProtocolError::invalid(field, "1-200 characters, no control characters")
            })
        };
        Ok(Preorder {
            cname: text("cname", cname)?,
            telnum: PhoneNumber::parse(telnum)
                .map_err(|_| ProtocolError::invalid("telnum", "1-32 of 0-9, * and #"))?
                .as_str()
                .to_string(),
            product: text("product", product)?,
            comment: text("comment", comment)?,
            qq: qq.map(|q| text("qq", q)).transpose()?,
        })
    }
}

/// The most records of one request.
pub const MAX_RECORDS: usize = 500;

#[derive(Serialize)]
struct Contacts<'a> {
    contacts: &'a [Contact],
}

#[derive(Serialize)]
struct Preorders<'a> {
    preorder: &'a [Preorder],
}

fn count(n: usize) -> Result<(), ProtocolError> {
    if n == 0 || n > MAX_RECORDS {
        return Err(ProtocolError::invalid("data", "1 to 500 records"));
    }
    Ok(())
}

/// Builds ContactsSrvlt's request.
///
/// # Errors
///
/// [`ProtocolError::Invalid`] for no or too many records.
pub fn create_contacts(list: &[Contact]) -> Result<Request, ProtocolError> {
    count(list.len())?;
    let data = serde_json::to_string(&Contacts { contacts: list })
        .map_err(|e| ProtocolError::invalid("data", e.to_string()))?;
    Ok(Request::new(Op::Contacts).p("data", data))
}

/// Builds PreorderSrvlt's request.
///
/// # Errors
///
/// [`ProtocolError::Invalid`] for no or too many records.
pub fn create_preorders(list: &[Preorder]) -> Result<Request, ProtocolError> {
    count(list.len())?;
    let data = serde_json::to_string(&Preorders { preorder: list })
        .map_err(|e| ProtocolError::invalid("data", e.to_string()))?;
    Ok(Request::new(Op::Preorders).p("data", data))
}
