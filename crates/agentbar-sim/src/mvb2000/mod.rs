//! The MVB2000 WEBCTI2 front end (seed `000_dbc27b4c27ebe628.txt`): HTTP GET
//! `/webservice2/<name>.php` (and the older `/webservice/<name>.php`), XML by default and JSON
//! with `json=2`, every request checked against `webkey = md5(web_key + "yyyy-mm-dd")`.
//!
//! # Errors the seed does not print
//!
//! The seed prints only errcode 9999 (`WebKey <given> is invalid`). For everything else this
//! front end uses its own codes, see [`errors`]: 1001 bad or missing parameter, 1002 no such
//! thing (channel, device, queue, member, room), 1003 not possible now, 1004 unsupported
//! command.
//!
//! # Choices where the seed is silent
//!
//! - `json=1` and `json=3` answer like `json=2` (the seed only shows 2).
//! - Values are XML-escaped (`&lt;noname&gt;`); the seed's samples show what a browser displays.
//! - `ctigetvars` answers one row whose fields are the requested variable names.
//! - `ctigetdevice` answers one row `errcode`, `dial`, `type` (`fixed`/`temporary`), `user`.
//! - `ctibinddevice` takes `device` and `user`; `ctisplitdevice` takes `device`.
//! - The webkey comparison is exact (lower-case hex, as the seed requires).

pub mod errors;
mod handlers;
pub mod params;
pub mod render;
mod router;
pub mod webkey;

pub use router::router;

/// Vendor name used in the request log.
pub const VENDOR: &str = "mvb2000";
